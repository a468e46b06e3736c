import Foundation
import GIS
import Testing

@Suite("Streaming floating catchments")
struct StreamingCatchmentTests {
    /// Demand and sites around Quito, with many pairs placed within centimetres of the 10 km
    /// catchment and of the zone breaks, where the chord bounds cannot decide.
    func scene(_ seed: UInt64) -> (demand: [DemandPoint], supply: Supply) {
        var rng = TestRandom(state: seed)
        let g = Geodesic()
        var sites: [Establishment] = []
        for j in 0..<60 {
            let c = Coordinate(-78.6 + 0.3 * rng.next(), -0.35 + 0.3 * rng.next())
            sites.append(
                Establishment(
                    id: "S\(j)", location: c, type: "school", capacity: j % 3 == 0 ? 100 + Double(j) : nil, unit: nil))
        }
        var demand: [DemandPoint] = []
        for i in 0..<3_000 {
            var c = Coordinate(-78.7 + 0.5 * rng.next(), -0.45 + 0.5 * rng.next())
            if i % 3 == 0 {
                // Move the point onto a threshold circle of a site (by bisection on geod_inverse).
                let site = sites[Int(rng.next() * 60) % 60].location
                let targets: [Double] = [10_000, 10_000.0 / 3, 20_000.0 / 3, 5_000]
                let target = targets[i % 4]
                let bearing = 2 * Double.pi * rng.next()
                var lo = 0.0, hi = 0.2
                for _ in 0..<60 {
                    let mid = (lo + hi) / 2
                    let p = Coordinate(site.x + mid * cos(bearing), site.y + mid * sin(bearing))
                    if g.distance(p, site) < target { lo = mid } else { hi = mid }
                }
                c = Coordinate(site.x + lo * cos(bearing), site.y + lo * sin(bearing))
            }
            demand.append(DemandPoint(location: c, population: Double(1 + i % 17), unit: 0))
        }
        return (demand, Supply(establishments: sites, report: SupplyReport()))
    }

    @Test func equalsTheMatrixPathBitForBit() throws {
        let line = try StraightLine(detour: 1.3, speedKmh: 30)
        let zoneTable = try DistanceDecay.parse("zones(5km=1,10km=0.5)").resolved(.straight(line))
        let decays: [DistanceDecay] = [.step, .zones, zoneTable, .gaussian, .gravity(beta: 1)]
        for seed in [1, 2] as [UInt64] {
            let (demand, supply) = scene(seed)
            let candidates = Array(supply.establishments.indices)
            let cutoff = line.minutes(metres: 10_000)
            let matrix = TravelModel.straight(line).matrix(
                demand, supply: supply, candidates: candidates, cutoffMinutes: cutoff)
            #expect(matrix.pairCount > 10_000)
            // Piecewise-constant decays alone (bounds decide most pairs), then all together
            // (every pair measured).
            for set in [[DistanceDecay.step, .zones, zoneTable], decays] {
                let streamed = StreamingCatchment.compute(
                    demand: demand, supply: supply, candidates: candidates, line: line, cutoffMinutes: cutoff,
                    decays: set)
                for (q, decay) in set.enumerated() {
                    let reference = FloatingCatchment.compute(
                        demand: demand, supply: supply, matrix: matrix, decay: decay)
                    #expect(streamed[q].accessibility.map(\.bitPattern) == reference.accessibility.map(\.bitPattern), "\(decay)")
                    #expect(streamed[q].ratioPer1000.map(\.bitPattern) == reference.ratioPer1000.map(\.bitPattern), "\(decay)")
                    #expect(streamed[q].demandReached.map(\.bitPattern) == reference.demandReached.map(\.bitPattern), "\(decay)")
                }
            }
        }
    }

    @Test func userZonesAsPySALAccessWritesThem() throws {
        let decay = try DistanceDecay.parse("zones(5km=1,10km=0.5)")
        #expect(decay.columnName == "zones_5km_1_10km_0.5")
        let line = try StraightLine(speedKmh: 60)  // 1 km per minute
        let resolved = try decay.resolved(.straight(line))
        #expect(resolved.weight(5, catchment: 10) == 1)
        #expect(resolved.weight(5.000001, catchment: 10) == 0.5)
        #expect(resolved.weight(10, catchment: 10) == 0.5)
        #expect(resolved.weight(10.5, catchment: 20) == 0)
        #expect(try DistanceDecay.parseList("step,zones(5km=1,10km=0.5),gravity(1.5)").count == 3)
        #expect(try DistanceDecay.parseList("none").isEmpty)
        for bad in ["zones(5km=1,3km=0.5)", "zones(5km=2)", "zones(5km=1,10min=0.5)", "zones(5km)", "zones()"] {
            #expect(throws: GISError.self, "\(bad)") { try DistanceDecay.parse(bad) }
        }
    }
}

@Suite("Radix order")
struct RadixOrderTests {
    @Test func equalsAStableSortByKey() {
        var rng = TestRandom(state: 17)
        // Signed zeros, duplicates, subnormals, infinities and a wide spread of magnitudes.
        var keys: [Double] = [0.0, -0.0, 0.0, -1e-310, 1e-310, .infinity, -.infinity, -78.5, -78.5]
        for _ in 0..<50_000 {
            let r = rng.next()
            keys.append(r < 0.3 ? (rng.next() - 0.5) * 1e6 : (r < 0.6 ? -80 + Double(Int(rng.next() * 100)) / 10 : (rng.next() - 0.5) * 1e-300))
        }
        let order = RadixOrder.ascending(keys).map(Int.init)
        let reference = keys.indices.sorted { (keys[$0] + 0.0, $0) < (keys[$1] + 0.0, $1) }
        #expect(order == reference)
    }
}
