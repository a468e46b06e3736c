import Foundation
import GIS
import Planning
import Testing
@testable import Workflows

/// The services commands measure travel with the same service as `access`.
@Suite("Travel times for the services commands")
struct ServiceTravelTests {
    static let root = WorkflowTests.root

    @Test func straightTimesAreGeodesicAtTheSpeed() throws {
        let times = ModelTravelTimes(.straight(try StraightLine(detour: 1.5, speedKmh: 20)))
        // One degree of latitude at the equator: 110,574.4 m on WGS 84 (Karney's table);
        // × 1.5 at 20 km/h (333.3 m/min) = 497.6 minutes.
        let m = times.minutes(from: [GeoPoint(lon: 0, lat: 0)], to: [GeoPoint(lon: 0, lat: 1), GeoPoint(lon: 0, lat: 0)])
        #expect(abs(m[0][0] - 110_574.4 * 1.5 / (20_000.0 / 60)) < 0.01)
        #expect(m[0][1] == 0)
        let nearest = times.nearestMinutes(from: [GeoPoint(lon: 0, lat: 0.9)], to: [GeoPoint(lon: 0, lat: 0), GeoPoint(lon: 0, lat: 1)])
        #expect(abs(nearest[0] - m[0][0] / 10) < 0.05)
        #expect(times.nearestMinutes(from: [GeoPoint(lon: 0, lat: 0)], to: []) == [.infinity])
    }

    func demoRoads() throws -> ModelTravelTimes {
        let (model, _) = try TravelSettings.roads(.init(layer: Self.root + "/shapes/demo/roads.shp")).model(
            readOptions: LayerReadOptions(), proj: try ProjContext(), log: .silent)
        return ModelTravelTimes(model)
    }

    @Test func roadMatrixAgreesWithNearestAndDiffersFromStraightLines() throws {
        let roads = try demoRoads()
        let seats = try TerritoryLoader.load(WorkflowTests().territory, log: .silent).territory.units.map(\.location)
        let sites = Array(seats.prefix(12))
        let matrix = roads.minutes(from: seats, to: sites)
        let nearest = roads.nearestMinutes(from: seats, to: sites)
        #expect(matrix.count == seats.count && matrix.allSatisfy { $0.count == sites.count })
        for (row, best) in zip(matrix, nearest) {
            let low = try #require(row.min())
            #expect(abs(low - best) < 1e-9 || (low.isInfinite && best.isInfinite))
        }
        // A seat's own site is 0 minutes away; elsewhere roads and straight lines disagree.
        for j in sites.indices { #expect(matrix[j][j] == 0) }
        let straight = ModelTravelTimes(.straight(try StraightLine(speedKmh: 20))).minutes(from: seats, to: sites)
        let differing = zip(matrix.joined(), straight.joined()).filter { abs($0 - $1) > 0.5 }.count
        #expect(differing > seats.count * sites.count / 2)
    }

    @Test func servicesRunOnRoads() throws {
        let dir = NSTemporaryDirectory() + "territorio-travel-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let territory = WorkflowTests().territory
        let layer = try LayerIO.read(territory.units)
        let id = try #require(layer.fieldIndex("DPA_PARROQ"))
        try (["dpa_parroq,distrito"] + layer.features.map { "\($0.attributes[id].description),31D01" })
            .joined(separator: "\n").write(toFile: dir + "/one.csv", atomically: true, encoding: .utf8)
        var options = ServiceOptions(plan: dir + "/one.csv", establishments: Self.root + "/Data/demo/establishments.csv")
        options.acceptInvalidPlan = true
        let straight = try ServiceLoader.load(territory, options, log: .silent)
        options.travel = .roads(.init(layer: Self.root + "/shapes/demo/roads.shp"))
        let roads = try ServiceLoader.load(territory, options, log: .silent)
        #expect(roads.travel.model.name == "roads" && straight.travel.model.name == "straight")
        #expect(ServiceTables.summary(roads, title: "t").contains("road network"))
        // Same offer, different reach: the people beyond each typology's time differ.
        let unserved = { (l: LoadedServices) in l.deficit.totals("nation").map(\.unserved) }
        #expect(unserved(roads) != unserved(straight))
        #expect(roads.establishments.count == straight.establishments.count)
    }
}
