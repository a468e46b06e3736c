import Optimization
import Planning
import Testing

/// A catalogue row with round numbers.
func standard(
    _ typology: String, sector: String = "health", level: ServiceLevel = .circuito,
    norm: ServiceNorm = .perPopulation(people: 10_000, share: 1), investment: Double = 1_000, recurrent: Double = 100,
    maxMinutes: Double = 30
) -> ServiceStandard {
    ServiceStandard(
        sector: sector, typology: typology, level: level, norm: norm, capacity: 0, maxMinutes: maxMinutes, staff: 5,
        investment: (investment * 0.7, investment * 0.2, investment * 0.1),
        recurrent: (recurrent * 0.8, recurrent * 0.1, recurrent * 0.1), repairShare: 0.5, matches: [typology],
        source: "illustrative", costSource: "illustrative", assumption: "test")
}

/// The 3×3 map as one distrito (01D01) of three circuitos, one per row (90,000 people each).
func rowsPlan() -> Plan {
    var a: [String: Plan.Assignment] = [:]
    for r in 0..<3 {
        for c in 0..<3 {
            a["010\(r + 1)5\(c)"] = Plan.Assignment(distritos: ["01D01"], circuitos: ["01D01C0\(r + 1)"])
        }
    }
    return Plan(source: "rows", assignments: a)
}

@Suite("Services: deficit, placement, schedule")
struct ServicesTests {
    func establishment(_ id: String, _ typology: String, _ unit: String, _ condition: Condition) -> Establishment {
        Establishment(id: id, typology: typology, unit: unit, condition: condition, location: GeoPoint(lon: 0, lat: 0))
    }

    @Test func deficitOfAUnitByHand() throws {
        let t = try map()
        let catalogue = StandardsCatalogue(standards: [standard("CS-A")])
        // Circuito 1 (row 0, 90,000 people): 4 good + 2 poor; the norm asks for 9.
        let e =
            (0..<4).map { establishment("g\($0)", "CS-A", "010150", .good) }
            + (0..<2).map { establishment("p\($0)", "CS-A", "010151", .poor) }
        let d = try DeficitAnalysis.compute(
            territory: t, plan: rowsPlan(), zones: zones, catalogue: catalogue, establishments: e,
            nearestMinutes: ["CS-A": [10, 10, 10, 10, 10, 45, 10, 10, 10]])
        let c1 = try #require(d.rows.first { $0.code == "01D01C01" })
        #expect(c1.required == 9 && c1.current == 4 && c1.poor == 2)
        #expect(c1.missing == 3 && c1.repairs == 2)
        let investment: Double = 3 * 1_000 + 2 * 0.5 * 1_000
        #expect(c1.investment == investment)
        #expect(c1.recurrent == 300 && c1.staffMissing == 15)
        // Row 1's 010252 is 45 minutes from the nearest centre: its 30,000 people are unserved.
        let c2 = try #require(d.rows.first { $0.code == "01D01C02" })
        #expect(c2.unserved == 30_000 && c2.missing == 9)
    }

