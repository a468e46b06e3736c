import Foundation
import GIS
import Testing

/// Invariants of the bundled synthetic demo territory (Data/README.md).
@Suite("Demo territory")
struct DemoTerritoryTests {
    let parishes: Layer
    init() throws {
        parishes = try ShapefileReader.read(Project.root + "/shapes/demo/parroquias.shp")
    }

    @Test func codesNestAndPopulationMatchesPoints() throws {
        let code = try parishes.requireField("DPA_PARROQ"), canton = try parishes.requireField("DPA_CANTON"),
            province = try parishes.requireField("DPA_PROVIN")
        for f in parishes.features {
            let c = f.attributes[code].description
            #expect(c.count == 6)
            #expect(f.attributes[canton].description == String(c.prefix(4)))
            #expect(f.attributes[province].description == String(c.prefix(2)))
        }
        #expect(Set(parishes.features.map { $0.attributes[province].description }).count == 3)
        let pop = try parishes.requireField("POB_2022")
        let total = parishes.features.reduce(Int64(0)) { t, f in
            if case .integer(let v) = f.attributes[pop] { t + v } else { t }
        }
        let points = try CSVPointReader.read(Project.root + "/Data/demo/population_points.csv").layer
        let w = try points.requireField("pop")
        #expect(
            points.features.reduce(Int64(0)) { t, f in if case .integer(let v) = f.attributes[w] { t + v } else { t } }
                == total)
        // An urban parroquia far above a circuito's 11 000 people.
        #expect(
            parishes.features.contains { if case .integer(let v) = $0.attributes[pop] { v > 100_000 } else { false } })
        #expect(
            parishes.features.contains { $0.attributes[try! parishes.requireField("DPA_DESPRO")] == .text("CAÑAVERAL") }
        )
    }

    @Test func tilesWithoutGapsOrOverlapsAndHasOneIsland() throws {
        let proj = try ProjContext()
        let measure = try GeodesicMeasure(crs: .utm17S, context: proj)
        let d = try LayerDiagnostics.check(parishes, measure: measure, sliverWidth: 0)
        #expect(d.isClean)
        let g = try Contiguity.build(parishes, rule: .rook, measure: measure)
        #expect(g.components.count == 2)
        let code = try parishes.requireField("DPA_PARROQ")
        #expect(g.isolated.map { parishes.features[$0].attributes[code].description } == ["310554"])
        // Cantones dissolve to single polygons (the island's cantón to two), via coverage union;
        // only the island's cantón, in two polygons, is confirmed by overlay.
        let (cantones, report) = try Dissolve.run(parishes, options: .init(keyField: "DPA_CANTON"))
        #expect(report.overlayGroups == ["3105"])
        #expect(cantones.features.filter { $0.geometry?.polygons.count != 1 }.count == 1)
    }

    @Test func establishmentsAndRoads() throws {
        let est = try CSVPointReader.read(Project.root + "/Data/demo/establishments.csv").layer
        let type = try est.requireField("type")
        #expect(
            Set(est.features.map { $0.attributes[type].description }) == ["health", "education", "police", "child"])
        #expect(est.fields[try est.requireField("capacity")].type == .integer)
        let roads = try ShapefileReader.read(Project.root + "/shapes/demo/roads.shp")
        #expect(roads.kind == .line)
        let cls = try roads.requireField("class")
        #expect(
            Set(roads.features.map { $0.attributes[cls].description }) == ["primary", "secondary", "track", "ferry"])
    }
}
