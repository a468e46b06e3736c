import Planning
import Testing

/// Planar metric: 1 degree = 100 km, for hand-checkable figures.
struct PlanarMetric: DistanceMetric {
    func metres(_ a: GeoPoint, _ b: GeoPoint) -> Double {
        ((a.lon - b.lon) * (a.lon - b.lon) + (a.lat - b.lat) * (a.lat - b.lat)).squareRoot() * 100_000
    }
}

/// Rook edges of the 3×3 grid of units numbered row by row.
func gridEdges() -> [(Int, Int)] {
    var edges: [(Int, Int)] = []
    for r in 0..<3 {
        for c in 0..<3 {
            if c > 0 { edges.append((3 * r + c - 1, 3 * r + c)) }
            if r > 0 { edges.append((3 * (r - 1) + c, 3 * r + c)) }
        }
    }
    return edges
}

/// Rook neighbour lists of a w×h grid of units numbered row by row, each list sorted.
func gridNeighbours(_ w: Int, _ h: Int) -> [[Int]] {
    var neighbours = [[Int]](repeating: [], count: w * h)
    for r in 0..<h {
        for c in 0..<w {
            let i = r * w + c
            if c > 0 { neighbours[i].append(i - 1); neighbours[i - 1].append(i) }
            if r > 0 { neighbours[i].append(i - w); neighbours[i - w].append(i) }
        }
    }
    return neighbours.map { $0.sorted() }
}

/// A 3×3 map: row r is cantón 010(r+1) of province 01; cells 0101 50/51/52 ... with 30,000
/// people each, rook neighbours, points one degree apart.
func map(populations: [Int]? = nil, links: [(String, String)] = []) throws -> Territory {
    var units: [PlanningUnit] = []
    for r in 0..<3 {
        for c in 0..<3 {
            let canton = "010\(r + 1)"
            units.append(
                PlanningUnit(
                    id: canton + "5\(c)", canton: canton, province: "01", population: populations?[3 * r + c] ?? 30_000,
                    location: GeoPoint(lon: Double(c), lat: Double(r))))
        }
    }
    return try Territory(units: units, edges: gridEdges(), links: links)
}

let zones = try! ZoneTable(rows: [["zona": "6", "province": "01", "canton": ""]])

func plan(_ rows: [(String, String, String)]) -> Plan {
    Plan(
        source: "test",
        assignments: Dictionary(
            uniqueKeysWithValues: rows.map {
                (
                    $0.0,
                    Plan.Assignment(
                        distritos: $0.1.split(separator: ";").map(String.init),
                        circuitos: $0.2.isEmpty ? [] : $0.2.split(separator: ";").map(String.init))
                )
            }))
}

/// One distrito per cantón (90,000 people each), three circuitos of one parroquia each.
func goodPlan() -> Plan {
    var rows: [(String, String, String)] = []
    for r in 1...3 {
        for c in 0..<3 { rows.append(("010\(r)5\(c)", "01D0\(r)", "01D0\(r)C0\(c + 1)")) }
    }
    return plan(rows)
}

@Suite("Plan validation")
struct PlanValidationTests {
    let rules = PlanningRules(distritoTarget: 90_000, circuitoTarget: 30_000, tolerance: 0.2)

    func validate(_ p: Plan, _ t: Territory? = nil, rules: PlanningRules? = nil, zoneTable: ZoneTable = zones) throws
        -> ValidationReport
    {
        try PlanValidator.validate(
            p, territory: t ?? (try map()), zones: zoneTable, rules: rules ?? self.rules, metric: PlanarMetric())
    }

    @Test func aGoodPlanIsValidWithExactFigures() throws {
        let r = try validate(goodPlan())
        #expect(r.valid)
        #expect(r.warnings.isEmpty)
        #expect(r.distritos.map(\.code) == ["01D01", "01D02", "01D03"])
        #expect(r.distritos.allSatisfy { $0.population == 90_000 && $0.deviation == 0 })
        // Seat: the smallest code among equals; the others 100 and 200 km away, 30,000 each:
        // mean distance (0 + 100 + 200) / 3 = 100 km, RMS √((0 + 100² + 200²) / 3) ≈ 129.1 km.
        #expect(r.distritos[0].seat == "010150")
        #expect(abs(r.distritos[0].accessKm - 100) < 1e-9)
        #expect(abs(r.distritos[0].inertiaKm - (50_000.0 / 3).squareRoot()) < 1e-9)
        #expect(r.circuitos.count == 9)
        #expect(r.zonas == ["6": ["01D01", "01D02", "01D03"]])
    }