    /// Circuito 1 (90,000 people): schools for 23 % of them, 700 pupils each → 20,700 pupils,
    /// 30 schools gross. Ten usable private schools at half of their 700 places serve 3,500
    /// (the poor private one serves nobody): 17,200 left → 25 net. 20 public schools → 10
    /// missing gross, 5 net. Circuito 2's 100 private schools would serve more than its 20,700
    /// pupils: nothing is left to the Executive. A per-unit norm is never netted.
    @Test func privateOfferIsNettedByHand() throws {
        let t = try map()
        var school = standard("EGB", sector: "education", norm: .perPopulation(people: 700, share: 0.23))
        school.capacity = 700
        school.privateShare = 0.5
        var upc = standard("UPC", sector: "security", norm: .perUnit(1))
        upc.capacity = 100
        upc.privateShare = 1
        func privateOne(_ id: String, _ typology: String, _ unit: String, _ condition: Condition) -> Establishment {
            Establishment(
                id: id, typology: typology, unit: unit, condition: condition, location: GeoPoint(lon: 0, lat: 0),
                provider: .private)
        }
        let e =
            (0..<20).map { establishment("pub\($0)", "EGB", "010150", .good) }
            + (0..<10).map { privateOne("priv\($0)", "EGB", "010151", .fair) }
            + [privateOne("ruin", "EGB", "010152", .poor)]
            + (0..<100).map { privateOne("c2-\($0)", "EGB", "010250", .good) }
            + [privateOne("guard", "UPC", "010150", .good)]
        let d = try DeficitAnalysis.compute(
            territory: t, plan: rowsPlan(), zones: zones,
            catalogue: StandardsCatalogue(standards: [school, upc]), establishments: e, nearestMinutes: [:])
        let c1 = try #require(d.rows.first { $0.code == "01D01C01" && $0.typology == "EGB" })
        #expect(abs(c1.targetPopulation - 20_700) < 1e-6 && c1.requiredGross == 30 && c1.required == 25)
        #expect(c1.privateEstablishments == 10 && c1.privateServed == 3_500)
        #expect(c1.current == 20 && c1.missingGross == 10 && c1.missing == 5)
        #expect(c1.investment == 5 * 1_000 && c1.staffMissing == 25)
        let c2 = try #require(d.rows.first { $0.code == "01D01C02" && $0.typology == "EGB" })
        #expect(c2.privateServed == c2.targetPopulation && c2.required == 0 && c2.missing == 0 && c2.missingGross == 30)
        let guardRow = try #require(d.rows.first { $0.code == "01D01C01" && $0.typology == "UPC" })
        #expect(guardRow.required == 1 && guardRow.missing == 1 && guardRow.privateServed == 0)
        // The national totals carry both.
        let nation = try #require(d.totals("nation").first { $0.typology == "EGB" })
        #expect(nation.requiredGross == 90 && nation.required == 25 + 0 + 30)
        #expect(nation.missingGross == 10 + 30 + 30 && nation.missing == 5 + 0 + 30)
    }

    @Test func costsAddUpAcrossLevels() throws {
        let t = try map(populations: [12_000, 7_000, 31_000, 9_000, 22_000, 15_000, 40_000, 3_000, 18_000])
        let catalogue = StandardsCatalogue(standards: [
            standard("CS-A"), standard("UPC", sector: "security", norm: .perUnit(1), investment: 700, recurrent: 90),
            standard("CS-C", level: .distrito, norm: .perPopulation(people: 50_000, share: 1), investment: 5_000),
        ])
        let d = try DeficitAnalysis.compute(
            territory: t, plan: rowsPlan(), zones: zones, catalogue: catalogue,
            establishments: [establishment("u", "UPC", "010250", .fair)], nearestMinutes: [:])
        func sum(_ level: String) -> (Double, Double) {
            d.totals(level).reduce((0, 0)) { ($0.0 + $1.investment, $0.1 + $1.recurrent) }
        }
        // Circuito populations 50,000, 46,000 and 61,000 → 5 + 5 + 7 = 17 CS-A; 2 UPC missing
        // (row 1 has one).
        let circuito = sum("circuito")
        let expected: Double = 17 * 1_000 + 2 * 700
        #expect(circuito.0 == expected)
        // The distrito adds its CS-C: 157,000 people → 4.
        #expect(sum("distrito").0 == circuito.0 + 4 * 5_000)
        #expect(sum("zona").0 == sum("distrito").0 && sum("nation").0 == sum("zona").0)
        let recurrent: Double = 17 * 100 + 2 * 90 + 4 * 100
        #expect(sum("nation").1 == recurrent)
    }

    /// Four demand points in a line, three candidates: S0 covers b, c (10); S1 covers a, b (9);
    /// S2 covers c, d (9). Greedy takes S0, then 4 more: 14. The optimum S1 + S2 covers all: 18.
    func line() -> FacilityProblem {
        let covers: [[Bool]] = [
            [false, true, false], [true, true, false], [true, false, true], [false, false, true],
        ]
        let distance: [[Double]] = covers.map { row in row.map { $0 ? 0.5 : 5 } }
        return FacilityProblem(
            weights: [4, 5, 5, 4], distance: distance,
            existing: [.infinity, .infinity, .infinity, .infinity], p: 2, radius: 1, objective: .coverage)
    }

