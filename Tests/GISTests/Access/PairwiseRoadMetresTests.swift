import Foundation
import Testing

@testable import GIS

/// ``RoadNetwork/pairwiseMetres(_:groups:)`` measures each pair once, from the earlier of its
/// two nodes, and stops each search early; these tests check it against one full Dijkstra per
/// point (``RoadNetwork/dijkstra(sources:cutoff:)``, no groups, no early stop) and the
/// network's table of edges against a hand count.
@Suite("Road metres between pairs of points")
struct PairwiseRoadMetresTests {
    func lonLat(_ x: Double, _ y: Double) throws -> Coordinate {
        try ProjContext().transform(from: .utm17S, to: .wgs84).apply(Coordinate(x, y))
    }

    /// A jittered 9 × 9 grid of roads 2 km apart in UTM 17S, of random classes, some edges
    /// doubled by a road of another class, a few diagonals.
    func randomNetwork(seed: UInt64) throws -> RoadNetwork {
        var rng = TestRandom(state: seed)
        let classes = ["primary", "secondary", "track", "path"]
        let side = 9
        let corners = (0..<side * side).map { k in
            Coordinate(
                500_000 + Double(k % side) * 2_000 + 400 * rng.next(),
                9_900_000 + Double(k / side) * 2_000 + 400 * rng.next())
        }
        var features: [Feature] = []
        func road(_ a: Int, _ b: Int) {
            let cls = classes[Int(rng.next() * Double(classes.count)) % classes.count]
            features.append(Feature(geometry: .lineString([corners[a], corners[b]]), attributes: [.text(cls)]))
        }
        for k in corners.indices {
            if k % side + 1 < side, rng.next() < 0.85 { road(k, k + 1) }
            if k / side + 1 < side, rng.next() < 0.85 { road(k, k + side) }
            if rng.next() < 0.15, k % side + 1 < side, k / side + 1 < side { road(k, k + side + 1) }
        }
        for _ in 0..<12 {  // parallel roads of another class between already joined corners
            let f = features[Int(rng.next() * Double(features.count)) % features.count]
            if case .lineString(let line)? = f.geometry {
                features.append(Feature(geometry: .lineString(Array(line.reversed())), attributes: [.text("track")]))
            }
        }
        let layer = Layer(
            source: "roads", kind: .line, crs: .utm17S, fields: [Field("class", .text)], features: features)
        return try RoadNetwork.build(layer, classField: "class", maxWalkMetres: 1_500, proj: try ProjContext())
    }

    @Test(arguments: [UInt64(7), 11, 23])
    func everyPairEqualsAFullSearchFromEitherEnd(seed: UInt64) throws {
        let net = try randomNetwork(seed: seed)
        var rng = TestRandom(state: seed &+ 1_000)
        var points: [Coordinate] = []
        for _ in 0..<40 {
            points.append(try lonLat(499_000 + 19_000 * rng.next(), 9_899_000 + 19_000 * rng.next()))
        }
        points.append(try lonLat(530_000, 9_930_000))  // beyond the 1.5 km walk
        points.append(points[3])  // the same place twice
        let groups = points.indices.map { i in i % 13 == 5 ? RoadNetwork.everyGroup : i % 3 }
        let table = net.pairwiseMetres(points, groups: groups)
        let n = points.count
        let access = points.map { p in net.nodeIndex.nearest(p).flatMap { $0.metres <= 1_500 ? $0 : nil } }
        var compared = 0
        for i in 0..<n {
            #expect(table[i * n + i] == 0)
            let full = access[i].map { a in
                net.dijkstra(sources: [(node: a.index, minutes: 0, metres: 0, label: 0)], cutoff: .infinity)
            }
            for j in 0..<n where j != i {
                #expect(table[i * n + j] == table[j * n + i])
                guard let a = access[i], let b = access[j], let full, RoadNetwork.measuredTogether(groups[i], groups[j])
                else {
                    #expect(table[i * n + j] == .infinity)
                    continue
                }
                let expected = (a.metres + b.metres) + full.metres[b.index]
                if expected.isFinite {
                    #expect(abs(table[i * n + j] - expected) < 1e-6, "points \(i) and \(j)")
                    compared += 1
                } else {
                    #expect(table[i * n + j] == .infinity)
                }
            }
        }
        #expect(compared > 300)
    }

    /// A — B by a track first in the layer, then by a primary road: the primary is the edge
    /// kept both ways (10 km at 80 km/h, 7.5 minutes, not 30); the track on to C stays.
    @Test func theFastestOfParallelRoadsIsKeptBothWays() throws {
        let a = Coordinate(500_000, 9_900_000), b = Coordinate(510_000, 9_900_000), c = Coordinate(510_000, 9_905_000)
        let layer = Layer(
            source: "roads", kind: .line, crs: .utm17S, fields: [Field("class", .text)],
            features: [
                Feature(geometry: .lineString([a, b]), attributes: [.text("track")]),
                Feature(geometry: .lineString([b, a]), attributes: [.text("primary")]),
                Feature(geometry: .lineString([b, c]), attributes: [.text("track")]),
            ])
        let net = try RoadNetwork.build(layer, classField: "class", proj: try ProjContext())
        #expect(net.nodeCount == 3 && net.edgeCount == 2)
        let ab = Geodesic().distance(try lonLat(500_000, 9_900_000), try lonLat(510_000, 9_900_000))
        for (from, to) in [(0, 1), (1, 0)] {
            let run = net.dijkstra(sources: [(node: from, minutes: 0, metres: 0, label: 0)], cutoff: .infinity)
            #expect(abs(run.minutes[to] - ab / (80_000.0 / 60)) < 1e-9)
            #expect(abs(run.metres[to] - ab) < 1e-9)
        }
        let fromA = net.dijkstra(sources: [(node: 0, minutes: 0, metres: 0, label: 0)], cutoff: .infinity)
        let bc = Geodesic().distance(try lonLat(510_000, 9_900_000), try lonLat(510_000, 9_905_000))
        #expect(abs(fromA.minutes[2] - (ab / (80_000.0 / 60) + bc / (20_000.0 / 60))) < 1e-9)
    }
}
