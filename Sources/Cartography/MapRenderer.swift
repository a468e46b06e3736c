import Foundation
import GIS

/// Lays out and draws a ``MapPage`` to PNG or SVG bytes (cairo). Deterministic: the same page
/// gives the same bytes.
public enum MapRenderer {
    /// The page as a PNG or SVG file's bytes, with its size in page units.
    public static func render(_ page: MapPage, format: MapFormat) throws -> (bytes: [UInt8], width: Int, height: Int) {
        let canvas = try draw(page, format: format)
        return (try canvas.finish(), canvas.width, canvas.height)
    }

    /// The page drawn as pixels (0xAARRGGBB), to check what a map shows.
    public static func raster(_ page: MapPage) throws -> MapRaster {
        let canvas = try draw(page, format: .png)
        guard let raster = MapRaster(imageSurface: canvas.surface) else {
            throw GISError(.operation, operation: "draw map", message: "the image surface has no pixels")
        }
        return raster
    }

    static func draw(_ page: MapPage, format: MapFormat) throws -> CairoCanvas {
        guard page.width.isFinite, MapPage.widthRange.contains(Int(page.width.rounded())) else {
            throw GISError(
                .usage, operation: "draw map",
                message: "page width must be within \(MapPage.widthRange), got \(page.width)")
        }
        let measuring = try CairoCanvas.measuring()
        let base = max(9, page.width / 125)
        let layout = PageLayout(page: page) { width in
            LegendRenderer(canvas: measuring, sections: page.legend, fontSize: base)
                .layout(x: 0, y: 0, width: width, draw: false)
        }
        guard layout.height.isFinite, layout.height <= Double(MapPage.maximumHeight) else {
            throw GISError(
                .usage, operation: "draw map",
                message:
                    "the page would be \(layout.height) units tall (at most \(MapPage.maximumHeight)): a world or legend out of range"
            )
        }
        let width = Int(page.width.rounded()), height = Int(layout.height)
        let canvas = try CairoCanvas(format: format, width: width, height: height)
        canvas.rectangle(0, 0, Double(width), Double(height))
        canvas.fill(.white)

        let m = layout.margin, f = layout.fontSize
        canvas.font(size: f * 1.55, bold: true)
        canvas.text(page.title, x: m, y: layout.titleBaseline)
        if let subtitle = page.subtitle, let y = layout.subtitleBaseline {
            canvas.font(size: f * 1.05)
            canvas.text(subtitle, x: m, y: y, colour: MapColour(hex: 0x444444))
        }

        let mainTransform = WorldToPage(world: layout.mainWorld, frame: layout.main)
        PanelRenderer(canvas: canvas, panel: page.main, transform: mainTransform, fontSize: f).draw()
        drawNorthArrow(on: canvas, panel: page.main, frame: layout.main, fontSize: f, language: page.language)
        ScaleBar.draw(
            on: canvas, x: layout.main.x + m, y: layout.main.maxY - m, maximumWidth: layout.main.width * 0.25,
            pageUnitsPerMetre: mainTransform.scale / page.main.metresPerUnit, fontSize: f,
            language: page.language)

        for (i, inset) in page.insets.enumerated() where i < layout.insets.count {
            let t = WorldToPage(world: layout.insetWorlds[i], frame: layout.insets[i])
            PanelRenderer(canvas: canvas, panel: inset, transform: t, fontSize: f * 0.9).draw()
            ScaleBar.draw(
                on: canvas, x: layout.insets[i].x + m * 0.6, y: layout.insets[i].maxY - m * 0.6,
                maximumWidth: layout.insets[i].width * 0.35, pageUnitsPerMetre: t.scale / inset.metresPerUnit,
                fontSize: f * 0.8, language: page.language)
        }

        LegendRenderer(canvas: canvas, sections: page.legend, fontSize: base)
            .layout(x: layout.legendOrigin.x, y: layout.legendOrigin.y, width: layout.legendWidth, draw: true)

        if let source = page.source {
            canvas.font(size: f * 0.8)
            canvas.text(
                "\(page.language.sourcePrefix): \(source)", x: m, y: layout.sourceBaseline,
                colour: MapColour(hex: 0x444444))
        }
        return canvas
    }

    /// An arrow pointing to true north (rotated by the panel's grid convergence) in the main
    /// frame's top-right corner.
    static func drawNorthArrow(
        on canvas: CairoCanvas, panel: MapPanel, frame: PageRect, fontSize: Double, language: MapLanguage
    ) {
        let size = fontSize * 2.6
        let cx = frame.maxX - size, cy = frame.y + size * 1.25
        let a = panel.northAngle.isFinite ? panel.northAngle : 0
        func point(_ dx: Double, _ dy: Double) -> (Double, Double) {
            // Rotate (dx, dy) (y down) clockwise by a.
            (cx + dx * cos(a) - dy * sin(a), cy + dx * sin(a) + dy * cos(a))
        }
        canvas.circle(cx, cy, size * 0.75)
        canvas.fill(.white, alpha: 0.8)
        let tip = point(0, -size * 0.6), left = point(-size * 0.28, size * 0.45),
            right = point(size * 0.28, size * 0.45)
        let notch = point(0, size * 0.22)
        canvas.move(tip.0, tip.1)
        canvas.line(left.0, left.1)
        canvas.line(notch.0, notch.1)
        canvas.close()
        canvas.fill(.black)
        canvas.move(tip.0, tip.1)
        canvas.line(right.0, right.1)
        canvas.line(notch.0, notch.1)
        canvas.close()
        canvas.fill(.white, preserve: true)
        canvas.stroke(MapStroke(.black, width: 1))
        canvas.move(tip.0, tip.1)
        canvas.line(left.0, left.1)
        canvas.line(notch.0, notch.1)
        canvas.close()
        canvas.stroke(MapStroke(.black, width: 1))
        canvas.font(size: fontSize * 1.1, bold: true)
        let label = point(0, -size * 0.6 - fontSize * 0.9)
        let w = canvas.measure(language.north).width
        canvas.text(language.north, x: label.0 - w / 2, y: label.1 + fontSize * 0.4)
    }
}
