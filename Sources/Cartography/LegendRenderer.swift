/// Draws (or only measures) the legend: per section a bold title, one row per entry (a swatch
/// and its label) and plain notes. Labels too wide for the column shrink the legend's text.
struct LegendRenderer {
    let canvas: CairoCanvas
    let sections: [LegendSection]
    let fontSize: Double

    /// Text size that fits every line within `width` (never below 60 % of the base size).
    func textSize(width: Double) -> Double {
        var size = fontSize * 0.92
        canvas.font(size: size)
        let swatch = size * 2.2
        var widest = 0.0
        for s in sections {
            for e in s.entries { widest = max(widest, canvas.measure(e.label).width + swatch) }
            for n in s.notes { widest = max(widest, canvas.measure(n).width) }
        }
        canvas.font(size: size * 1.1, bold: true)
        for s in sections { widest = max(widest, canvas.measure(s.title).width * 1.0) }
        if widest > width { size = max(fontSize * 0.6, size * width / widest) }
        return size
    }

    /// Height of the legend in a column `width` wide; draws it at (x, y) when `draw`.
    @discardableResult
    func layout(x: Double, y: Double, width: Double, draw: Bool) -> Double {
        let size = textSize(width: width)
        let row = size * 1.55
        var cursor = y
        for section in sections {
            cursor += size * 1.3
            if draw {
                canvas.font(size: size * 1.1, bold: true)
                canvas.text(section.title, x: x, y: cursor)
            }
            cursor += size * 0.5
            canvas.font(size: size)
            for entry in section.entries {
                if draw { drawEntry(entry, x: x, top: cursor, size: size, row: row) }
                cursor += row
            }
            for note in section.notes {
                cursor += size * 1.3
                if draw { canvas.text(note, x: x, y: cursor, colour: MapColour(hex: 0x333333)) }
            }
            cursor += size * 0.9
        }
        return cursor - y
    }

    private func drawEntry(_ entry: LegendEntry, x: Double, top: Double, size: Double, row: Double) {
        let box = size * 1.5
        let boxTop = top + (row - box * 0.8) / 2
        switch entry.swatch {
        case .fill(let colour):
            canvas.rectangle(x, boxTop, box, box * 0.8)
            canvas.fill(colour, preserve: true)
            canvas.stroke(MapStroke(MapColour(hex: 0x666666), width: 0.6))
        case .symbol(let symbol):
            SymbolPath.add(symbol.shape, on: canvas, x: x + box / 2, y: top + row / 2, size: size * 0.9)
            canvas.fill(symbol.fill, preserve: true)
            canvas.stroke(MapStroke(MapColour(hex: 0x222222), width: 0.6))
        case .line(let stroke):
            canvas.move(x, top + row / 2)
            canvas.line(x + box, top + row / 2)
            canvas.stroke(stroke)
        }
        canvas.font(size: size)
        canvas.text(entry.label, x: x + box + size * 0.6, y: top + row / 2 + size * 0.36)
    }
}
