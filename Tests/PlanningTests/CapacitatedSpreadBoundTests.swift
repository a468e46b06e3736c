import Testing

@testable import Planning

@Suite("Capacitated spread bound")
struct CapacitatedSpreadBoundTests {
    /// Row-major n × n |xᵢ − xⱼ| for units on a line.
    func lineSpread(_ xs: [Double]) -> [Double] {
        xs.flatMap { a in xs.map { b in abs(a - b) } }
    }

    /// The least Σ_parts (1 / P) Σ wᵢ g(i, seat) over every assignment of the units to `parts`
    /// non-empty parts each holding between `least` and `most` people, the seat its most
    /// populous unit (ties to the lower index): the quantity the bound bounds, by brute force.
    func bruteForce(_ w: [Double], _ g: [Double], parts: Int, least: Double, most: Double) -> Double {
        let n = w.count
        var best = Double.infinity
        var a = [Int](repeating: 0, count: n)
        func recurse(_ i: Int, _ used: Int) {
            if i == n {
                guard used == parts else { return }
                var total = 0.0
                for part in 0..<parts {
                    let members = (0..<n).filter { a[$0] == part }
                    let people = members.reduce(0) { $0 + w[$1] }
                    guard people >= least - 1e-9, people <= most + 1e-9, people > 0,
                        let seat = members.max(by: { (w[$0], -$0) < (w[$1], -$1) })
                    else { return }
                    total += members.reduce(0) { $0 + w[$1] * g[$1 * n + seat] } / people
                }
                best = min(best, total)
                return
            }
            for part in 0..<min(used + 1, parts) {
                a[i] = part
                recurse(i + 1, max(used, part + 1))
            }
        }
        recurse(0, 0)
        return best
    }

    @Test func twoPairsOnALineGiveTheHandOptimum() {
        // Units at 0, 1, 10, 11, one person each, two parts of 0–4 people: {0, 1} and {10, 11},
        // each seated at its lower index, cost 1 / 4 each over `most` = 4 (one band): 0.5.
        let b = CapacitatedSpreadBound(
            weights: [1, 1, 1, 1], spread: lineSpread([0, 1, 10, 11]), parts: 2, least: 0, most: 4, upper: 0.5,
            bands: 1)
        #expect(abs(b.bound - 0.5) < 1e-6, "bound \(b.bound)")
    }

    @Test func neverAboveTheBruteForceOptimum() {
        var rng = SeededRandom(seed: 5)
        var tight = 0
        for round in 0..<40 {
            let n = 7 + round % 2
            let w = (0..<n).map { _ in Double(1 + rng.int(30)) }
            let xs = (0..<n).map { _ in Double(rng.int(100)) / 10 }
            let g = lineSpread(xs).map { $0 * $0 }
            let parts = 2 + round % 2
            let target = w.reduce(0, +) / Double(parts)
            let reach = target * (0.2 + Double(rng.int(60)) / 100)
            let least = max(0, target - reach), most = target + reach
            let optimum = bruteForce(w, g, parts: parts, least: least, most: most)
            guard optimum.isFinite else { continue }
            let b = CapacitatedSpreadBound(
                weights: w, spread: g, parts: parts, least: least, most: most, upper: optimum, bands: 1 + round % 8)
            #expect(b.bound <= optimum + 1e-9, "\(w) at \(xs): bound \(b.bound) above \(optimum)")
            if b.bound >= 0.5 * optimum { tight += 1 }
        }
        #expect(tight >= 20, "the bound reached half the optimum in only \(tight) of 40 cases")
    }

    @Test func theWindowIsWhatTheUncapacitatedBoundMisses() {
        // A dense core of two units of 100 at 0 and 1 and eight of 5 strung out to 8 km: two
        // balanced parts must each hold about 120 people, so both cores take far units. The
        // p-median without the window seats both parts in the core and puts the far units at
        // its nearest seat; divided by `most` that is much less.
        let w: [Double] = [100, 100] + [Double](repeating: 5, count: 8)
        let xs: [Double] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]
        let g = lineSpread(xs).map { $0 * $0 }
        let least = 100.0, most = 140.0
        let optimum = bruteForce(w, g, parts: 2, least: least, most: most)
        let capacitated = CapacitatedSpreadBound(
            weights: w, spread: g, parts: 2, least: least, most: most, upper: optimum, bands: 8)
        let h = MedianHeuristic(weights: w, matrix: g, cap: [Double](repeating: 1e250, count: w.count))
        let median = MedianLagrangian(h, p: 2, incumbent: h.cost(h.interchange(h.greedy(2))), maxIterations: 400)
        let uncapacitated = median.bound / most
        #expect(capacitated.bound <= optimum + 1e-9)
        #expect(capacitated.bound > 2 * uncapacitated, "capacitated \(capacitated.bound), p-median \(uncapacitated)")
        #expect(capacitated.bound > 0.7 * optimum, "capacitated \(capacitated.bound), optimum \(optimum)")
    }
}
