import Planning
import Testing

@Suite("Plan repair")
struct PlanRepairTests {
    let rules = PlanningRules(distritoTarget: 90_000, circuitoTarget: 30_000, tolerance: 0.5)

    @Test func oneMoveSufficesAndExactlyOneIsMade() throws {
        // 010151 put in 01D02 splits cantón 0101 and cuts 01D01 in two; moving it back fixes both.
        var p = goodPlan()
        p.assignments["010151"] = Plan.Assignment(distritos: ["01D02"], circuitos: ["01D02C01"])
        let t = try map()
        #expect(
            !(try PlanValidator.validate(p, territory: t, zones: zones, rules: rules, metric: PlanarMetric())).valid)
        let (fixed, moves) = try PlanRepair.repair(p, territory: t, zones: zones, rules: rules, metric: PlanarMetric())
        #expect(
            moves == [
                RepairMove(units: ["010151"], from: "01D02", to: "01D01", population: 30_000, rule: "whole-canton")
            ])
        let report = try PlanValidator.validate(fixed, territory: t, zones: zones, rules: rules, metric: PlanarMetric())
        #expect(report.valid)
        // Every other unit is where it was.
        for (id, a) in goodPlan().assignments where id != "010151" { #expect(fixed.assignments[id] == a) }
        #expect(fixed.assignments["010151"]?.circuitos.first?.hasPrefix("01D01C") == true)
    }

    @Test func lockedDistritosDoNotMove() throws {
        var p = goodPlan()
        p.assignments["010151"] = Plan.Assignment(distritos: ["01D02"], circuitos: ["01D02C01"])
        let (_, moves) = try PlanRepair.repair(
            p, territory: try map(), zones: zones, rules: rules, locks: ["01D02"], metric: PlanarMetric())
        #expect(moves.isEmpty)
    }

    @Test func unplannedUnitJoinsTheBestBalancedNeighbour() throws {
        // Without 010250, 01D02 has 60,000 people and 01D01 90,000: it joins 01D02.
        var p = goodPlan()
        p.assignments["010250"] = nil
        let (fixed, moves) = try PlanRepair.repair(
            p, territory: try map(), zones: zones, rules: rules, metric: PlanarMetric())
        #expect(moves.map(\.rule) == ["coverage"])
        #expect(moves.first?.from == nil && moves.first?.to == "01D02")
        #expect(
            try PlanValidator.validate(fixed, territory: try map(), zones: zones, rules: rules, metric: PlanarMetric())
                .valid)
    }
}

@Suite("Plan repair conflicts")
struct PlanRepairConflictTests {
    @Test func aUnitMovesAtMostOnce() throws {
        // Cantón 0101 is in two pieces (010150 and 010152 without 010151, which belongs to 0102
        // here): whole-cantón and contiguity pull 010152 both ways. The repair must stop.
        var units = (try map()).units
        units[1].canton = "0102"
        let t = try Territory(units: units, edges: gridEdges())
        var p = goodPlan()
        p.assignments["010151"] = Plan.Assignment(distritos: ["01D02"], circuitos: ["01D02C04"])
        let rules = PlanningRules(distritoTarget: 90_000, circuitoTarget: 30_000, tolerance: 0.9)
        let (_, moves) = try PlanRepair.repair(p, territory: t, zones: zones, rules: rules, metric: PlanarMetric())
        let counts = Dictionary(grouping: moves.flatMap(\.units), by: { $0 }).mapValues(\.count)
        #expect(counts.values.allSatisfy { $0 == 1 })
        #expect(moves.count <= 2)
    }
}
