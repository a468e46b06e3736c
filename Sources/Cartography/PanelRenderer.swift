import Foundation
import GIS

/// Draws one panel: its layers clipped to the frame, labels without collisions, its caption and
/// frame. Coordinates go through ``WorldToPage``; vertices closer than ``minimumStep`` page
/// units to the last one drawn are skipped (screen-space decimation: a national layer of
/// millions of vertices becomes what the page can show, and SVG files stay small).
struct PanelRenderer {
    let canvas: CairoCanvas
    let panel: MapPanel
    let transform: WorldToPage
    let fontSize: Double

    static let minimumStep = 0.35

    func draw() {
        let f = transform.frame
        canvas.save()
        canvas.clip(f.x, f.y, f.width, f.height)
        canvas.rectangle(f.x, f.y, f.width, f.height)
        canvas.fill(.water)
        canvas.useEvenOddFill()
        for layer in panel.layers { draw(layer) }
        drawLabels()
        canvas.restore()
        canvas.rectangle(f.x, f.y, f.width, f.height)
        canvas.stroke(MapStroke(.border, width: 1))
        if let caption = panel.caption {
            canvas.font(size: fontSize, bold: true)
            canvas.text(
                caption, x: f.x + fontSize * 0.5, y: f.y + fontSize * 1.4,
                halo: MapStroke(.white, width: fontSize * 0.25))
        }
    }

    private func draw(_ layer: MapLayer) {
        switch layer {
        case .polygons(let shapes, let fills, let edge):
            for (i, shape) in shapes.enumerated() {
                let fill = i < fills.count ? fills[i] : nil
                guard fill != nil || edge != nil, addPath(shape) else { continue }
                if let fill { canvas.fill(fill, preserve: edge != nil) }
                if let edge { canvas.stroke(edge) }
            }
        case .lines(let shapes, let stroke):
            for shape in shapes where addPath(shape) { canvas.stroke(stroke) }
        case .points(let points, let classes, let symbols, let size):
            let edge = MapStroke(MapColour(hex: 0x222222), width: max(0.4, size * 0.09))
            for placed in Self.symbolPositions(
                points.map { Coordinate(transform.x($0), transform.y($0)) }, classes: classes,
                classCount: symbols.count, size: size)
            {
                guard placed.x > transform.frame.x - size, placed.x < transform.frame.maxX + size,
                    placed.y > transform.frame.y - size, placed.y < transform.frame.maxY + size
                else { continue }
                SymbolPath.add(symbols[placed.symbol].shape, on: canvas, x: placed.x, y: placed.y, size: size)
                canvas.fill(symbols[placed.symbol].fill, preserve: true)
                canvas.stroke(edge)
            }
        }
    }

    /// Where each symbol is drawn, in drawing order. Symbols of different classes at the same
    /// spot (several typologies proposed at one site) are spread on a small ring around it so
    /// each stays visible; the commonest classes are drawn first, so rare ones stay on top.
    /// Points with a class outside `0..<classCount` or a non-finite position are left out.
    static func symbolPositions(_ page: [Coordinate], classes: [Int], classCount: Int, size: Double) -> [(
        x: Double, y: Double, symbol: Int
    )] {
        var counts = [Int](repeating: 0, count: classCount)
        var valid: [Int] = []
        // Page positions far off the page (a point far outside the world) are not drawn.
        for (i, p) in page.enumerated() where abs(p.x) < 1e9 && abs(p.y) < 1e9 && i < classes.count {
            let k = classes[i]
            guard k >= 0, k < classCount else { continue }
            counts[k] += 1
            valid.append(i)
        }
        // Classes present at each spot (positions snapped to half a unit).
        struct Spot: Hashable { let x: Int64, y: Int64 }
        func spot(_ p: Coordinate) -> Spot { Spot(x: Int64((p.x * 2).rounded()), y: Int64((p.y * 2).rounded())) }
        var classesAt: [Spot: [Int]] = [:]
        for i in valid {
            let key = spot(page[i])
            if !(classesAt[key]?.contains(classes[i]) ?? false) { classesAt[key, default: []].append(classes[i]) }
        }
        let order = valid.sorted { a, b in
            let ka = classes[a], kb = classes[b]
            return counts[ka] != counts[kb] ? counts[ka] > counts[kb] : (ka, a) < (kb, b)
        }
        return order.map { i in
            let k = classes[i]
            let here = (classesAt[spot(page[i])] ?? [k]).sorted()
            guard here.count > 1, let slot = here.firstIndex(of: k) else { return (page[i].x, page[i].y, k) }
            let angle = 2 * Double.pi * Double(slot) / Double(here.count)
            let radius = size * (here.count <= 4 ? 0.6 : 0.9)
            return (page[i].x + radius * sin(angle), page[i].y - radius * cos(angle), k)
        }
    }

