import Testing

@testable import Planning
@testable import Workflows

/// The quality measures' own arithmetic: the whole-block bound and the binding distance bound.
@Suite("Plan quality")
struct PlanQualityTests {
    /// Blocks 300, 60, 60, 60, 20 in 4 parts: average 125; only the 300 is above it, by 175,
    /// so the mean deviation is at least 2 × 175 / (4 × 125) = 0.7 — which the plan
    /// {300}, {60, 60}, {60}, {20} nearly shows is the right order: (175 + 5 + 65 + 105) / 500
    /// = 0.7 exactly.
    @Test func wholeBlockBoundByHand() {
        let bound = PlanQuality.wholeBlockBound(blocks: [300, 60, 60, 60, 20], count: 4)
        #expect(abs(bound - 0.7) < 1e-12)
        let plan = [300.0, 120, 60, 20]
        let mad = plan.reduce(0) { $0 + abs($1 - 125) } / (4 * 125)
        #expect(abs(mad - 0.7) < 1e-12 && mad >= bound - 1e-12)
        // Equal blocks that divide evenly: nothing forces a deviation.
        #expect(PlanQuality.wholeBlockBound(blocks: [10, 10, 10, 10], count: 2) == 0)
        #expect(PlanQuality.wholeBlockBound(blocks: [], count: 3) == 0)
    }

    /// Circuitos of 3,000, 6,000 (both several parroquias) and 9,000, 12,000 (one parroquia,
    /// several): average 7,500, so 3,000 is −60 % and 12,000 +60 %. The 3,000 is its distrito's
    /// only circuito, so it is named apart; the 12,000 shares its distrito and stays beyond.
    @Test func aDistritosOnlyCircuitoIsNamedApart() {
        func unit(_ code: String, _ people: Double, _ members: [String]) -> UnitFigures {
            UnitFigures(
                code: code, population: people, deviation: 0, members: members, seat: members[0], inertiaKm: 0,
                accessKm: 0, estimated: false, reason: nil)
        }
        let circuitos = [
            unit("A1", 3_000, ["a", "b"]), unit("B1", 6_000, ["c", "d"]), unit("B2", 9_000, ["e"]),
            unit("B3", 12_000, ["f", "g"]),
        ]
        let distritos = [unit("A", 3_000, ["a", "b"]), unit("B", 27_000, ["c", "d", "e", "f", "g"])]
        let split = PlanQuality.beyondHalf(circuitos, average: 7_500, distritos: distritos)
        #expect(split.rest == ["B3"])
        #expect(split.wholeDistrito == ["A1"])
        // Without distritos (the distrito level itself) nothing is set apart.
        let alone = PlanQuality.beyondHalf(circuitos, average: 7_500, distritos: nil)
        #expect(alone.rest == ["A1", "B3"] && alone.wholeDistrito.isEmpty)
    }

    @Test func theBindingBoundIsNamed() {
        func figures(mean: Double, farthest: Double, cantons: Int) -> UnitFigures {
            var f = UnitFigures(
                code: "01D01", population: 90_000, deviation: 0, members: ["010150"], seat: "010150", inertiaKm: 0,
                accessKm: mean, estimated: false, reason: nil)
            f.farthestKm = farthest
            f.cantons = cantons
            return f
        }
        let bind = { (f: UnitFigures) in PlanQuality.binding(f, meanKm: 40, farthestKm: 120) }
        #expect(bind(figures(mean: 20, farthest: 60, cantons: 2)) == "—")
        #expect(bind(figures(mean: 37, farthest: 60, cantons: 2)) == "mean")
        #expect(bind(figures(mean: 37, farthest: 110, cantons: 2)) == "mean, farthest")
        #expect(bind(figures(mean: 42.6, farthest: 100, cantons: 3)) == "mean (beyond)")
        #expect(bind(figures(mean: 30, farthest: 150, cantons: 1)) == "one cantón (exempt)")
        // Several cantones past the farthest bound: exempt only as far as one of them reaches
        // alone (Pastaza: 195.4 km, the cantón alone 195.44), else beyond (the Galápagos' 139 km
        // where no island cantón reaches past 87).
        var pastaza = figures(mean: 29.2, farthest: 195.4, cantons: 4)
        pastaza.cantonExtentKm = 195.44
        #expect(bind(pastaza) == "farthest (one of its cantones alone reaches as far: exempt)")
        var islands = figures(mean: 26.5, farthest: 139.4, cantons: 2)
        islands.cantonExtentKm = 87.3
        #expect(bind(islands) == "farthest (beyond)")
        #expect(PlanQuality.binding(figures(mean: 80, farthest: 300, cantons: 2), meanKm: nil, farthestKm: nil) == "—")
    }
}
