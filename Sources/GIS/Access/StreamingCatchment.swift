import Foundation

/// Floating catchments on straight-line travel that never hold the demand × establishment
/// pairs: memory is bounded by the output (one value per demand point and per
/// establishment), not by the pair count, so a million demand points with a 10 km catchment
/// fit where the materialised ``TravelMatrix`` took gigabytes.
///
/// The sums run in exactly the order ``FloatingCatchment/compute`` uses on the matrix, so
/// the results are the same numbers, and no pair list is ever sorted: step 1
/// (Σ_i P_i W(t_ij) per establishment, i ascending) walks the demand points in order, each
/// core owning every c-th establishment and querying a tree of its own; step 2
/// (Σ_j R_j W(t_ij) per demand point, j ascending) walks the establishments in order, each
/// core owning every c-th demand point. Each pair is visited once per step.
///
/// Distances are geodesic (`geod_inverse`), but a pair is measured only when its weight
/// depends on the exact value: for piecewise-constant decays (step, zones) the unit-sphere
/// chord bounds the distance within 0.7 % near the equator
/// (``SphereIndex/geodesicBounds(chord2:largestRadius:)``), and a pair whose bounds fall on
/// the same side of every threshold (the catchment, each zone break) gets its weight without
/// `geod_inverse`. Continuous decays (gaussian, gravity) measure every pair.
public enum StreamingCatchment {
    /// How pairs are measured.
    public enum Metric: Sendable {
        /// Geodesic metres on WGS 84 (the demand points' and sites' lon/lat).
        case geodesic
        /// Planar metres in a projected CRS: the demand points and the candidate sites (in the
        /// order of `candidates`) in that CRS.
        case planar(demand: [Coordinate], sites: [Coordinate])
    }

    /// A tree of either kind, answering candidate pairs with a key: the unit-sphere squared
    /// chord, or the squared planar distance.
    enum Tree {
        case sphere(SphereIndex)
        case plane(PlaneIndex)

        init(_ points: [Coordinate], planar: Bool) {
            self = planar ? .plane(PlaneIndex(points)) : .sphere(SphereIndex(points))
        }

        @inline(__always)
        func candidates(_ q: Coordinate, metres: Double, into out: inout [(index: Int32, chord2: Double)]) {
            switch self {
            case .sphere(let t): t.candidates(q, metres: metres, into: &out)
            case .plane(let t): t.candidates(q, metres: metres, into: &out)
            }
        }
    }

    /// Whether a decay's weight is constant between thresholds (so bounds can decide it).
    static func isPiecewiseConstant(_ decay: DistanceDecay) -> Bool {
        switch decay {
        case .step, .zones, .zoneTable: true
        case .gaussian, .gravity: false
        }
    }

    /// The weights of a pair, one per decay, as the matrix path gives them: 0 beyond the
    /// catchment radius, else the decay of t = minutes(d).
    struct PairWeights: Sendable {
        let decays: [DistanceDecay]
        let line: StraightLine
        let radius: Double
        let d0: Double
        let largestRadius: Double
        let boundsDecide: Bool
        let planar: Bool
        let geodesic = Geodesic()

        /// Fills `w`; `demand` and `site` in the order the matrix path measured them. For
        /// planar pairs `key` is the squared distance itself.
        @inline(__always)
        func weights(_ key: Double, demand: Coordinate, site: Coordinate, _ w: inout [Double]) {
            if planar {
                evaluate(key.squareRoot(), &w)
                return
            }
            let chord2 = key
            if boundsDecide {
                let (lo, hi) = SphereIndex.geodesicBounds(chord2: chord2, largestRadius: largestRadius)
                if lo > radius {
                    for q in w.indices { w[q] = 0 }
                    return
                }
                if hi <= radius {
                    let tl = line.minutes(metres: lo), th = line.minutes(metres: hi)
                    if decays.allSatisfy({ $0.sameWeight(tl, th, catchment: d0) }) {
                        for q in w.indices { w[q] = decays[q].weight(th, catchment: d0) }
                        return
                    }
                }
            }
            evaluate(geodesic.distance(demand, site), &w)
        }

        @inline(__always)
        func evaluate(_ d: Double, _ w: inout [Double]) {
            if d <= radius {
                let t = line.minutes(metres: d)
                for q in w.indices { w[q] = decays[q].weight(t, catchment: d0) }
            } else {
                for q in w.indices { w[q] = 0 }
            }
        }
    }

