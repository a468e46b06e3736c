import Cartography
import Foundation
import GIS
import Testing

@testable import Workflows

/// Two areas of one palette colour meeting across a thin border, on a decoded map.
func sameColourNeighbours(_ raster: MapRaster, fromX: Int) -> Int {
    raster.sameColourBorders(palette: QualitativePalette.light, fromX: fromX)
}

@Suite("Map workflow on the demo territory")
struct MapWorkflowTests {
    static let root = WorkflowTests.root
    let parroquias = WorkflowTests.root + "/shapes/demo/parroquias.shp"

    func temporary(_ name: String) -> String {
        NSTemporaryDirectory() + "territorio-map-" + UUID().uuidString + "-" + name
    }

    @Test func aPlanMapNeverGivesNeighboursOneColour() throws {
        let out = temporary("cantones.png")
        defer { try? FileManager.default.removeItem(atPath: out) }
        var settings = MapSettings(layer: parroquias, output: out)
        settings.theme = .categories(field: "DPA_CANTON", dissolve: true)
        settings.drawLabels = false
        let result = try MapWorkflow.run(settings)
        // Hand count: the demo's cantones are the distinct DPA_CANTON codes.
        let layer = try ShapefileReader.read(parroquias)
        let canton = try layer.requireField("DPA_CANTON")
        let cantones = Set(layer.features.map { $0.attributes[canton].description })
        #expect(result.categories == cantones.count)
        #expect((2...5).contains(result.colours ?? 0))
        // The written file, decoded by libpng, shows no two neighbours in one colour.
        let raster = try MapRaster.read(
            png: Array(try Data(contentsOf: URL(fileURLWithPath: out))), source: out)
        #expect(raster.width == 1600 && raster.height == result.height)
        #expect(sameColourNeighbours(raster, fromX: raster.width * 3 / 10) == 0)
    }

    /// The checker above can fail: two touching squares in one colour with a border between.
    @Test func theNeighbourCheckSeesASharedColour() throws {
        func square(_ x: Double) -> GeometryValue {
            .polygon(
                PolygonValue(exterior: [
                    Coordinate(x, 0), Coordinate(x + 50, 0), Coordinate(x + 50, 50), Coordinate(x, 50),
                    Coordinate(x, 0),
                ]))
        }
        let colour = QualitativePalette.light[0]
        let page = MapPage(
            width: 800, title: "x",
            main: MapPanel(
                world: Envelope(minX: 0, minY: 0, maxX: 100, maxY: 50),
                layers: [
                    .polygons(
                        shapes: [square(0), square(50)], fills: [colour, colour], edge: MapStroke(.border, width: 1))
                ],
                metresPerUnit: 1))
        #expect(sameColourNeighbours(try MapRenderer.raster(page), fromX: 240) > 100)
    }

    @Test func choroplethClassesAreTheNearestRankQuantiles() throws {
        var settings = MapSettings(layer: parroquias, output: temporary("pob.svg"))
        settings.theme = .choropleth(
            field: "POB_2022", classes: 4, method: .quantile, palette: .ylgnbu, reversed: false)
        let (page, result) = try MapWorkflow.makePage(settings)
        let layer = try ShapefileReader.read(parroquias)
        let pob = try layer.requireField("POB_2022")
        let sorted = layer.features.compactMap { $0.attributes[pob].number }.sorted()
        let n = sorted.count
        // Nearest rank: the value at rank ⌈k n / 4⌉ (1-based).
        let expected = [1, 2, 3].map { sorted[Int((Double($0 * n) / 4).rounded(.up)) - 1] } + [sorted[n - 1]]
        #expect(result.breaks?.upperBounds == expected)
        // The legend counts every feature once.
        let counts = page.legend[0].entries.compactMap { e -> Int? in
            guard let open = e.label.lastIndex(of: "("), let close = e.label.lastIndex(of: ")") else { return nil }
            return Int(e.label[e.label.index(after: open)..<close])
        }
        #expect(counts.reduce(0, +) == n)
        #expect(result.mainFeatures == n && result.insetFeatures == 0)
    }