    /// Adds the geometry's rings and lines to the current path; false when nothing visible was
    /// added (the path is then empty).
    private func addPath(_ shape: GeometryValue) -> Bool {
        var added = false
        func add(_ ring: [Coordinate], closed: Bool) {
            guard let first = ring.first else { return }
            var lastX = transform.x(first), lastY = transform.y(first)
            var minX = lastX, maxX = lastX, minY = lastY, maxY = lastY
            canvas.move(lastX, lastY)
            var count = 1
            let step2 = Self.minimumStep * Self.minimumStep
            for c in ring.dropFirst() {
                let x = transform.x(c), y = transform.y(c)
                let dx = x - lastX, dy = y - lastY
                guard dx * dx + dy * dy >= step2 else { continue }
                canvas.line(x, y)
                lastX = x
                lastY = y
                minX = min(minX, x)
                maxX = max(maxX, x)
                minY = min(minY, y)
                maxY = max(maxY, y)
                count += 1
            }
            if closed { canvas.close() }
            if count >= 2 || maxX - minX > 0 || maxY - minY > 0 { added = true }
        }
        switch shape {
        case .polygon(let p): for r in p.rings { add(r, closed: true) }
        case .multiPolygon(let ps): for p in ps { for r in p.rings { add(r, closed: true) } }
        case .lineString(let l): add(l, closed: false)
        case .multiLineString(let ls): for l in ls { add(l, closed: false) }
        case .collection(let gs): for g in gs { added = addPath(g) || added }
        case .point, .multiPoint: break
        }
        if !added { canvas.newPath() }
        return added
    }

    /// Greedy label placement: by priority (then text, for determinism), a label is drawn when
    /// its box lies inside the frame and clear of the labels already drawn.
    private func drawLabels() {
        guard !panel.labels.isEmpty else { return }
        let size = fontSize * 0.78
        canvas.font(size: size, bold: true)
        let order = panel.labels.indices.sorted {
            let a = panel.labels[$0], b = panel.labels[$1]
            return a.priority != b.priority ? a.priority > b.priority : (a.text, $0) < (b.text, $1)
        }
        var placed: [PageRect] = []
        let frame = transform.frame
        for i in order {
            let label = panel.labels[i]
            guard label.position.isFinite else { continue }
            let width = canvas.measure(label.text).width
            let box = PageRect(
                x: transform.x(label.position) - width / 2 - 2, y: transform.y(label.position) - size * 0.6,
                width: width + 4, height: size * 1.2)
            guard box.x >= frame.x, box.maxX <= frame.maxX, box.y >= frame.y, box.maxY <= frame.maxY,
                !placed.contains(where: { $0.intersects(box) })
            else { continue }
            placed.append(box)
            canvas.text(
                label.text, x: box.x + 2, y: box.y + size * 0.95, colour: MapColour(hex: 0x111111),
                halo: MapStroke(.white, width: size * 0.28))
        }
    }
}

/// Outlines of the point symbols, centred on (x, y) and `size` wide.
enum SymbolPath {
    static func add(_ shape: MapSymbol.Shape, on canvas: CairoCanvas, x: Double, y: Double, size: Double) {
        let r = size / 2
        func polygon(_ n: Int, radius: Double, rotation: Double, inner: Double? = nil) {
            let count = inner == nil ? n : 2 * n
            for k in 0..<count {
                let angle = rotation + Double(k) * 2 * Double.pi / Double(count)
                let rr = k % 2 == 1 ? (inner ?? 1) * radius : radius
                let px = x + rr * sin(angle), py = y - rr * cos(angle)
                if k == 0 { canvas.move(px, py) } else { canvas.line(px, py) }
            }
            canvas.close()
        }
        switch shape {
        case .circle:
            canvas.newPath()
            canvas.circle(x, y, r)
        case .square: canvas.rectangle(x - r * 0.85, y - r * 0.85, r * 1.7, r * 1.7)
        case .triangle: polygon(3, radius: r * 1.15, rotation: 0)
        case .invertedTriangle: polygon(3, radius: r * 1.15, rotation: Double.pi)
        case .diamond: polygon(4, radius: r * 1.15, rotation: 0)
        case .pentagon: polygon(5, radius: r * 1.05, rotation: 0)
        case .hexagon: polygon(6, radius: r, rotation: Double.pi / 6)
        case .star: polygon(5, radius: r * 1.25, rotation: 0, inner: 0.45)
        }
    }
}