    @Test func missingUnitsCodesAndNesting() throws {
        var p = goodPlan()
        p.assignments["010150"] = nil
        p.assignments["010151"] = Plan.Assignment(distritos: ["01X01"], circuitos: ["01D01C02"])
        p.assignments["010250"] = Plan.Assignment(distritos: ["01D02"], circuitos: ["01D03C09"])
        let r = try validate(p)
        #expect(r.violations.contains { $0.rule == "coverage" && $0.members == ["010150"] })
        #expect(r.violations.contains { $0.rule == "code" && $0.unit == "01X01" })
        #expect(r.violations.contains { $0.rule == "nesting" && $0.unit == "01D01C02" })
        #expect(r.violations.contains { $0.rule == "nesting" && $0.unit == "01D03C09" })
    }

    @Test func wholeCantonsAndProvinces() throws {
        // Cantón 0101 split between 01D01 and 01D02 (90,000 people, far below the split threshold).
        var p = goodPlan()
        p.assignments["010152"] = Plan.Assignment(distritos: ["01D02"])
        let r = try validate(p)
        #expect(r.violations.contains { $0.rule == "whole-canton" && $0.unit == "0101" })
        // A distrito coded for province 02 holding province 01 units.
        var q = goodPlan()
        for c in 0..<3 { q.assignments["01035\(c)"] = Plan.Assignment(distritos: ["02D01"]) }
        #expect(try validate(q).violations.contains { $0.rule == "code" && $0.unit == "02D01" })
    }

    @Test func splitCantonMayNotShareItsDistritos() throws {
        // With a split threshold of 50,000, cantón 0101 may split — but its distritos must not
        // hold other cantones.
        let lenient = PlanningRules(
            distritoTarget: 90_000, circuitoTarget: 30_000, tolerance: 0.9, splitCantonAbove: 50_000)
        var p = goodPlan()
        p.assignments["010152"] = Plan.Assignment(distritos: ["01D02"])
        let r = try validate(p, rules: lenient)
        #expect(r.warnings.contains { $0.rule == "whole-canton" && $0.unit == "0101" })
        #expect(r.violations.contains { $0.rule == "whole-canton" && $0.unit == "01D02" })
    }

    @Test func splitParishOnlyWhenLarge() throws {
        var p = goodPlan()
        p.assignments["010150"] = Plan.Assignment(distritos: ["01D01", "01D02"])
        #expect(try validate(p).violations.contains { $0.rule == "whole-parroquia" && $0.unit == "010150" })
        let big = try map(populations: [200_000] + Array(repeating: 30_000, count: 8))
        let r = try validate(
            p, big,
            rules: PlanningRules(
                distritoTarget: 90_000, circuitoTarget: 30_000, tolerance: 9, splitCantonAbove: 100_000))
        #expect(!r.violations.contains { $0.rule == "whole-parroquia" })
        #expect(r.warnings.contains { $0.rule == "whole-parroquia" && $0.unit == "010150" })
        #expect(r.distritos.first { $0.code == "01D01" }?.estimated == true)
    }

    @Test func contiguityAndLinks() throws {
        // 01D01 = the two ends of row 0 (010150 and 010152), not touching.
        var p = goodPlan()
        p.assignments["010151"] = Plan.Assignment(distritos: ["01D02"])
        let lenient = PlanningRules(
            distritoTarget: 90_000, circuitoTarget: 30_000, tolerance: 0.9, splitCantonAbove: 50_000)
        let r = try validate(p, rules: lenient)
        #expect(r.violations.contains { $0.rule == "contiguity" && $0.unit == "01D01" && $0.members == ["010152"] })
        // A link joining the two ends makes it contiguous.
        let linked = try map(links: [("010150", "010152")])
        #expect(
            !(try validate(p, linked, rules: lenient)).violations.contains {
                $0.rule == "contiguity" && $0.unit == "01D01"
            })
    }

    @Test func zonaNesting() throws {
        let split = try ZoneTable(rows: [
            ["zona": "6", "province": "01", "canton": ""], ["zona": "9", "province": "", "canton": "0101"],
        ])
        var p = goodPlan()
        for c in 0..<3 { p.assignments["01015\(c)"] = Plan.Assignment(distritos: ["01D02"]) }
        let r = try validate(p, zoneTable: split)
        #expect(r.violations.contains { $0.rule == "nesting" && $0.unit == "01D02" && $0.members == ["6", "9"] })
    }

    @Test func balanceIsSoftUnlessStrict() throws {
        let uneven = try map(populations: [30_000, 30_000, 30_000, 10_000, 10_000, 10_000, 30_000, 30_000, 30_000])
        let r = try validate(goodPlan(), uneven)
        #expect(r.valid)
        #expect(
            r.warnings.contains {
                $0.rule == "balance" && $0.unit == "01D02" && $0.message.contains("a single whole cantón")
            })
        // Circuito 01D02C01 made of two parroquias (20,000 people, −33 %): no whole-unit excuse.
        var p = goodPlan()
        p.assignments["010251"] = Plan.Assignment(distritos: ["01D02"], circuitos: ["01D02C01"])
        let strict = try validate(
            p, uneven,
            rules: PlanningRules(distritoTarget: 90_000, circuitoTarget: 30_000, tolerance: 0.2, strictBalance: true))
        // The distrito deviation is justified (a whole cantón) and stays soft; the circuito is not.
        #expect(!strict.violations.contains { $0.unit == "01D02" })
        #expect(strict.violations.contains { $0.rule == "balance" && $0.unit == "01D02C01" })
    }

    @Test func badInputNamesTheUnits() throws {
        var p = goodPlan()
        p.assignments["999999"] = Plan.Assignment(distritos: ["01D01"])
        let unknown = try #require(throws: PlanningError.self) { try validate(p) }
        #expect(unknown.units == ["999999"])
        let duplicate = try #require(throws: PlanningError.self) {
            try Plan.read(
                header: ["dpa_parroq", "distrito"], rows: [["010150", "01D01"], ["010150", "01D02"]], source: "p.csv")
        }
        #expect(duplicate.units == ["010150"])
        #expect(throws: PlanningError.self) {
            try Plan.read(header: ["dpa_parroq", "zona"], rows: [], source: "p.csv")
        }
        #expect(throws: PlanningError.self) { try map(links: [("010150", "nowhere")]) }
        let twins = [
            PlanningUnit(id: "a", canton: "0101", province: "01", population: 1, location: GeoPoint(lon: 0, lat: 0))
        ]
        #expect(throws: PlanningError.self) { try Territory(units: twins + twins, edges: []) }
    }
}

