import Foundation
import GIS
import Testing

/// On the real INEC/MinEduc data in ../shared/data (figures from its README).
@Suite("National data (../shared/data)", .enabled(if: SharedData.required), .serialized)
struct NationalDataTests {
    static let parishes: Result<Layer, Error> = Result {
        try ShapefileReader.read(try SharedData.path("dpa/parroquias.shp"))
    }

    func parishes() throws -> Layer { try Self.parishes.get() }

    func total(_ layer: Layer, _ field: String) throws -> Int64 {
        let i = try layer.requireField(field)
        return layer.features.reduce(0) { t, f in if case .integer(let v) = f.attributes[i] { t + v } else { t } }
    }

    @Test func parishLayerLoadsWithCodesPopulationAndNames() throws {
        let layer = try parishes()
        #expect(layer.features.count == 1_040)
        let code = try layer.requireField("DPA_PARROQ")
        let codes = layer.features.map { $0.attributes[code].description }
        #expect(Set(codes).count == 1_040)
        #expect(codes.allSatisfy { $0.count == 6 })
        #expect(try total(layer, "POB_2022") == 16_938_986)
        let provinces = Set(layer.features.map { $0.attributes[try! layer.requireField("DPA_DESPRO")].description })
        #expect(provinces.contains("CAÑAR"))
        let names = Set(layer.features.map { $0.attributes[try! layer.requireField("DPA_DESPAR")].description })
        #expect(names.contains("BAÑOS"))
        #expect(names.contains { $0.hasPrefix("ISLA SANTA MARÍA (FLOREANA)") })
        #expect(names.contains("PUERTO BAQUERIZO MORENO"))
        #expect(layer.features.filter { $0.geometry?.polygons.count ?? 0 > 1 }.count == 32)
        #expect(try ProjContext().describe(try #require(layer.crs)).identifier == "EPSG:32717")
    }