    @Test func aJoinedTableIsMappedAndCheckedAtTheBorder() throws {
        let table = temporary("join.csv")
        defer { try? FileManager.default.removeItem(atPath: table) }
        let layer = try ShapefileReader.read(parroquias)
        let code = try layer.requireField("DPA_PARROQ")
        let codes = layer.features.map { $0.attributes[code].description }
        // The es-spreadsheet dialect: BOM, ';' and decimal commas; one code left out.
        var text = "\u{FEFF}DPA_PARROQ;share\r\n"
        for (i, c) in codes.dropFirst().enumerated() { text += "\(c);0,\(i % 10)5\r\n" }
        try text.write(toFile: table, atomically: true, encoding: .utf8)
        let (joined, report) = try TableJoin(table: table, on: "DPA_PARROQ").apply(to: layer)
        #expect(report.matchedFeatures == codes.count - 1 && report.unmatchedFeatures == 1)
        let share = try joined.requireField("share")
        #expect(joined.fields[share].type == .decimal)
        #expect(joined.features[1].attributes[share] == .decimal(0.05))
        #expect(joined.features[0].attributes[share] == .null)

        try (text + "\(codes[1]);0,5\r\n").write(toFile: table, atomically: true, encoding: .utf8)
        #expect {
            try TableJoin(table: table, on: "DPA_PARROQ").apply(to: layer)
        } throws: { ($0 as? GISError)?.message.contains("repeats the one on line 2") == true }
        #expect(throws: GISError.self) { try TableJoin(table: table, on: "DPA_PARROQ=nope").apply(to: layer) }
        #expect(throws: WorkflowError.self) { try TableJoin(table: table, on: "=x") }
    }

    @Test func badSettingsFailBeforeAnythingIsWritten() throws {
        let out = temporary("bad.png")
        var settings = MapSettings(layer: parroquias, output: out)
        settings.theme = .choropleth(
            field: "DPA_DESPAR", classes: 5, method: .quantile, palette: .ylgnbu, reversed: false)
        #expect { try MapWorkflow.run(settings) } throws: {
            ($0 as? GISError)?.message.contains("not numeric") == true
        }
        settings.theme = .choropleth(
            field: "POB_2022", classes: 12, method: .quantile, palette: .ylgnbu, reversed: false)
        #expect(throws: WorkflowError.self) { try MapWorkflow.run(settings) }
        settings.theme = .plain
        settings.width = 100
        #expect(throws: WorkflowError.self) { try MapWorkflow.run(settings) }
        settings.width = 1600
        settings.output = temporary("bad.pdf")
        #expect(throws: GISError.self) { try MapWorkflow.run(settings) }
        #expect(!FileManager.default.fileExists(atPath: out))
    }
}

@Suite("National plan map colouring (../shared/data)", .enabled(if: NationalMapData.required))
struct NationalMapColouringTests {
    /// The official distritos' colours checked against an adjacency found without GEOS: two
    /// parishes are neighbours when their rings share a vertex (coordinates to the centimetre),
    /// and parishes of different distritos that are neighbours must have different colours.
    @Test func officialDistritosThatShareAVertexHaveDifferentColours() throws {
        let root = NationalMapData.root
        var settings = MapSettings(layer: root + "/dpa/parroquias.shp", output: "unused.png")
        settings.join = TableJoin(
            table: root + "/plans/distritos_oficial_parroquias2012.csv", layerKey: "DPA_PARROQ", tableKey: "dpa_parroq")
        settings.theme = .categories(field: "distrito", dissolve: true)
        settings.drawLabels = false
        let (_, result) = try MapWorkflow.makePage(settings)
        #expect(result.categoryColours.count == result.categories)

        let layer = try ShapefileReader.read(root + "/dpa/parroquias.shp")
        let (joined, _) = try #require(settings.join).apply(to: layer)
        let distrito = try joined.requireField("distrito")
        struct Key: Hashable { let x: Int64, y: Int64 }
        var parishesAt: [Key: Set<Int>] = [:]
        for (i, f) in joined.features.enumerated() {
            f.geometry?.forEachCoordinate { c in
                parishesAt[Key(x: Int64((c.x * 100).rounded()), y: Int64((c.y * 100).rounded())), default: []].insert(i)
            }
        }
        var pairs = Set<[String]>()
        for members in parishesAt.values where members.count > 1 {
            let codes = Set(members.map { joined.features[$0].attributes[distrito].description }).filter { !$0.isEmpty }
            for a in codes { for b in codes where a < b { pairs.insert([a, b]) } }
        }
        #expect(pairs.count > 250)  // 140 distritos on a map have some 300 neighbouring pairs
        let clashes = pairs.filter { result.categoryColours[$0[0]] == result.categoryColours[$0[1]] }
        #expect(clashes.isEmpty, "neighbours in one colour: \(clashes.sorted { $0[0] < $1[0] }.prefix(10))")
    }
}

enum NationalMapData {
    static let root = WorkflowTests.root + "/../shared/data"
    static var required: Bool {
        FileManager.default.fileExists(atPath: root + "/dpa/parroquias.shp")
            || ProcessInfo.processInfo.environment["CI"] != nil
    }
}
