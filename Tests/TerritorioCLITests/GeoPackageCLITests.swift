import Foundation
import GIS
import Testing

@Suite("GeoPackage from the command line")
struct GeoPackageCLITests {
    @Test func aPlanIsOneGeoPackageThatTheOtherCommandsRead() throws {
        let dir = NSTemporaryDirectory() + "territorio-gpkg-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let r = try CLI.run([
            "propose", "--units", "shapes/demo/parroquias.shp", "--links", "auto", "--split", "--split-points",
            "Data/demo/population_points.csv", "--split-weight", "pop", "--quiet", "--gpkg", "--out", dir + "/plan",
        ])
        #expect(r.status == 0, "\(r.stderr)")
        let gpkg = dir + "/plan/plan.gpkg"
        #expect(try GeoPackageReader.layers(gpkg) == ["circuitos", "distritos", "pieces", "units"])
        // The GeoPackage's distritos are the GeoJSON's, code for code and population for population.
        let fromGeoJSON = try LayerIO.read(dir + "/plan/distritos.geojson")
        let fromGeoPackage = try LayerIO.read(gpkg + ":distritos")
        func table(_ l: Layer) throws -> [String: String] {
            let code = try l.requireField("distrito"), pop = try l.requireField("POB_2022")
            return Dictionary(
                l.features.map { ($0.attributes[code].description, $0.attributes[pop].description) },
                uniquingKeysWith: { a, _ in a })
        }
        #expect(try table(fromGeoJSON) == table(fromGeoPackage))
        #expect(fromGeoPackage.crs == CRS("EPSG:32717"))
        // Every unit carries its codes; the plan's CSV agrees.
        let units = try LayerIO.read(gpkg + ":units")
        let plan = try CSVTable.read(dir + "/plan/plan.csv")
        let id = try units.requireField("DPA_PARROQ"), distrito = try units.requireField("distrito")
        let planDistrito = Dictionary(plan.rows.map { ($0[0], $0[1]) }, uniquingKeysWith: { a, _ in a })
        #expect(
            units.features.allSatisfy {
                planDistrito[$0.attributes[id].description] == $0.attributes[distrito].description
            })
        // The pieces are the units cut from a parroquia: PARENT names another code.
        let pieces = try LayerIO.read(gpkg + ":pieces")
        let parent = try units.requireField("PARENT")
        let cut = units.features.filter { $0.attributes[parent].description != $0.attributes[id].description }
        #expect(pieces.features.count == cut.count && cut.count > 0 && cut.count < units.features.count)
        // Other commands take a layer of it: inspect, convert, map.
        #expect(try CLI.run(["inspect", gpkg + ":pieces", "--fail-on-problems"]).status == 0)
        let converted = try CLI.run(["convert", gpkg + ":circuitos", dir + "/circuitos.gpkg"])
        #expect(converted.status == 0, "\(converted.stderr)")
        #expect(
            try LayerIO.read(dir + "/circuitos.gpkg").features.count == LayerIO.read(gpkg + ":circuitos").features.count
        )
        let map = try CLI.run([
            "map", gpkg + ":distritos", "--categories", "distrito", "--quiet", "-o", dir + "/d.png",
        ])
        #expect(map.status == 0, "\(map.stderr)")
        // Proposed sites too: place --gpkg writes them as one layer, the same as the GeoJSON.
        let place = try CLI.run([
            "place", dir + "/plan/plan.csv", "--units", "shapes/demo/parroquias.shp", "--links", "auto", "--split",
            "--split-points", "Data/demo/population_points.csv", "--split-weight", "pop", "--establishments",
            "Data/demo/establishments.csv", "--quiet", "--gpkg", "--out", dir + "/place",
        ])
        #expect(place.status == 0, "\(place.stderr)")
        let sites = try LayerIO.read(dir + "/place/sites.gpkg:sites")
        let sitesJSON = try LayerIO.read(dir + "/place/sites.geojson")
        #expect(sites.features.count == sitesJSON.features.count && sites.features.count > 0)
        // Numbers compare as numbers (GeoJSON has no integer/real distinction: 400000 reads back as
        // an integer there, as a REAL from the GeoPackage).
        func values(_ l: Layer) -> [[String]] {
            l.features.map { $0.attributes.map { a in a.number.map { String($0) } ?? a.description } }
        }
        #expect(values(sites) == values(sitesJSON), "the GeoPackage's sites differ from the GeoJSON's")
        #expect(sites.crs == CRS("EPSG:4326"))
        let unnamed = try CLI.run(["inspect", gpkg])
        #expect(unnamed.status == 2 && unnamed.stderr.contains("name one as"))
    }
}