@Suite("Plan comparison and links")
struct PlanComparisonTests {
    @Test func identicalPlansUnderOtherCodes() throws {
        var renamed = goodPlan()
        for (k, v) in renamed.assignments {
            renamed.assignments[k] = Plan.Assignment(
                distritos: v.distritos.map { $0.replacingOccurrences(of: "01D0", with: "01D1") })
        }
        let c = PlanComparison.compare(goodPlan(), renamed, territory: try map())
        #expect(c.adjustedRand == 1)
        #expect(c.sameUnitShare == 1 && c.samePopulationShare == 1)
        #expect(c.matching == ["01D01": "01D11", "01D02": "01D12", "01D03": "01D13"])
        #expect(c.moves.isEmpty && c.merged.isEmpty && c.split.isEmpty)
    }

    @Test func adjustedRandByHand() throws {
        // Over units x1..x4: A = {1,1,2,2}, B = {1,1,1,2}. Σ C(nij,2) = 1; rows give 2, columns 3;
        // expected 2 × 3 / 6 = 1; maximum 2.5; ARI = (1 − 1) / (2.5 − 1) = 0.
        let t = try map()
        let ids = ["010150", "010151", "010152", "010250"]
        let a = plan(zip(ids, ["01D01", "01D01", "01D02", "01D02"]).map { ($0, $1, "") })
        let b = plan(zip(ids, ["01D01", "01D01", "01D01", "01D02"]).map { ($0, $1, "") })
        let c = PlanComparison.compare(a, b, territory: t)
        #expect(abs(c.adjustedRand) < 1e-12)
        #expect(c.compared == 4)
        #expect(c.moves.map(\.unit) == ["010152"])
        #expect(c.merged == ["01D01"])
        #expect(c.split == ["01D02"])
    }

    @Test func linksJoinIslandsSameCantonFirst() throws {
        // Two islands: one of cantón 0101 beside 010150, one of province 02 nearer to 010152.
        var units = (try map()).units
        units.append(
            PlanningUnit(
                id: "010159", canton: "0101", province: "01", population: 100, location: GeoPoint(lon: 0, lat: -1)))
        units.append(
            PlanningUnit(
                id: "020150", canton: "0201", province: "02", population: 100, location: GeoPoint(lon: 3, lat: 0)))
        let t = try Territory(units: units, edges: gridEdges())
        let links = t.proposeLinks(metric: PlanarMetric())
        #expect(links.map { "\($0.from)-\($0.to)" } == ["010150-010159", "010152-020150"])
    }

    @Test func detachedPartOfACantonJoinsItsLargestPart() throws {
        // 010352 (top right) recoded to cantón 0101 touches only 010252 and 010351, of cantones
        // 0102 and 0103: cantón 0101 is in two pieces although the territory is one.
        var units = (try map()).units
        units[8].canton = "0101"
        let t = try Territory(units: units, edges: gridEdges())
        #expect(t.proposeLinks(metric: PlanarMetric()).isEmpty)
        let inner = t.proposeCantonLinks(metric: PlanarMetric())
        // Closest unit of the main part (010150–010152 on row 0) to 010352 at (2, 2) is 010152 at (2, 0).
        #expect(inner.map { "\($0.from)-\($0.to)" } == ["010352-010152"])
        #expect(abs((inner.first?.metres ?? 0) - 200_000) < 1e-6)
    }
}
