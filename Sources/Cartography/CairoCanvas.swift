import CCairo
import Foundation
import GIS

/// The output formats of a map, chosen by the file's extension.
public enum MapFormat: String, Sendable, CaseIterable {
    case png, svg

    public init(path: String) throws {
        switch URL(fileURLWithPath: path).pathExtension.lowercased() {
        case "png": self = .png
        case "svg": self = .svg
        default:
            throw GISError(
                .usage, operation: "choose map format", file: path, message: "a map is written as .png or .svg")
        }
    }
}

/// Bytes handed over by cairo's stream callbacks.
private final class ByteSink {
    var bytes: [UInt8] = []
}

/// `cairo_write_func_t` appending to the ``ByteSink`` behind `closure`.
private let appendToSink: cairo_write_func_t = { closure, data, length in
    guard let closure, let data else { return CAIRO_STATUS_WRITE_ERROR }
    let sink = Unmanaged<ByteSink>.fromOpaque(closure).takeUnretainedValue()
    sink.bytes.append(contentsOf: UnsafeBufferPointer(start: data, count: Int(length)))
    return CAIRO_STATUS_SUCCESS
}

/// A cairo drawing context on a PNG (`cairo_image_surface_create`, ARGB32) or SVG
/// (`cairo_svg_surface_create_for_stream`) surface; ``finish()`` returns the file's bytes
/// (`cairo_surface_write_to_png_stream` / `cairo_surface_finish`). Text is DejaVu Sans through
/// cairo's toy font API (fontconfig), so a page renders the same on every Debian machine with
/// `fonts-dejavu-core`.
final class CairoCanvas {
    let format: MapFormat
    let width: Int
    let height: Int
    let surface: OpaquePointer
    let cr: OpaquePointer
    private let sink = ByteSink()

    static let fontFamily = "DejaVu Sans"

    init(format: MapFormat, width: Int, height: Int) throws {
        self.format = format
        self.width = width
        self.height = height
        switch format {
        case .png:
            surface = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, Int32(width), Int32(height))
        case .svg:
            surface = cairo_svg_surface_create_for_stream(
                appendToSink, Unmanaged.passUnretained(sink).toOpaque(), Double(width), Double(height))
        }
        let status = cairo_surface_status(surface)
        guard status == CAIRO_STATUS_SUCCESS else {
            cairo_surface_destroy(surface)
            throw GISError(
                .operation, operation: "create \(format.rawValue) surface \(width)×\(height)",
                message: String(cString: cairo_status_to_string(status)))
        }
        cr = cairo_create(surface)
        cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND)
        cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND)
    }

    /// A canvas for measuring text only (a 1×1 image).
    static func measuring() throws -> CairoCanvas { try CairoCanvas(format: .png, width: 1, height: 1) }

    deinit {
        cairo_destroy(cr)
        cairo_surface_destroy(surface)
    }

    /// The finished file's bytes.
    func finish() throws -> [UInt8] {
        cairo_surface_flush(surface)
        switch format {
        case .png:
            let status = cairo_surface_write_to_png_stream(
                surface, appendToSink, Unmanaged.passUnretained(sink).toOpaque())
            try check(status, "write PNG")
        case .svg:
            cairo_surface_finish(surface)
            try check(cairo_surface_status(surface), "write SVG")
            sink.bytes = SVGIdentifiers.canonical(sink.bytes)
        }
        try check(cairo_status(cr), "draw")
        return sink.bytes
    }

    private func check(_ status: cairo_status_t, _ operation: String) throws {
        guard status == CAIRO_STATUS_SUCCESS else {
            throw GISError(.operation, operation: operation, message: String(cString: cairo_status_to_string(status)))
        }
    }

    // MARK: drawing

    func setColour(_ c: MapColour, alpha: Double = 1) {
        cairo_set_source_rgba(cr, c.red, c.green, c.blue, alpha)
    }

    func rectangle(_ x: Double, _ y: Double, _ w: Double, _ h: Double) { cairo_rectangle(cr, x, y, w, h) }
    func move(_ x: Double, _ y: Double) { cairo_move_to(cr, x, y) }
    func line(_ x: Double, _ y: Double) { cairo_line_to(cr, x, y) }
    func close() { cairo_close_path(cr) }
    func circle(_ x: Double, _ y: Double, _ r: Double) {
        cairo_new_sub_path(cr)
        cairo_arc(cr, x, y, r, 0, 2 * Double.pi)
        cairo_close_path(cr)
    }
    func newPath() { cairo_new_path(cr) }

    func fill(_ c: MapColour, alpha: Double = 1, preserve: Bool = false) {
        setColour(c, alpha: alpha)
        if preserve { cairo_fill_preserve(cr) } else { cairo_fill(cr) }
    }

    func stroke(_ s: MapStroke, preserve: Bool = false) {
        setColour(s.colour)
        cairo_set_line_width(cr, s.width)
        if preserve { cairo_stroke_preserve(cr) } else { cairo_stroke(cr) }
    }

    /// Fills with the even–odd rule, so holes (rings inside rings) stay empty.
    func useEvenOddFill() { cairo_set_fill_rule(cr, CAIRO_FILL_RULE_EVEN_ODD) }

    func save() { cairo_save(cr) }
    func restore() { cairo_restore(cr) }
    func clip(_ x: Double, _ y: Double, _ w: Double, _ h: Double) {
        cairo_rectangle(cr, x, y, w, h)
        cairo_clip(cr)
    }

    // MARK: text

    func font(size: Double, bold: Bool = false) {
        cairo_select_font_face(
            cr, Self.fontFamily, CAIRO_FONT_SLANT_NORMAL, bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL)
        cairo_set_font_size(cr, size)
    }

    /// Advance width and the ink box's height of `text` in the current font.
    func measure(_ text: String) -> (width: Double, height: Double) {
        var e = cairo_text_extents_t()
        cairo_text_extents(cr, text, &e)
        return (e.x_advance, e.height)
    }

    /// Draws `text` with its baseline's left end at (x, y); a `halo` is stroked under it.
    func text(_ text: String, x: Double, y: Double, colour: MapColour = .black, halo: MapStroke? = nil) {
        if let halo {
            cairo_move_to(cr, x, y)
            cairo_text_path(cr, text)
            stroke(halo)
        }
        cairo_move_to(cr, x, y)
        setColour(colour)
        cairo_show_text(cr, text)
    }
}