    @Test func maximalCoveringFindsTheOptimumGreedyMisses() throws {
        let f = line()
        #expect(f.value(FacilityLocation.greedy(f)) == 14)
        let exact = try FacilityLocation.solve(f, solver: GLPKSolver())
        #expect(exact.open == [1, 2] && exact.value == 18 && exact.gap == 0)
        #expect(exact.method.contains("MIP"))
        let enumerated = try FacilityLocation.solve(f, solver: nil)
        #expect(enumerated.open == [1, 2] && enumerated.method == "enumeration")
        // An existing establishment covering a and b makes S2 alone enough for the rest.
        var g = f
        g.existing = [0.5, 0.5, .infinity, .infinity]
        g.p = 1
        #expect(try FacilityLocation.solve(g, solver: GLPKSolver()).open == [2])
    }

    @Test func capacityChangesTheBestSites() throws {
        // A (100) at 0 km, B (100) at 10 km, C (50) at 20 km; candidates X at 5 km (reaches A
        // and B within 5 km), Y at A, Z at C; two sites. Unlimited: X + Z covers 250. With
        // 100 people a site, X can take only one of A and B: Y + X covers 200, X + Z only 150.
        let demand: [Double] = [0, 10_000, 20_000], sites: [Double] = [5_000, 0, 20_000]
        var f = FacilityProblem(
            weights: [100, 100, 50], distance: demand.map { a in sites.map { abs(a - $0) } },
            existing: [.infinity, .infinity, .infinity], p: 2, radius: 5_000, objective: .coverage)
        #expect(try FacilityLocation.solve(f, solver: GLPKSolver()).open == [0, 2])
        f.capacity = 100
        let mip = try FacilityLocation.solve(f, solver: GLPKSolver())
        #expect(mip.open == [0, 1] && mip.value == 200 && mip.gap == 0)
        let enumerated = try FacilityLocation.solve(f, solver: nil)
        #expect(enumerated.open == [0, 1] && enumerated.value == 200)
        #expect(f.assign([0, 2]).value == 150)
        #expect(f.assign([0, 1]).served == [0: 100, 1: 100])
    }

    @Test func medianMIPAgreesWithEnumerationAndSubstitution() throws {
        // Six points on a line 0…5 km, weights rising; 2 medians.
        let xs: [Double] = [0, 1_000, 2_000, 3_000, 4_000, 5_000]
        let f = FacilityProblem(
            weights: [1, 1, 1, 3, 3, 3], distance: xs.map { a in xs.map { abs(a - $0) } },
            existing: xs.map { _ in .infinity }, p: 2, radius: 0, objective: .median)
        let mip = try FacilityLocation.solve(f, solver: GLPKSolver())
        let enumerated = try FacilityLocation.solve(f, solver: nil)
        #expect(mip.value == enumerated.value)
        #expect(abs(FacilityLocation.substitution(f, start: [0, 1]).count - 2) == 0)
        #expect(f.value(FacilityLocation.substitution(f, start: [0, 1])) == enumerated.value)
        // By hand: medians at 1 km and 4 km: 1+0+1 + 3·(1+0+1) = 8 km·weight.
        #expect(enumerated.value == 8_000)
    }

    /// Travel where cell 010150 (lon 0, lat 0) is a hub 5 minutes from everywhere (a fast
    /// road), and everything else is as the crow flies at 600 km/h (100 km = 10 minutes).
    struct HubTravel: TravelTimes {
        let straight = StraightLineTimes(metric: PlanarMetric(), speedKmh: 600)
        func minutes(from origins: [GeoPoint], to destinations: [GeoPoint]) -> [[Double]] {
            straight.minutes(from: origins, to: destinations).enumerated().map { i, row in
                row.enumerated().map { j, m in
                    destinations[j] == GeoPoint(lon: 0, lat: 0) && origins[i] != destinations[j] ? 5 : m
                }
            }
        }
        var description: String { "hub" }
    }

