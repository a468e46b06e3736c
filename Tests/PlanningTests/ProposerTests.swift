import Planning
import Testing

@Suite("Proposer")
struct ProposerTests {
    let rules = PlanningRules(distritoTarget: 90_000, circuitoTarget: 30_000, tolerance: 0.2)

    @Test func knownOptimalPlanOnTheThreeCantonMap() throws {
        // Three cantones of 90,000 (rows of the 3×3 map): one distrito each; each parroquia
        // (30,000) a circuito. Every subproblem is small enough to be solved exactly.
        let t = try map()
        let proposal = try Proposer.propose(t, rules: rules, options: ProposalOptions(seed: 3), metric: PlanarMetric())
        #expect(proposal.subproblems.allSatisfy { $0.optimal })
        #expect(proposal.plan.assignments.count == 9)
        #expect(proposal.plan.assignments["010150"] == Plan.Assignment(distritos: ["01D01"], circuitos: ["01D01C01"]))
        #expect(proposal.plan.assignments["010352"] == Plan.Assignment(distritos: ["01D03"], circuitos: ["01D03C03"]))
        let report = try PlanValidator.validate(
            proposal.plan, territory: t, zones: zones, rules: rules, metric: PlanarMetric())
        #expect(report.valid)
        #expect(report.warnings.isEmpty)
    }

    @Test func sameSeedSameBytesAndInvariantsForOtherSeeds() throws {
        // Uneven map so that choices exist: two distritos of whole cantones for 270,000 people
        // with a 135,000 target.
        let t = try map(populations: [10_000, 40_000, 20_000, 30_000, 30_000, 30_000, 50_000, 20_000, 40_000])
        let r = PlanningRules(distritoTarget: 135_000, circuitoTarget: 30_000, tolerance: 0.5)
        let a = try Proposer.propose(t, rules: r, options: ProposalOptions(seed: 11), metric: PlanarMetric())
        let b = try Proposer.propose(t, rules: r, options: ProposalOptions(seed: 11), metric: PlanarMetric())
        #expect(a.plan.csv() == b.plan.csv())
        for seed in [1, 2, 99] as [UInt64] {
            let p = try Proposer.propose(
                t, rules: r, options: ProposalOptions(seed: seed, restarts: 3), metric: PlanarMetric())
            let report = try PlanValidator.validate(
                p.plan, territory: t, zones: zones, rules: r, metric: PlanarMetric())
            // Nesting, contiguity, whole units and coverage hold whatever the seed; population is conserved.
            #expect(!report.violations.contains { $0.rule != "balance" })
            #expect(report.distritos.reduce(0) { $0 + $1.population } == 270_000)
            #expect(report.circuitos.reduce(0) { $0 + $1.population } == 270_000)
        }
    }

    @Test func fixedTotalsAndImpossibleTargets() throws {
        let t = try map()
        let p = try Proposer.propose(
            t, rules: rules, options: ProposalOptions(distritos: 1, circuitos: 4), metric: PlanarMetric())
        #expect(Set(p.plan.assignments.values.flatMap(\.distritos)) == ["01D01"])
        #expect(Set(p.plan.assignments.values.flatMap(\.circuitos)).count == 4)
        let tooMany = try #require(throws: PlanningError.self) {
            try Proposer.propose(t, rules: rules, options: ProposalOptions(circuitos: 10), metric: PlanarMetric())
        }
        #expect(tooMany.message.contains("at most 9"))
    }
}