    public static func compute(
        demand: [DemandPoint], supply: Supply, candidates: [Int], line: StraightLine, cutoffMinutes: Double,
        decays: [DistanceDecay], metric: Metric = .geodesic, useCapacity: Bool = true
    ) -> [FloatingCatchment] {
        let m = supply.establishments.count, n = demand.count
        guard !decays.isEmpty else { return [] }
        let radius = line.metres(minutes: cutoffMinutes)
        let lonLatSites = candidates.map { supply.establishments[$0].location }
        let isPlanar: Bool
        let sites: [Coordinate], places: [Coordinate]
        switch metric {
        case .geodesic: (isPlanar, sites, places) = (false, lonLatSites, demand.map(\.location))
        case .planar(let d, let s): (isPlanar, sites, places) = (true, s, d)
        }
        var highest = 0.0
        for p in demand { highest = max(highest, abs(p.location.y)) }
        for c in lonLatSites { highest = max(highest, abs(c.y)) }
        // Paths bulge poleward a little; far catchments use the polar bound.
        let pair = PairWeights(
            decays: decays, line: line, radius: radius, d0: cutoffMinutes,
            largestRadius: SphereIndex.largestRadius(latitudeBound: radius > 500_000 ? 90 : highest + 1),
            boundsDecide: decays.allSatisfy(isPiecewiseConstant), planar: isPlanar)
        let k = decays.count
        let parts = max(1, ProcessInfo.processInfo.activeProcessorCount)

        // Step 1: core p owns candidates c ≡ p (mod parts); demand points in ascending order.
        let reachedParts = parallelMap(Array(0..<parts), grain: 1) { part -> [(Int, [Double])] in
            let owned = Array(stride(from: part, to: candidates.count, by: parts))
            let tree = Tree(owned.map { sites[$0] }, planar: isPlanar)
            var sums = [Double](repeating: 0, count: owned.count * k)
            var w = [Double](repeating: 0, count: k)
            var hits: [(index: Int32, chord2: Double)] = []
            for i in 0..<n {
                let people = demand[i].population
                tree.candidates(places[i], metres: radius, into: &hits)
                for (local, key) in hits {
                    let l = Int(local)
                    pair.weights(key, demand: places[i], site: sites[owned[l]], &w)
                    for q in 0..<k { sums[l * k + q] += people * w[q] }
                }
            }
            return owned.enumerated().map { ($0.element, Array(sums[($0.offset * k)..<($0.offset * k + k)])) }
        }
        var reached = [[Double]](repeating: [Double](repeating: 0, count: m), count: k)
        var ratio = reached
        for (c, sums) in reachedParts.joined() {
            let j = candidates[c]
            for q in 0..<k {
                reached[q][j] = sums[q]
                if sums[q] > 0 { ratio[q][j] = (useCapacity ? supply.establishments[j].capacity ?? 1 : 1) / sums[q] }
            }
        }
        // Step 2: core p owns demand points i ≡ p (mod parts); establishments in ascending order
        // (candidates are ascending supply indices).
        let frozenRatio = ratio
        let accessParts = parallelMap(Array(0..<parts), grain: 1) { part -> [(Int, [Double])] in
            let owned = Array(stride(from: part, to: n, by: parts))
            let tree = Tree(owned.map { places[$0] }, planar: isPlanar)
            var sums = [Double](repeating: 0, count: owned.count * k)
            var w = [Double](repeating: 0, count: k)
            var hits: [(index: Int32, chord2: Double)] = []
            for (c, j) in candidates.enumerated() {
                let site = sites[c]
                tree.candidates(site, metres: radius, into: &hits)
                for (local, key) in hits {
                    let l = Int(local)
                    pair.weights(key, demand: places[owned[l]], site: site, &w)
                    for q in 0..<k { sums[l * k + q] = sums[l * k + q] + frozenRatio[q][j] * w[q] }
                }
            }
            return owned.enumerated().map { ($0.element, Array(sums[($0.offset * k)..<($0.offset * k + k)])) }
        }
        var access = [[Double]](repeating: [Double](repeating: 0, count: n), count: k)
        for (i, sums) in accessParts.joined() { for q in 0..<k { access[q][i] = sums[q] * 1_000 } }
        return (0..<k).map { q in
            FloatingCatchment(
                accessibility: access[q], ratioPer1000: ratio[q].map { $0 * 1_000 }, demandReached: reached[q])
        }
    }
}
