import Foundation
import GIS
import Testing

/// SplitMix64 for reproducible random tests.
struct TestRandom {
    var state: UInt64
    mutating func next() -> Double {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return Double((z ^ (z >> 31)) >> 11) / Double(1 << 53)
    }
}

@Suite("Access algorithms")
struct AccessAlgorithmTests {
    @Test func quitoGuayaquilGeodesic() {
        // GeographicLib (Python, independent of this code): 272 678.373 m; a sphere says 273 592.
        let quito = Coordinate(-78.4678, -0.1807), guayaquil = Coordinate(-79.8891, -2.1894)
        #expect(abs(Geodesic().distance(quito, guayaquil) - 272_678.373) < 0.01)
        let index = SphereIndex([Coordinate(-78.5, -0.2), guayaquil, Coordinate(-79.2, -4.0)])  // Loja is farther
        let hit = index.nearest(quito)
        #expect(hit?.index == 0)
        #expect(index.within(quito, metres: 272_679).map(\.index) == [0, 1])
        #expect(index.within(quito, metres: 272_678).map(\.index) == [0])
    }

    @Test func sphereIndexMatchesBruteForce() {
        var rng = TestRandom(state: 42)
        let sites = (0..<1_500).map { _ in Coordinate(-81 + 6 * rng.next(), -5 + 6.5 * rng.next()) }
        let index = SphereIndex(sites)
        let g = Geodesic()
        for _ in 0..<400 {
            let q = Coordinate(-92 + 17 * rng.next(), -5.5 + 7 * rng.next())  // Galápagos too
            let brute = sites.indices.map { (i: $0, d: g.distance(q, sites[$0])) }.min { ($0.d, $0.i) < ($1.d, $1.i) }!
            let hit = index.nearest(q)!
            #expect(hit.index == brute.i)
            #expect(hit.metres == brute.d)
            let radius = 50_000.0
            #expect(
                index.within(q, metres: radius).map(\.index)
                    == sites.indices.filter { g.distance(q, sites[$0]) <= radius })
        }
    }

    /// Roads in UTM 17S near the central meridian: A —10 km primary— B —5 km track— C.
    func network(extraRoad: Bool = false) throws -> RoadNetwork {
        var features = [
            Feature(
                geometry: .lineString([Coordinate(500_000, 9_900_000), Coordinate(510_000, 9_900_000)]),
                attributes: [.text("primary")]),
            Feature(
                geometry: .lineString([Coordinate(510_000, 9_900_000), Coordinate(510_000, 9_905_000)]),
                attributes: [.text("track")]),
        ]
        if extraRoad {
            // Starts 0.5 m from B: snapped into B with a 1 m tolerance.
            features.append(
                Feature(
                    geometry: .lineString([Coordinate(510_000.5, 9_900_000), Coordinate(520_000, 9_900_000)]),
                    attributes: [.text("mystery")]))
        }
        let layer = Layer(
            source: "roads", kind: .line, crs: .utm17S, fields: [Field("class", .text)], features: features)
        return try RoadNetwork.build(
            layer, classField: "class", snapMetres: 1, walkingKmh: 5, maxWalkMetres: 2_000, proj: try ProjContext())
    }

    func lonLat(_ x: Double, _ y: Double) throws -> Coordinate {
        try ProjContext().transform(from: .utm17S, to: .wgs84).apply(Coordinate(x, y))
    }

    @Test func roadNetworkShortestTimesByHand() throws {
        let net = try network(extraRoad: true)
        #expect(net.nodeCount == 4)
        #expect(net.report.snappedVertices == 1)
        #expect(net.report.unknownClasses == ["mystery": 1])
        #expect(net.report.componentSizes == [4])
        let c = try lonLat(510_000, 9_905_000)
        let supply = Supply(
            establishments: [Establishment(id: "C", location: c, type: "health", capacity: nil, unit: nil)],
            report: SupplyReport())
        let g = Geodesic()
        let ab = g.distance(try lonLat(500_000, 9_900_000), try lonLat(510_000, 9_900_000))
        let bc = g.distance(try lonLat(510_000, 9_900_000), c)
        let roadMinutes = ab / (80_000.0 / 60) + bc / (20_000.0 / 60)  // 7.503 + 15.006
        #expect(abs(roadMinutes - 22.509) < 0.001)
        let walkA = g.distance(try lonLat(500_000, 9_899_500), try lonLat(500_000, 9_900_000))
        let demand = [
            DemandPoint(location: try lonLat(500_000, 9_900_000), population: 1, unit: 0),  // at A
            DemandPoint(location: try lonLat(500_000, 9_899_500), population: 1, unit: 0),  // 500 m south of A
            DemandPoint(location: try lonLat(510_200, 9_905_000), population: 1, unit: 0),  // 200 m from C: walks
        ]
        let results = TravelModel.roads(net).nearest(demand, supply: supply, candidates: [0])
        #expect(abs(results[0].minutes - roadMinutes) < 1e-9)
        #expect(abs(results[1].minutes - (roadMinutes + walkA / (5_000.0 / 60))) < 1e-9)
        #expect(abs(results[1].minutes - 28.509) < 0.01)
        let walkC: Double = 200 / 0.9996 / (5_000.0 / 60)  // 2.4 min on foot
        #expect(abs(results[2].minutes - walkC) < 0.01)
        // The matrix with a 25-minute cutoff holds A's pair but not the 28.5-minute one.
        let matrix = TravelModel.roads(net).matrix(demand, supply: supply, candidates: [0], cutoffMinutes: 25)
        #expect(matrix.rows.map { $0.count } == [1, 0, 1])
    }

    /// A road around a canyon: A and B are 1 km apart across it, 21 km apart by the road (10 km
    /// east, 1 km north, 10 km back west); C is 49 km from any road, D on a road of its own.
    @Test func pairwiseRoadMetresGoRoundTheCanyonAndNeverAcrossTheSea() throws {
        let layer = Layer(
            source: "roads", kind: .line, crs: .utm17S, fields: [Field("class", .text)],
            features: [
                Feature(
                    geometry: .lineString([
                        Coordinate(500_000, 9_900_000), Coordinate(510_000, 9_900_000), Coordinate(510_000, 9_901_000),
                        Coordinate(500_000, 9_901_000),
                    ]), attributes: [.text("primary")]),
                Feature(
                    geometry: .lineString([Coordinate(600_000, 9_900_000), Coordinate(601_000, 9_900_000)]),
                    attributes: [.text("primary")]),
            ])
        let net = try RoadNetwork.build(layer, classField: "class", maxWalkMetres: 5_000, proj: try ProjContext())
        let points = [
            try lonLat(500_000, 9_900_000), try lonLat(500_000, 9_901_000), try lonLat(500_000, 9_950_000),
            try lonLat(600_000, 9_900_000), try lonLat(500_300, 9_900_000),
        ]
        let m = net.pairwiseMetres(points)
        let n = points.count
        // Near the central meridian a UTM metre is 1 / 0.9996 geodesic metres.
        #expect(abs(m[0 * n + 1] - 21_000 / 0.9996) < 1)
        #expect(m[1 * n + 0] == m[0 * n + 1])
        #expect((0..<n).allSatisfy { m[$0 * n + $0] == 0 })
        // C is beyond the 5 km walk; D's road does not meet the others.
        #expect((0..<n).filter { $0 != 2 }.allSatisfy { m[2 * n + $0] == .infinity && m[$0 * n + 2] == .infinity })
        #expect(m[3 * n + 0] == .infinity && m[3 * n + 4] == .infinity)
        // E walks 300 m to A's node (its nearest), then the same road to B.
        #expect(abs(m[4 * n + 1] - 21_300 / 0.9996) < 1)
        // Groups: E alone in group 1 is measured to no one but the point of every group (B).
        let grouped = net.pairwiseMetres(points, groups: [0, RoadNetwork.everyGroup, 0, 0, 1])
        #expect(grouped[4 * n + 0] == .infinity && grouped[0 * n + 4] == .infinity)
        #expect(grouped[4 * n + 1] == m[4 * n + 1])
        #expect(grouped[0 * n + 1] == m[0 * n + 1])
    }

    @Test func roadNetworkErrors() throws {
        let empty = Layer(source: "empty.shp", kind: .line, crs: .utm17S, fields: [], features: [])
        let error = try #require(throws: GISError.self) {
            try RoadNetwork.build(empty, classField: nil, proj: try ProjContext())
        }
        #expect(error.message.contains("no lines"))
        let net = try network()
        let far = Supply(
            establishments: [
                Establishment(id: "far", location: Coordinate(-79, -1.5), type: "health", capacity: nil, unit: nil)
            ], report: SupplyReport())
        #expect(net.unconnected(far, candidates: [0]) == [0])
        // An analysis whose establishments are all off the network says so.
        let units = Fixtures.grid(2)
        let ctx = GeometryContext()
        let demand = try Demand.build(
            .polygons(units, field: "pop", id: "id"), units: units, unitID: "id", context: ctx, proj: try ProjContext())
        let disconnected = try #require(throws: GISError.self) {
            try AccessAnalysis.run(
                demand: demand, supply: far, units: units, model: .roads(net),
                options: AccessOptions(thresholds: [.minutes(30)]))
        }
        #expect(disconnected.message.contains("disconnected from all of them"))
    }

    @Test func twoStepFloatingCatchmentByHand() {
        // P1 = 100 reaches F1; P2 = 200 reaches F1 and F2 (one establishment each).
        // R1 = 1/300, R2 = 1/200; A1 = 1/300 = 3.333/1000; A2 = 1/300 + 1/200 = 8.333/1000.
        let demand = [
            DemandPoint(location: Coordinate(0, 0), population: 100, unit: 0),
            DemandPoint(location: Coordinate(0, 0), population: 200, unit: 0),
        ]
        let supply = Supply(
            establishments: [
                Establishment(id: "F1", location: Coordinate(0, 0), type: "h", capacity: nil, unit: nil),
                Establishment(id: "F2", location: Coordinate(0, 0), type: "h", capacity: nil, unit: nil),
            ],
            report: SupplyReport())
        let matrix = TravelMatrix(rows: [[(0, 5)], [(0, 15), (1, 25)]], cutoffMinutes: 30)
        let step = FloatingCatchment.compute(demand: demand, supply: supply, matrix: matrix, decay: .step)
        #expect(abs(step.accessibility[0] - 1_000.0 / 300) < 1e-9)
        #expect(abs(step.accessibility[1] - (1_000.0 / 300 + 1_000.0 / 200)) < 1e-9)
        #expect(step.demandReached == [300, 200])
        // Zones (thirds of 30 min): P1 → F1 at 5 min weighs 1, P2 → F1 at 15 min 0.68, P2 → F2 at 25 min 0.22.
        let zones = FloatingCatchment.compute(demand: demand, supply: supply, matrix: matrix, decay: .zones)
        let r1 = 1 / (100 * 1 + 200 * 0.68), r2 = 1 / (200 * 0.22)
        #expect(abs(zones.accessibility[1] - 1_000 * (r1 * 0.68 + r2 * 0.22)) < 1e-9)
        #expect(abs(DistanceDecay.gaussian.weight(0, catchment: 30) - 1) < 1e-12)
        #expect(abs(DistanceDecay.gaussian.weight(30, catchment: 30)) < 1e-12)
        #expect(DistanceDecay.gravity(beta: 2).weight(10, catchment: 30) == 0.01)
    }

    @Test func capacityAllocationBeatsGreedyOrder() {
        // A (10 people): F1 1 min, F2 2 min. B (10 people): F1 1.5 min, F2 10 min (beyond the
        // 5-minute cutoff, so absent). F1 and F2 hold 10 each. Greedy in input order gives A
        // to F1 and leaves B unserved (10 served); the optimum sends A to F2 and B to F1:
        // 20 served, 10 × 2 + 10 × 1.5 = 35 person-minutes.
        let demand = [
            DemandPoint(location: Coordinate(0, 0), population: 10, unit: 0),
            DemandPoint(location: Coordinate(0, 0), population: 10, unit: 1),
        ]
        let supply = Supply(
            establishments: [
                Establishment(id: "F1", location: Coordinate(0, 0), type: "h", capacity: 10, unit: nil),
                Establishment(id: "F2", location: Coordinate(0, 0), type: "h", capacity: 10, unit: nil),
            ],
            report: SupplyReport())
        let matrix = TravelMatrix(rows: [[(0, 1), (1, 2)], [(0, 1.5)]], cutoffMinutes: 5)
        let a = CapacityAllocation.solve(demand: demand, supply: supply, candidates: [0, 1], matrix: matrix)
        #expect(a.served == [10, 10])
        #expect(a.allocated == [10, 10])
        #expect(abs(a.totalMinutes - 35) < 1e-9)
        // Reversed input order: the same optimum.
        let reversed = CapacityAllocation.solve(
            demand: demand.reversed(), supply: supply, candidates: [0, 1],
            matrix: TravelMatrix(rows: matrix.rows.reversed(), cutoffMinutes: 5))
        #expect(reversed.served == [10, 10])
        #expect(abs(reversed.totalMinutes - 35) < 1e-9)
    }

    @Test func giniPalmaAndQuantilesByHand() {
        // x = 1, 2, 3, 4 with equal weights: Σ|xi − xj| over ordered pairs = 20; G = 20 / (2·16·2.5).
        #expect(abs(Equity.gini([1, 2, 3, 4], weights: [1, 1, 1, 1])! - 0.25) < 1e-12)
        #expect(Equity.gini([5, 5, 5], weights: [1, 2, 3]) == 0)
        // Weights count: value 4 held by 3 people of 6 → same as 1, 2, 3, 4, 4, 4.
        #expect(
            abs(
                Equity.gini([1, 2, 3, 4], weights: [1, 1, 1, 3])! - Equity.gini(
                    [1, 2, 3, 4, 4, 4], weights: [1, 1, 1, 1, 1, 1])!) < 1e-12)
        // 1 … 10: top tenth holds 10, bottom four tenths 1+2+3+4 = 10: Palma 1.
        #expect(abs(Equity.palma((1...10).map(Double.init), weights: Array(repeating: 1, count: 10))! - 1) < 1e-12)
        #expect(
            abs(Equity.palma([1, 2, 3, 4, 5, 6, 7, 8, 9, 30], weights: Array(repeating: 1, count: 10))! - 3) < 1e-12)
        #expect(Equity.quantile([10, 20, 30], weights: [1, 1, 2], 0.5) == 20)
        #expect(Equity.quantile([10, 20, 30], weights: [1, 1, 2], 0.9) == 30)
    }

    /// The radix path of `quantiles` against the definition: a stable comparison sort and the
    /// first cumulative weight reaching q·W, on values with many ties (so the order among equal
    /// values decides the sums), signed zeros, negatives and zero weights.
    @Test func quantilesEqualTheComparisonSortDefinition() {
        var random = TestRandom(state: 15)
        for _ in 0..<200 {
            let n = 1 + Int(random.next() * 400)
            let values = (0..<n).map { _ in
                let v = Double(Int(random.next() * 41) - 20) * 0.25
                return v == 0 && random.next() < 0.5 ? -0.0 : v
            }
            let weights = (0..<n).map { _ in random.next() < 0.1 ? 0 : 0.1 + random.next() * 50 }
            let qs = [0.1, 0.5, 0.9, 1]
            let pairs = zip(values, weights).filter { $0.1 > 0 }.sorted { $0.0 < $1.0 }
            let w = pairs.reduce(0) { $0 + $1.1 }
            let expected: [Double?] = qs.map { q in
                guard w > 0 else { return nil }
                var acc = 0.0
                for (x, wi) in pairs {
                    acc += wi
                    if acc >= q * w - 1e-9 * w { return x }
                }
                return pairs.last?.0
            }
            #expect(Equity.quantiles(values, weights: weights, qs) == expected)
        }
    }

    @Test func thresholdsParse() throws {
        #expect(try Threshold.parse("15min") == .minutes(15))
        #expect(try Threshold.parse("1h") == .minutes(60))
        #expect(try Threshold.parse("5km") == .metres(5_000))
        #expect(try Threshold.parse("800m") == .metres(800))
        #expect(throws: GISError.self) { try Threshold.parse("soon") }
        #expect(throws: GISError.self) { try Threshold.parse("-5km") }
        #expect(Threshold.metres(5_000).description == "5km")
    }
}