    @Test func nationalAreaAgreesWithTheOfficialFigure() throws {
        let layer = try parishes()
        let measure = try GeodesicMeasure(crs: try #require(layer.crs), context: try ProjContext())
        let area = try layer.features.reduce(0.0) { $0 + (try measure.area(try #require($1.geometry))) } / 1e6
        // Equal-area / geodesic ≈ 255 738 km²; official ≈ 256 370 km²: within 0.5 %.
        #expect(abs(area - 255_738) < 5)
        #expect(abs(area - 256_370) / 256_370 < 0.005)
    }

    @Test func dissolvesToCantonesAndProvinciasConservingPopulation() throws {
        let layer = try parishes()
        let ctx = GeometryContext()
        let (cantones, r1) = try Dissolve.run(
            layer, options: .init(keyField: "DPA_PARROQ", prefix: 4, outputKey: "DPA_CANTON"), context: ctx)
        #expect(cantones.features.count == 224)
        #expect(try total(cantones, "POB_2022") == 16_938_986)
        #expect(r1.sums.allSatisfy { $0.input == $0.output })
        let (provincias, _) = try Dissolve.run(
            cantones, options: .init(keyField: "DPA_CANTON", prefix: 2, outputKey: "DPA_PROVIN"), context: ctx)
        #expect(provincias.features.count == 25)
        #expect(try total(provincias, "POB_2022") == 16_938_986)
        #expect(try total(provincias, "n_members") == 1_040)
        // Galápagos (20) is 8 islands groups in one MultiPolygon; Pichincha (17) one polygon.
        let key = try provincias.requireField("DPA_PROVIN")
        let pichincha = try #require(provincias.features.first { $0.attributes[key] == .text("17") })
        #expect(try ctx.geometry(try #require(pichincha.geometry)).isValid())
    }

    @Test func contiguityHasNineComponentsAndFourIsolatedParishes() throws {
        let layer = try parishes()
        let measure = try GeodesicMeasure(crs: try #require(layer.crs), context: try ProjContext())
        let code = try layer.requireField("DPA_PARROQ")
        for rule in ContiguityRule.allCases {
            let g = try Contiguity.build(layer, rule: rule, measure: measure)
            let components = g.components
            #expect(components.count == 9)
            #expect(components[0].count == 1_027)
            #expect(
                Set(g.isolated.map { layer.features[$0].attributes[code].description }) == [
                    "071252", "080552", "090157", "200152",
                ])
            let groups = Set(
                components.dropFirst().map { Set($0.map { layer.features[$0].attributes[code].description }) })
            #expect(groups.contains(["080250", "080257"]))
            #expect(groups.contains(["200350", "200351", "200352"]))
            #expect(groups.contains(["200150", "200151"]))
            #expect(groups.contains(["200250", "200251"]))
        }
    }

    @Test func dirtyConaliLayerOverlapsAreFoundAndRepaired() throws {
        let path = try SharedData.path("dpa/parroquias_conali_2024.geojson")
        let layer = try GeoJSONReader.read(path)
        #expect(layer.features.count == 1_049)
        #expect(layer.crs == .wgs84)
        let proj = try ProjContext()
        let measure = try GeodesicMeasure(crs: .wgs84, context: proj)
        let d = try LayerDiagnostics.check(layer, measure: measure)
        let total = try layer.features.reduce(0.0) { $0 + (try measure.area(try #require($1.geometry))) }
        // Neighbours overlap by about 2 % of the area.
        #expect(d.overlaps.count > 1_000)
        #expect(d.overlapArea / total > 0.01 && d.overlapArea / total < 0.03)
        let (fixed, report) = try LayerRepair.run(
            layer, removeOverlaps: true, orderField: "dpa_parroq", measure: measure)
        #expect(report.overlapsRemoved > 500)
        let after = try LayerDiagnostics.check(fixed, measure: measure)
        #expect(after.invalid.isEmpty)
        #expect(after.overlaps.isEmpty)
    }

    @Test func schoolsLoadAndAreEachLocatedOrReported() throws {
        let result = try CSVPointReader.read(try SharedData.path("establishments/escuelas_amie.csv"))
        #expect(result.layer.features.count == 17_947)
        #expect(result.rejected.isEmpty)
        let sost = try result.layer.requireField("sostenimiento")
        #expect(result.layer.features.filter { $0.attributes[sost] == .text("FISCAL") }.count == 13_313)
        let name = try result.layer.requireField("nombre")
        #expect(result.layer.features.contains { $0.attributes[name].description.contains("“GROW HAPPY”") })
        let layer = try parishes()
        let ctx = GeometryContext()
        let locator = try PolygonLocator(try LayerGeometries(layer, context: ctx))
        var points = result.layer.features.compactMap { f -> Coordinate? in
            if case .point(let c)? = f.geometry { c } else { nil }
        }
        try ProjContext().transform(from: .wgs84, to: .utm17S).apply(&points)
        var inside = 0, reported = 0
        for p in points {
            if try locator.locate(p) != nil {
                inside += 1
            } else if let nearest = try locator.nearest(p) {
                reported += 1
                #expect(nearest.distance < 5_000)  // coastal schools just off the simplified shore
            }
        }
        #expect(inside + reported == 17_947)
        #expect(inside > 17_900)
    }

    /// The people of Tomás de Berlanga (200251) live at Santo Tomás, in the south of Isabela
    /// (its one school's record: −91.0254, −0.8556), while the interior point of its polygon,
    /// which also holds the north of the island, lies 65 km away.
    @Test func peopleCentresFallWhereTheSchoolsGatherNotAtTheInteriorPoint() throws {
        let schools = try CSVPointReader.read(try SharedData.path("establishments/escuelas_amie.csv")).layer
        var points = schools.features.compactMap { f -> Coordinate? in
            if case .point(let c)? = f.geometry { c } else { nil }
        }
        try ProjContext().transform(from: .wgs84, to: .utm17S).apply(&points)
        let layer = try parishes()
        let found = try PeopleCentres.locate(points.map { WeightedPoint($0) }, in: layer)
        #expect(found.pointsInside.reduce(0, +) + found.outside == 17_947)
        let code = try layer.requireField("DPA_PARROQ")
        let berlanga = try #require(layer.features.firstIndex { $0.attributes[code].description == "200251" })
        let toLonLat = try ProjContext().transform(from: .utm17S, to: .wgs84)
        let centre = try toLonLat.apply(try #require(found.centres[berlanga]))
        let geodesic = Geodesic()
        #expect(geodesic.distance(centre, Coordinate(-91.025445, -0.855548)) < 1)
        let interior = try toLonLat.apply(
            try GeometryContext().geometry(try #require(layer.features[berlanga].geometry)).pointOnSurface()
                .pointCoordinate())
        #expect(geodesic.distance(interior, Coordinate(-91.025445, -0.855548)) > 60_000)
        // Every centre is one of the points, covered by its own polygon (GEOS, not the index
        // that located them).
        let ctx = GeometryContext()
        var placed = 0
        for (k, c) in found.centres.enumerated() {
            guard let c, let g = layer.features[k].geometry else { continue }
            placed += 1
            #expect(points.contains(c))
            #expect(try PreparedGeometry(try ctx.geometry(g)).covers(try ctx.point(c)), "record \(k + 1)")
        }
        #expect(placed > 1_000)
    }
}
