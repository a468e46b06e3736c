import CCairo
import GIS

/// A drawn page's pixels, row by row, as premultiplied 0xAARRGGBB.
public struct MapRaster: Sendable {
    public let width: Int
    public let height: Int
    public let pixels: [UInt32]

    public init(width: Int, height: Int, pixels: [UInt32]) {
        self.width = width
        self.height = height
        self.pixels = pixels
    }

    /// The pixel at (x, y) (y down), or nil outside the page.
    public func pixel(_ x: Int, _ y: Int) -> UInt32? {
        guard x >= 0, y >= 0, x < width, y < height else { return nil }
        return pixels[y * width + x]
    }

    /// A PNG file decoded by cairo's own reader (`cairo_image_surface_create_from_png_stream`,
    /// libpng): how tests look at a written map independently of the drawing code.
    public static func read(png: [UInt8], source: String) throws -> MapRaster {
        final class Reader {
            let bytes: [UInt8]
            var offset = 0
            init(_ bytes: [UInt8]) { self.bytes = bytes }
        }
        let reader = Reader(png)
        let read: cairo_read_func_t = { closure, data, length in
            guard let closure, let data else { return CAIRO_STATUS_READ_ERROR }
            let r = Unmanaged<Reader>.fromOpaque(closure).takeUnretainedValue()
            let n = Int(length)
            guard r.offset + n <= r.bytes.count else { return CAIRO_STATUS_READ_ERROR }
            r.bytes.withUnsafeBufferPointer { all in
                for i in 0..<n { data[i] = all[r.offset + i] }
            }
            r.offset += n
            return CAIRO_STATUS_SUCCESS
        }
        let surface = withExtendedLifetime(reader) {
            cairo_image_surface_create_from_png_stream(read, Unmanaged.passUnretained(reader).toOpaque())
        }
        defer { cairo_surface_destroy(surface) }
        let status = cairo_surface_status(surface)
        guard status == CAIRO_STATUS_SUCCESS, let raster = MapRaster(imageSurface: surface) else {
            throw GISError(
                .input, operation: "read PNG", file: source, message: String(cString: cairo_status_to_string(status)))
        }
        return raster
    }

    /// The pixels of a cairo image surface (ARGB32, or RGB24 read as opaque); nil when it has
    /// none.
    init?(imageSurface surface: OpaquePointer?) {
        cairo_surface_flush(surface)
        let format = cairo_image_surface_get_format(surface)
        guard format == CAIRO_FORMAT_ARGB32 || format == CAIRO_FORMAT_RGB24,
            let data = cairo_image_surface_get_data(surface)
        else { return nil }
        let alpha: UInt32 = format == CAIRO_FORMAT_RGB24 ? 0xFF00_0000 : 0
        let w = Int(cairo_image_surface_get_width(surface)), h = Int(cairo_image_surface_get_height(surface))
        let stride = Int(cairo_image_surface_get_stride(surface))
        var pixels = [UInt32](repeating: 0, count: w * h)
        for row in 0..<h {
            let line = UnsafeRawPointer(data + row * stride).assumingMemoryBound(to: UInt32.self)
            for col in 0..<w { pixels[row * w + col] = line[col] | alpha }
        }
        self.init(width: w, height: h, pixels: pixels)
    }

    /// A colour as this raster stores it when opaque.
    public static func opaque(_ c: MapColour) -> UInt32 {
        func byte(_ v: Double) -> UInt32 { UInt32((min(1, max(0, v)) * 255).rounded()) }
        return 0xFF00_0000 | byte(c.red) << 16 | byte(c.green) << 8 | byte(c.blue)
    }

    /// How many places show two areas of the same `palette` colour meeting across a thin border
    /// (1–4 px of pixels not in the palette): on a plan map, two neighbours a reader would take
    /// for one. Rows and columns are scanned from x = `fromX` (to leave out the legend column),
    /// and a meeting counts only where it goes on along three consecutive lines, as a shared
    /// border does (the anti-aliased tip of a wedge between two areas shows on one line only).
    /// Areas of one category separated by water narrower than 4 px count too. O(pixels).
    public func sameColourBorders(palette colours: [MapColour], fromX: Int) -> Int {
        let palette = Set(colours.map(Self.opaque))
        let start = max(0, min(width, fromX))
        func meetings(lines: Int, length: Int, pixel: (Int, Int) -> UInt32) -> Set<[Int]> {
            var found = Set<[Int]>()
            for line in 0..<lines {
                var last: UInt32?
                var gap = 0
                for i in 0..<length {
                    let p = pixel(line, i)
                    if palette.contains(p) {
                        if let l = last, gap > 0, gap <= 4, l == p { found.insert([line, i]) }
                        last = p
                        gap = 0
                    } else {
                        gap += 1
                        if gap > 4 { last = nil }
                    }
                }
            }
            return found
        }
        func persistent(_ found: Set<[Int]>) -> Int {
            found.filter { m in
                (1...2).allSatisfy { d in (-3...3).contains { found.contains([m[0] + d, m[1] + $0]) } }
            }.count
        }
        let rows = meetings(lines: height, length: width - start) { y, i in pixels[y * width + start + i] }
        let columns = meetings(lines: width - start, length: height) { x, y in pixels[y * width + start + x] }
        return persistent(rows) + persistent(columns)
    }
}
