import Testing

@testable import GIS

/// ``SphereIndex/nearestAll(_:)`` (cell certificates and shared candidate lists) against one
/// exact search per query, and the parallel canonical order of ``Demand`` against a plain sort.
@Suite("Batch nearest and canonical order")
struct BatchNearestTests {
    /// Sites in clusters (towns), some sharing a location, and queries around them: dense
    /// clouds that certify whole cells, queries on sites and on Voronoi edges, far queries
    /// (Galápagos), a non-finite one. Every answer must equal `nearest`, bit for bit.
    @Test func batchEqualsOneSearchPerQuery() {
        var rng = TestRandom(state: 7)
        var sites: [Coordinate] = []
        for _ in 0..<60 {
            let centre = Coordinate(-81 + 6 * rng.next(), -5 + 6 * rng.next())
            for _ in 0..<(1 + Int(rng.next() * 40)) {
                sites.append(Coordinate(centre.x + 0.05 * (rng.next() - 0.5), centre.y + 0.05 * (rng.next() - 0.5)))
            }
        }
        sites += sites.prefix(25)  // 25 sites sharing their location with another
        let index = SphereIndex(sites)
        var queries: [Coordinate] = []
        for _ in 0..<60_000 {
            let s = sites[Int(rng.next() * Double(sites.count))]
            let spread = [0.0005, 0.005, 0.05, 0.5][Int(rng.next() * 4)]
            queries.append(Coordinate(s.x + spread * (rng.next() - 0.5), s.y + spread * (rng.next() - 0.5)))
        }
        queries += sites.prefix(200)  // exactly on sites
        // Midpoints of site pairs: on (or next to) the Voronoi edge between them.
        for k in 0..<(sites.count - 1) {
            queries.append(Coordinate((sites[k].x + sites[k + 1].x) / 2, (sites[k].y + sites[k + 1].y) / 2))
        }
        for _ in 0..<500 { queries.append(Coordinate(-92 + 2 * rng.next(), -1.5 + 2 * rng.next())) }  // Galápagos
        queries.append(Coordinate(.nan, 0))
        let batch = index.nearestAll(queries)
        #expect(batch.count == queries.count)
        var mismatches = 0
        for (q, hit) in zip(queries, batch) {
            let one = index.nearest(q)
            if one?.index != hit?.index || one?.metres != hit?.metres { mismatches += 1 }
        }
        #expect(mismatches == 0)
        #expect(index.nearest(Coordinate(.nan, 0)) == nil && batch.last! == nil)  // a non-finite query has none
        // The same answers whatever the order of the queries.
        let reversed = index.nearestAll(queries.reversed())
        #expect(zip(batch, reversed.reversed()).allSatisfy { $0?.index == $1?.index && $0?.metres == $1?.metres })
    }

    /// A query cell whose nearest site has a twin at the same place is never certified:
    /// ties go to the lower index, as one search gives.
    @Test func twinSitesTieToTheLowerIndex() {
        let sites = [Coordinate(-78.5, -0.2), Coordinate(-78.6, -0.3), Coordinate(-78.5, -0.2)]
        let index = SphereIndex(sites)
        let queries = (0..<5_000).map { Coordinate(-78.5 + Double($0 % 50) * 1e-5, -0.2 + Double($0 / 50) * 1e-5) }
        #expect(index.nearestAll(queries).allSatisfy { $0?.index == 0 })
    }

    @Test func emptyIndexAnswersNil() {
        #expect(SphereIndex([]).nearestAll([Coordinate(0, 0)]).map { $0 == nil } == [true])
    }

    /// Large enough to be sorted in parts and merged; many equal longitudes, positions and
    /// weights (and, for points whose unit the input names, units).
    @Test func parallelCanonicalOrderEqualsTupleSort() {
        var rng = TestRandom(state: 99)
        let points = (0..<300_000).map { _ -> AssignedLocation in
            let x = -80 + Double(Int(rng.next() * 2_000)) * 0.001
            let y = -2 + Double(Int(rng.next() * 50)) * 0.01
            return AssignedLocation(
                location: Coordinate(x, y), weight: Double(Int(rng.next() * 3)), unit: Int32(rng.next() * 4))
        }
        let expected = points.sorted {
            ($0.location.x, $0.location.y, $0.weight, $0.unit) < ($1.location.x, $1.location.y, $1.weight, $1.unit)
        }
        #expect(Demand.canonicalOrder(points) == expected)
        #expect(Demand.canonicalOrder(points.reversed()) == expected)
        let weighted = points.map { WeightedLocation(location: $0.location, weight: $0.weight) }
        let expectedWeighted = expected.map { WeightedLocation(location: $0.location, weight: $0.weight) }
        #expect(Demand.canonicalOrder(weighted) == expectedWeighted)
        #expect(Demand.canonicalOrder(weighted.reversed()) == expectedWeighted)
    }

    /// The merge-path cut falls inside long runs of equal points and at the ends of the parts.
    @Test func parallelMergeEqualsSerialMerge() {
        func w(_ x: Double, _ y: Double, _ weight: Double) -> WeightedLocation {
            WeightedLocation(location: Coordinate(x, y), weight: weight)
        }
        let same = w(-78.5, -0.2, 1.0)
        let cases: [([WeightedLocation], [WeightedLocation])] = [
            (Array(repeating: same, count: 70_000), Array(repeating: same, count: 70_000)),
            (
                (0..<40_000).map { w(-79 + Double($0 / 1_000) * 0.01, 0, 1) },
                (0..<90_000).map { w(-79 + Double($0 / 3_000) * 0.01, 0, Double($0 % 3_000 / 1_500)) }
            ),
            ([], Array(repeating: same, count: 70_000)),
            ((0..<100_000).map { w(Double($0), 0, 0) }, [w(-1, 0, 0)]),
        ]
        for (a, b) in cases {
            let serial = Demand.merged(a, b)
            #expect(Demand.mergedInParallel(a, b) == serial)
        }
    }

    @Test func mortonSortKeepsPositionsWithinACode() {
        func key(_ code: UInt64, _ position: UInt64) -> UInt64 { code << 32 | position }
        let big: UInt64 = 1 << 31
        var keys = [key(5, 0), key(3, 1), key(5, 2), key(0, 3), key(3, 4), key(big, 5)]
        MortonGrid.sortByCode(&keys)
        #expect(keys == [key(0, 3), key(3, 1), key(3, 4), key(5, 0), key(5, 2), key(big, 5)])
    }
}
