import GIS
import Testing

@testable import Cartography

@Suite("Map rendering")
struct MapRenderingTests {
    static let red = MapColour(hex: 0xCC0000)
    static let blue = MapColour(hex: 0x0000CC)

    func square(_ x: Double, _ y: Double, _ side: Double, hole: Double = 0) -> GeometryValue {
        func ring(_ x: Double, _ y: Double, _ s: Double) -> [Coordinate] {
            [Coordinate(x, y), Coordinate(x + s, y), Coordinate(x + s, y + s), Coordinate(x, y + s), Coordinate(x, y)]
        }
        let c = side / 2
        return .polygon(
            PolygonValue(
                exterior: ring(x, y, side), holes: hole > 0 ? [ring(x + c - hole / 2, y + c - hole / 2, hole)] : []))
    }

    func page(_ shapes: [GeometryValue], _ fills: [MapColour]) -> MapPage {
        MapPage(
            width: 800, title: "Prueba",
            main: MapPanel(
                world: Envelope(minX: 0, minY: 0, maxX: 100, maxY: 100),
                layers: [.polygons(shapes: shapes, fills: fills, edge: nil)], metresPerUnit: 1000))
    }

    /// Count and centroid of the pixels of one exact colour.
    func blob(_ r: MapRaster, _ c: MapColour) -> (count: Int, x: Double, y: Double) {
        let target = MapRaster.opaque(c)
        var n = 0, sx = 0.0, sy = 0.0
        for y in 0..<r.height {
            for x in 0..<r.width where r.pixels[y * r.width + x] == target {
                n += 1
                sx += Double(x)
                sy += Double(y)
            }
        }
        return (n, n > 0 ? sx / Double(n) : .nan, n > 0 ? sy / Double(n) : .nan)
    }

    @Test func northIsUpAndAreasAreKept() throws {
        // Red in the north-west quarter, blue in the south-east: same areas, red up and left.
        let raster = try MapRenderer.raster(page([square(0, 50, 50), square(50, 0, 50)], [Self.red, Self.blue]))
        let r = blob(raster, Self.red), b = blob(raster, Self.blue)
        #expect(r.count > 10_000)
        #expect(abs(Double(r.count - b.count)) / Double(b.count) < 0.02)
        #expect(r.x < b.x)
        #expect(r.y < b.y)
        // The two quarters touch at one corner: their centroids are one side apart on both axes.
        #expect(abs((b.x - r.x) - (b.y - r.y)) < 1.5)
    }

    @Test func holesStayEmpty() throws {
        let raster = try MapRenderer.raster(
            page([square(5, 50, 40), square(55, 50, 40, hole: 20)], [Self.red, Self.blue]))
        let full = blob(raster, Self.red).count, holed = blob(raster, Self.blue).count
        #expect(abs(Double(holed) / Double(full) - 0.75) < 0.02)
    }

    @Test func pngAndSvgAreDeterministicAndWellFormed() throws {
        let p = page([square(10, 10, 30)], [Self.red])
        let png1 = try MapRenderer.render(p, format: .png), png2 = try MapRenderer.render(p, format: .png)
        #expect(png1.bytes.elementsEqual(png2.bytes), "PNG differs between two renders")
        #expect(Array(png1.bytes.prefix(8)) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        // The written PNG decodes to the raster drawn in memory.
        let decoded = try MapRaster.read(png: png1.bytes, source: "memory")
        let direct = try MapRenderer.raster(p)
        #expect(decoded.width == direct.width && decoded.height == direct.height)
        #expect(decoded.pixels.elementsEqual(direct.pixels), "decoded PNG differs from the drawn raster")
        let svg1 = try MapRenderer.render(p, format: .svg), svg2 = try MapRenderer.render(p, format: .svg)
        #expect(svg1.bytes.elementsEqual(svg2.bytes), "SVG differs between two renders")
        let text = String(decoding: svg1.bytes, as: UTF8.self)
        #expect(text.hasPrefix("<?xml"))
        #expect(text.contains("<svg") && text.hasSuffix("</svg>\n"))
        #expect(text.contains("rgb(80%,0%,0%)"))
    }

    @Test func badPagesAreRefused() throws {
        var p = page([square(0, 0, 10)], [Self.red])
        p.width = 100
        #expect(throws: GISError.self) { try MapRenderer.render(p, format: .png) }
        #expect(throws: GISError.self) { try MapFormat(path: "map.pdf") }
        #expect(try MapFormat(path: "A.PNG") == .png)
        #expect(throws: GISError.self) { try MapRaster.read(png: [1, 2, 3], source: "bad.png") }
    }

    @Test func insetAndLegendGetTheirOwnRoom() throws {
        var p = page([square(0, 0, 100)], [Self.red])
        p.insets = [
            MapPanel(
                world: Envelope(minX: 0, minY: 0, maxX: 10, maxY: 10),
                layers: [.polygons(shapes: [square(0, 0, 10)], fills: [Self.blue], edge: nil)], caption: "Galápagos",
                metresPerUnit: 1000)
        ]
        p.legend = [LegendSection(title: "clases", entries: [LegendEntry(.fill(Self.red), "uno")])]
        let raster = try MapRenderer.raster(p)
        let main = blob(raster, Self.red), inset = blob(raster, Self.blue)
        // The inset sits in the left column, the main map to its right; the legend's red
        // swatch adds a few pixels on the left; the main frame is over twice the column's width.
        #expect(inset.count > 1000)
        #expect(inset.x < Double(raster.width) * 0.3)
        #expect(main.x > Double(raster.width) * 0.5)
        #expect(main.count > 5 * inset.count)
    }

    @Test func coincidentSymbolsOfDifferentClassesAreSpread() {
        let at = Coordinate(100, 100)
        let placed = PanelRenderer.symbolPositions(
            [at, at, at, Coordinate(10, 10)], classes: [0, 0, 1, 0], classCount: 2, size: 10)
        #expect(placed.count == 4)
        // Class 0 (three points) is drawn first; the rare class 1 last, on top.
        #expect(placed.last?.symbol == 1)
        let zeroAtSpot = placed.filter { $0.symbol == 0 && abs($0.x - 100) < 10 && abs($0.y - 100) < 10 }
        let one = placed.first { $0.symbol == 1 }
        #expect(zeroAtSpot.count == 2)
        // Same class at the same spot: one position; the other class: another.
        #expect(zeroAtSpot[0].x == zeroAtSpot[1].x && zeroAtSpot[0].y == zeroAtSpot[1].y)
        #expect(one.map { $0.x != zeroAtSpot[0].x || $0.y != zeroAtSpot[0].y } == true)
        // Bad classes and positions are left out.
        #expect(
            PanelRenderer.symbolPositions([at, Coordinate(.nan, 0)], classes: [5, 0], classCount: 2, size: 10).isEmpty)
    }
}
