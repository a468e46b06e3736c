import Testing

@testable import Planning

/// How many distritos a group of whole cantones gets (``DistritoCounts``).
@Suite("Distrito counts")
struct DistritoCountsTests {
    /// The allocation under a fixed total is the optimum: every combination of the counts tried
    /// is enumerated on small random cases (some with no combination adding up).
    @Test func allocationUnderAFixedTotalIsTheOptimum() {
        var rng = SeededRandom(seed: 7)
        for _ in 0..<300 {
            let groups = 1 + Int(rng.next() % 4)
            let criteria: [[Int: Double]] = (0..<groups).map { _ in
                var tried: [Int: Double] = [:]
                let low = 1 + Int(rng.next() % 3)
                for c in low...(low + Int(rng.next() % 4)) where rng.next() % 5 != 0 {
                    tried[c] = Double(rng.next() % 1_000) / 100
                }
                return tried
            }
            let total = Int(rng.next() % 14)
            var best = Double.infinity
            func walk(_ g: Int, _ left: Int, _ sum: Double) {
                guard g < groups else {
                    if left == 0 { best = min(best, sum) }
                    return
                }
                for (c, cost) in criteria[g] where c <= left { walk(g + 1, left - c, sum + cost) }
            }
            walk(0, total, 0)
            let chosen = DistritoCounts.allocate(criteria, total: total)
            if best.isFinite {
                #expect(chosen != nil, "\(criteria) \(total)")
                guard let counts = chosen else { continue }
                #expect(counts.reduce(0, +) == total)
                let cost = zip(criteria, counts).reduce(0.0) { $0 + ($1.0[$1.1] ?? .infinity) }
                #expect(abs(cost - best) < 1e-9, "\(criteria) \(total)")
            } else {
                #expect(chosen == nil, "\(criteria) \(total)")
            }
        }
    }

    /// The window around population ÷ target: two counts fewer, up to `extra` more, never so
    /// many that the distritos would average under the minimum share, never more than the
    /// cantones.
    @Test func windowAroundPopulationOverTarget() {
        // 28,000 people (the Galápagos): one distrito, however far apart the islands.
        #expect(
            DistritoCounts.window(population: 28_000, target: 90_000, maxParts: 3, extra: 3, minimumShare: 1.0 / 3)
                == 1...1)
        // 540,000 people: 6 by population, 4…9 tried.
        #expect(
            DistritoCounts.window(population: 540_000, target: 90_000, maxParts: 20, extra: 3, minimumShare: 1.0 / 3)
                == 4...9)
        // 110,000 people in 4 cantones (a sparse Amazon province): 1 by population, up to 3.
        #expect(
            DistritoCounts.window(population: 110_000, target: 90_000, maxParts: 4, extra: 3, minimumShare: 1.0 / 3)
                == 1...3)
        // Never more parts than cantones.
        #expect(
            DistritoCounts.window(population: 540_000, target: 90_000, maxParts: 5, extra: 3, minimumShare: 1.0 / 3)
                == 3...5)
    }

    /// A divisible city takes the count whose equal shares lie nearest its target (Dean's
    /// rule), checked by hand against |P / k − T|: past 4/3 of the target a city is two
    /// distritos, past 12/5 three, where rounding P / T waits for 3/2 and 5/2.
    @Test func aDivisibleCityTakesTheCountWhoseSharesLieNearestItsTarget() {
        func count(_ population: Double, maxParts: Int = 50) -> Int {
            DistritoCounts.cityCount(population: population, target: 270_000, maxParts: maxParts)
        }
        // Ambato (2022): one distrito 100,664 above, two 85,332 below → two (rounding: one).
        #expect(count(370_664) == 2)
        // 350,000: one 80,000 above, two 95,000 below → one.
        #expect(count(350_000) == 1)
        // Exactly 4/3 (360,000): 90,000 either way, the tie to the fewer.
        #expect(count(360_000) == 1)
        // 661,500 (2.45): two 60,750 above, three 49,500 below → three (rounding: two).
        #expect(count(661_500) == 3)
        // Quito (2022, 2,679,722; 9.92): ten.
        #expect(count(2_679_722) == 10)
        // Below the target, or no cantón to divide it into: one.
        #expect(count(100_000) == 1)
        #expect(count(0) == 1)
        #expect(count(370_664, maxParts: 1) == 1)
        // Never more distritos than units to make them of.
        #expect(count(2_679_722, maxParts: 4) == 4)
    }

    /// The least score any split into k circuitos can have, which lets the proposal skip the
    /// counts that cannot beat its own: |P − kT| / T, by hand, and no random split below it
    /// (so a count skipped for it could not have been chosen).
    @Test func noSplitScoresBelowTheLeastBalanceScore() {
        // 40,000 people in 3 circuitos of 11,000: 7,000 over in all, 7/11 at least; 4 → 4/11.
        #expect(abs(Proposer.leastBalanceScore(population: 40_000, parts: 3, target: 11_000) - 7.0 / 11) < 1e-12)
        #expect(abs(Proposer.leastBalanceScore(population: 40_000, parts: 4, target: 11_000) - 4.0 / 11) < 1e-12)
        #expect(Proposer.leastBalanceScore(population: 40_000, parts: 4, target: 0) == 0)
        var random = SeededRandom(seed: 11)
        var tight = 0
        for _ in 0..<2_000 {
            let n = 2 + random.int(30), k = 1 + random.int(n)
            let people = (0..<n).map { _ in Double(100 + random.int(20_000)) }
            // A random split into exactly k non-empty parts: the first k units open them.
            var parts = [Double](repeating: 0, count: k)
            for (i, p) in people.enumerated() { parts[i < k ? i : random.int(k)] += p }
            let target = Double(1_000 + random.int(20_000))
            let score = parts.reduce(0) { $0 + abs($1 - target) / target }
            let least = Proposer.leastBalanceScore(population: people.reduce(0, +), parts: k, target: target)
            #expect(score >= least - 1e-9)
            if score <= least + 1e-9 { tight += 1 }  // every part on one side of the target
        }
        // The bound is reached, not only approached: all below or all above the target.
        #expect(tight > 100)
    }

    /// A whole cantón three times the target takes one distrito; population ÷ target would give
    /// the group three, leaving the two small cantones at half the target each. Balance chooses
    /// two distritos (the lump alone, the two small cantones together) and says why; a fixed
    /// total of three is honoured.
    @Test func aLumpyGroupGetsFewerDistritos() throws {
        let t = try map(populations: [90_000, 90_000, 90_000, 15_000, 15_000, 15_000, 15_000, 15_000, 15_000])
        let r = PlanningRules(distritoTarget: 90_000, circuitoTarget: 30_000, tolerance: 0.5)
        let options = ProposalOptions(seed: 4, distritoMeanDistanceKm: nil, distritoMaxDistanceKm: nil)
        let p = try Proposer.propose(t, rules: r, options: options, metric: PlanarMetric())
        let distritos = Set(p.plan.assignments.values.flatMap(\.distritos))
        #expect(distritos.count == 2)
        #expect(p.plan.assignments["010250"]?.distritos == p.plan.assignments["010350"]?.distritos)
        #expect(p.plan.assignments["010150"]?.distritos != p.plan.assignments["010250"]?.distritos)
        #expect(p.notes.contains { $0.contains("2 distritos instead of 3") && $0.contains("balance better in fewer") })
        var fixed = options
        fixed.distritos = 3
        let three = try Proposer.propose(t, rules: r, options: fixed, metric: PlanarMetric())
        #expect(Set(three.plan.assignments.values.flatMap(\.distritos)).count == 3)
    }
}
