import Foundation
import GIS
import Testing

extension NationalDataTests {
    /// The exact index against GEOS prepared `covers` on the 1,040 national parishes: 100,000
    /// points, two fifths uniform over the country's envelope, the rest on vertices, on edges
    /// (rounded interpolations) and one ulp off vertices, so shared borders are hit thousands
    /// of times.
    @Test func pointLocationEqualsGEOSCoversOnTheParishes() throws {
        let layer = try parishes()
        let context = GeometryContext()
        let built = try LayerGeometries(layer, context: context)
        let locator = try PolygonLocator(built)
        let tree = try built.index()
        let prepared = try built.geometries.map { g in try g.map { try PreparedGeometry($0) } }
        var sampler = PointInPolygonSampler(state: 2022)
        let points = sampler.points(layer.features.map(\.geometry), count: 100_000)
        let fast = locator.locateAll(points)
        var mismatches: [String] = []
        var shared = 0
        for (k, p) in points.enumerated() {
            let point = try context.point(p)
            var covering: [Int] = []
            for i in tree.candidates(intersecting: point) {
                if let g = prepared[i], try g.covers(point) { covering.append(i) }
            }
            if covering.count > 1 { shared += 1 }
            let expected = covering.first.map { Int32($0) } ?? -1
            if fast[k] != expected { mismatches.append("(\(p.x), \(p.y)): index \(fast[k]), GEOS \(expected)") }
        }
        #expect(mismatches.isEmpty, "\(mismatches.count) mismatches, e.g. \(mismatches.prefix(5))")
        #expect(shared > 10_000, "points on shared borders: \(shared)")
    }
}