    /// Parroquia 010150 (90,000 people) lives in two towns 1 unit apart (10 minutes), its seat
    /// halfway (5 minutes from each) and reach 3 minutes: its seat serves nobody. Given its two
    /// population centres, the two new establishments go one to each town, at distinct sites,
    /// each serving 45,000; with the seat as the only demand point, the seat is chosen.
    @Test func populationCentresSpreadDemandAndSites() throws {
        let t = try map(populations: [90_000, 100, 100, 30_000, 30_000, 30_000, 30_000, 30_000, 30_000])
        let catalogue = StandardsCatalogue(standards: [standard("H", norm: .perUnit(2), maxMinutes: 3)])
        let d = try DeficitAnalysis.compute(
            territory: t, plan: rowsPlan(), zones: zones, catalogue: catalogue, establishments: [],
            nearestMinutes: [:])
        let towns = [GeoPoint(lon: -0.5, lat: 0), GeoPoint(lon: 0.5, lat: 0)]
        let points = (0..<200).map { k in (towns[k % 2], 1.0) }
        let centres = WeightedClusters.centres(points, count: 4)
        #expect(centres.count == 2 && centres.map(\.weight) == [100, 100])
        #expect(Set(centres.map(\.location.lon)) == [-0.5, 0.5])
        let travel = StraightLineTimes(metric: PlanarMetric(), speedKmh: 600)
        let spread = try Placement.place(
            d, territory: t, catalogue: catalogue, establishments: [], objective: .coverage, travel: travel,
            solver: GLPKSolver(), demand: ["010150": centres])
        let row0 = spread.sites.filter { $0.area == "01D01C01" }
        #expect(Set(row0.map(\.site)) == ["010150 population centre 1", "010150 population centre 2"])
        #expect(row0.map(\.served) == [45_000, 45_000])
        let seatsOnly = try Placement.place(
            d, territory: t, catalogue: catalogue, establishments: [], objective: .coverage, travel: travel,
            solver: GLPKSolver())
        // With the seat as its only demand point the parroquia looks served from its seat,
        // where nobody lives.
        #expect(seatsOnly.sites.filter { $0.area == "01D01C01" }.map(\.site).contains("010150"))
    }

    /// Two points of 100 people, one school of 120 places within reach of both (A at 1 minute,
    /// B at 5), a second school out of reach: 120 are served, A first (the least
    /// person-minutes), by the LP and by the nearest-first fallback alike.
    @Test func existingCapacityServesTheMostPeopleNearestFirst() throws {
        let minutes: [[Double]] = [[1, 50], [5, 60]]
        for solver in [GLPKSolver() as (any LinearSolver)?, nil] {
            let served = try ExistingCapacity.served(
                weights: [100, 100], minutes: minutes, capacities: [120, 120], radius: 30, solver: solver)
            #expect(served.map { ($0 * 1e6).rounded() / 1e6 } == [100, 20])
        }
        #expect(
            try ExistingCapacity.served(weights: [100], minutes: [[40]], capacities: [120], radius: 30, solver: nil)
                == [0])
    }

    /// Row 0 (three parroquias of 30,000, one place per person, schools of 10,000 places, 12
    /// minutes of reach, neighbours 10 minutes apart): two schools at 010150 fill with 20,000
    /// of its own people; 10,000 of it and 30,000 of 010151 are beyond capacity, 30,000 of
    /// 010152 beyond reach. The 7 new schools take all 70,000 (where a model with unlimited
    /// existing schools would see only 010152's 30,000). Row 1 has its 9 schools (none
    /// missing) at 010250: 010252 is beyond reach, listed with the reason.
    @Test func placementTakesWhatTheExistingCapacityLeaves() throws {
        let t = try map()
        var school = standard("EGB", sector: "education", maxMinutes: 12)
        school.capacity = 10_000
        let catalogue = StandardsCatalogue(standards: [school])
        let e =
            (0..<2).map { establishment("a\($0)", "EGB", "010150", .good) }
            + (0..<9).map { establishment("b\($0)", "EGB", "010250", .good) }
        let d = try DeficitAnalysis.compute(
            territory: t, plan: rowsPlan(), zones: zones, catalogue: catalogue, establishments: e, nearestMinutes: [:])
        // The establishments stand at their parroquia's seat; `capacity` is the registry's.
        func place(registryCapacity: Double? = nil) throws -> (
            sites: [PlacedSite], records: [PlacementRecord], unserved: [UnservedRecord]
        ) {
            let located = e.map { x -> Establishment in
                var y = x
                y.location = t.units.first { $0.id == x.unit }?.location ?? x.location
                if x.unit == "010150" { y.capacity = registryCapacity }
                return y
            }
            return try Placement.place(
                d, territory: t, catalogue: catalogue, establishments: located, objective: .coverage,
                travel: StraightLineTimes(metric: PlanarMetric(), speedKmh: 600), solver: GLPKSolver())
        }
        let result = try place()
        let row0 = try #require(result.unserved.first { $0.area == "01D01C01" })
        #expect(abs(row0.beyondCapacity - 40_000) < 1e-6 && abs(row0.beyondReach - 30_000) < 1e-6)
        #expect(
            row0.placed == 7 && abs(row0.taken - 70_000) < 1e-6 && row0.left < 1e-6 && row0.reason.isEmpty,
            "\(row0) \(result.sites.filter { $0.area == "01D01C01" }.map { ($0.site, $0.served) })")
        let sites0 = result.sites.filter { $0.area == "01D01C01" }
        #expect(sites0.count == 7 && abs(sites0.reduce(0) { $0 + $1.served } - 70_000) < 1e-6)
        #expect(sites0.allSatisfy { $0.served > 0 })
        let row1 = try #require(result.unserved.first { $0.area == "01D01C02" })
        #expect(row1.placed == 0 && abs(row1.beyondReach - 30_000) < 1e-6 && row1.beyondCapacity == 0)
        #expect(row1.reason == "the norm's count is met (no establishment missing)")
        #expect(!result.sites.contains { $0.area == "01D01C02" })
        // The registry's capacity overrides the catalogue's: row 0's two schools with 20,000
        // places each serve all of 010150 and 10,000 of 010151.
        let withRegistry = try place(registryCapacity: 20_000)
        let row0Registry = try #require(withRegistry.unserved.first { $0.area == "01D01C01" })
        #expect(abs(row0Registry.beyondCapacity - 20_000) < 1e-6 && abs(row0Registry.beyondReach - 30_000) < 1e-6)
    }

    /// An area whose parroquias bring 3,000 population centres is cut to at most 2,000 (each
    /// parroquia re-clustered to its share), people conserved.
    @Test func anAreasCentresAreBounded() throws {
        let t = try map()
        let catalogue = StandardsCatalogue(standards: [standard("H", norm: .perUnit(1), maxMinutes: 3)])
        let d = try DeficitAnalysis.compute(
            territory: t, plan: rowsPlan(), zones: zones, catalogue: catalogue, establishments: [],
            nearestMinutes: [:])
        var centres: [String: [WeightedClusters.Centre]] = [:]
        for (c, unit) in ["010150", "010151", "010152"].enumerated() {
            centres[unit] = (0..<1_000).map { k in
                WeightedClusters.Centre(
                    location: GeoPoint(lon: Double(c) + Double(k % 40) * 0.01 - 0.2, lat: Double(k / 40) * 0.01 - 0.12),
                    weight: 1)
            }
        }
        let result = try Placement.place(
            d, territory: t, catalogue: catalogue, establishments: [], objective: .coverage,
            travel: StraightLineTimes(metric: PlanarMetric(), speedKmh: 600), solver: nil, demand: centres)
        let record = try #require(result.records.first { $0.area == "01D01C01" })
        #expect(record.candidates == 3 + 3 * 666)
        let served = result.sites.filter { $0.area == "01D01C01" }.reduce(0) { $0 + $1.served }
        #expect(served > 0 && served <= 90_000 + 1e-6)
    }

    /// The centres do not depend on the order of the points, and never outnumber the distinct
    /// places.
    @Test func weightedClustersAreCanonical() {
        var points: [(GeoPoint, Double)] = []
        for k in 0..<300 {
            let x = Double(k % 17) * 0.01, y = Double(k % 7) * 0.013
            points.append((GeoPoint(lon: -78 + x, lat: -0.2 + y), Double(1 + k % 5)))
        }
        let a = WeightedClusters.centres(points, count: 6)
        let b = WeightedClusters.centres(points.reversed(), count: 6)
        #expect(a == b && a.count == 6)
        #expect(abs(a.reduce(0) { $0 + $1.weight } - points.reduce(0) { $0 + $1.1 }) < 1e-9)
        let few = [(GeoPoint(lon: 1, lat: 1), 2.0), (GeoPoint(lon: 1, lat: 1), 3.0), (GeoPoint(lon: 2, lat: 1), 1.0)]
        #expect(WeightedClusters.centres(few, count: 10).map(\.weight) == [5, 1])
        #expect(WeightedClusters.centres([(GeoPoint(lon: .nan, lat: 0), 1)], count: 3).isEmpty)
    }

    @Test func placementFollowsTheTravelTimesItIsGiven() throws {
        // One distrito needs one establishment reachable within 12 minutes. As the crow flies
        // the centre cell (010251) reaches its four rook neighbours (10 minutes) and itself,
        // 150,000 people, not the diagonals (14.1 minutes); a corner reaches 90,000. With the
        // hub road the corner 010150 reaches all 270,000.
        let t = try map()
        let catalogue = StandardsCatalogue(standards: [
            standard("H", level: .distrito, norm: .perUnit(1), maxMinutes: 12)
        ])
        let d = try DeficitAnalysis.compute(
            territory: t, plan: rowsPlan(), zones: zones, catalogue: catalogue, establishments: [],
            nearestMinutes: ["H": Array(repeating: .infinity, count: 9)])
        let straight = try Placement.place(
            d, territory: t, catalogue: catalogue, establishments: [], objective: .coverage,
            travel: StraightLineTimes(metric: PlanarMetric(), speedKmh: 600), solver: GLPKSolver())
        #expect(straight.sites.map(\.site) == ["010251"])
        #expect(straight.sites.first?.served == 150_000)
        let hub = try Placement.place(
            d, territory: t, catalogue: catalogue, establishments: [], objective: .coverage, travel: HubTravel(),
            solver: GLPKSolver())
        #expect(hub.sites.map(\.site) == ["010150"])
        #expect(hub.sites.first?.served == 270_000)
        // The median under the hub travel also picks the hub: 8 cells × 5 minutes.
        let median = try Placement.place(
            d, territory: t, catalogue: catalogue, establishments: [], objective: .median, travel: HubTravel(),
            solver: nil)
        #expect(median.sites.map(\.site) == ["010150"])
        let value = try #require(median.records.first?.solution.value)
        #expect(abs(value - 8 * 30_000 * 5) < 1e-6, "\(value - 8 * 30_000 * 5)")
    }

    @Test func recurrentCostsSpreadTheBuildingOverYears() throws {
        // 100 a year; each item costs 60 to build and 30 a year after: both in year 1 would be
        // 120. One in year 1 (60), the other in year 2 (60 + 30 = 90), then 60 a year.
        let items = [
            BuildItem(id: "a", sector: "health", investment: 60, recurrent: 30, served: 100),
            BuildItem(id: "b", sector: "health", investment: 60, recurrent: 30, served: 90),
        ]
        let scenario = BudgetScenario(
            name: "flat", startYear: 2026, gdpStart: 100, programmeShare: 1, gdpGrowth: 0, populationGrowth: 0)
        for solver in [GLPKSolver() as (any LinearSolver)?, nil] {
            let s = try Scheduler.schedule(items, scenario: scenario, horizon: 5, solver: solver)
            #expect(s.year == [0, 1])
            #expect(s.spending["health"] == [60, 90, 60, 60, 60])
            #expect(s.remaining["health"] == [1, 0, 0, 0, 0])
            #expect(s.closes["health"] == 1)
        }
        // A third item never fits: 3 × 30 recurrent + 60 > 100 in any year.
        let three = items + [BuildItem(id: "c", sector: "health", investment: 60, recurrent: 30, served: 80)]
        let s = try Scheduler.schedule(three, scenario: scenario, horizon: 5, solver: GLPKSolver())
        #expect(s.year[2] == nil && s.closes["health"] == .some(nil))
    }

    /// Circuito 1 (90,000 people, one centre per 10,000): 8 good and 1 poor centre. Nothing is
    /// missing, one repair is (half of 1,000). With 5 % growth a year the norm asks for 10 from
    /// year 1 (94,500 people) and 11 from year 3 (104,186): two growth items. Circuitos 2 and
    /// 3 have nothing: 9 placed sites each would be the current deficit (not placed here).
    @Test func repairsAndGrowthAreItemsOfTheSchedule() throws {
        let t = try map()
        let catalogue = StandardsCatalogue(standards: [standard("CS-A")])
        let e =
            (0..<8).map { establishment("g\($0)", "CS-A", "010150", .good) }
            + [establishment("p", "CS-A", "010151", .poor)]
        let d = try DeficitAnalysis.compute(
            territory: t, plan: rowsPlan(), zones: zones, catalogue: catalogue, establishments: e, nearestMinutes: [:])
        let items = try ClosingProgramme.items(
            deficit: d, catalogue: catalogue, sites: [], populationGrowth: 0.05, horizon: 4
        ).filter { $0.area == "01D01C01" }
        // Growth compounded to absurdity is refused before anything is made.
        #expect(throws: PlanningError.self) {
            try ClosingProgramme.items(deficit: d, catalogue: catalogue, sites: [], populationGrowth: 1, horizon: 50)
        }
        #expect(items.map(\.kind) == [.repair, .growth, .growth])
        #expect(items.map(\.neededFrom) == [0, 1, 3])
        #expect(items.map(\.investment) == [500, 1_000, 1_000] && items.map(\.recurrent) == [0, 100, 100])
        #expect(items.allSatisfy { $0.distrito == "01D01" && $0.served == 10_000 })
        // 1,100 a year is the least that closes by year index 1 (repair in year 0, the first
        // growth centre in year 1, the second in year 2 with 100 of recurrent cost: 1,100);
        // with GDP 10,000 that is 11 % of it.
        let scenario = BudgetScenario(
            name: "flat", startYear: 2026, gdpStart: 10_000, programmeShare: 0.11, gdpGrowth: 0, populationGrowth: 0.05)
        let need = try #require(Scheduler.budgetNeeded(items, scenario: scenario, horizon: 4, closeBy: 1))
        #expect(abs(need.share - 0.11) <= 1e-6 * 0.11 && abs(need.firstYear - 1_100) <= 0.01)
        let s = try Scheduler.schedule(items, scenario: scenario, horizon: 4, solver: nil)
        // Everything is built by the year it is needed: closed from the end of year 0 on.
        #expect(s.year == [0, 1, 2] && s.closes["health"] == 0)
        #expect(s.remaining["health"] == [0, 0, 0, 0])
        #expect(s.spending["health"] == [500, 1_000, 1_100, 200])
        // A year less of budget and the second growth centre is never built: not closed.
        var poorer = scenario
        poorer.programmeShare = 0.1099
        let short = try Scheduler.schedule(items, scenario: poorer, horizon: 4, solver: nil)
        #expect(short.year[2] == nil && short.closes["health"] == .some(nil))
        #expect(short.remaining["health"] == [0, 0, 0, 1])
        // A closing year beyond the horizon is refused.
        #expect(Scheduler.budgetNeeded(items, scenario: scenario, horizon: 4, closeBy: 4) == nil)
    }

    @Test func badCatalogueAndScenarioRowsAreNamed() throws {
        let header = StandardsCatalogue.columns
        func row(level: String = "circuito", investment: String = "100") -> [String] {
            [
                "health", "CS-A", level, "per_population", "10000", "1", "", "30", "5", investment, "10", "1", "50",
                "5", "5", "0.5", "CENTRO DE SALUD TIPO A", "illustrative", "illustrative", "",
            ]
        }
        #expect(try StandardsCatalogue.read(header: header, rows: [row()], source: "c.csv").standards.count == 1)
        #expect(throws: PlanningError.self) {
            try StandardsCatalogue.read(header: header, rows: [row(level: "barrio")], source: "c.csv")
        }
        do {
            _ = try StandardsCatalogue.read(header: header, rows: [row(investment: "-5")], source: "c.csv")
            Issue.record("a negative cost was accepted")
        } catch let e as PlanningError {
            #expect(e.description.contains("line 2 (CS-A)") && e.description.contains("must not be negative"))
        }
        let scenarioHeader = [
            "scenario", "start_year", "gdp_start", "programme_share", "gdp_growth", "population_growth",
        ]
        do {
            _ = try BudgetScenario.read(
                header: scenarioHeader, rows: [["moderate", "2026", "-1", "0.01", "0.05", "0.01"]], source: "s.csv")
            Issue.record("a negative budget was accepted")
        } catch let e as PlanningError {
            #expect(e.description.contains("line 2 (moderate), field 'gdp_start': must be from 0 to"))
        }
    }
}
