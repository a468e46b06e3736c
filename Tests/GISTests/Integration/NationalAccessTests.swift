import Foundation
import GIS
import Testing

/// Schools (education) against the 1,040 parishes with 2022 population, on straight lines.
@Suite("National access (../shared/data)", .enabled(if: SharedData.required), .serialized)
struct NationalAccessTests {
    static let all = [
        "FISCAL": "education", "PARTICULAR": "education", "FISCOMISIONAL": "education", "MUNICIPAL": "education",
    ]

    func run(mapping: [String: String], shuffle: Bool) throws -> (AccessResult, [String: [String]]) {
        let ctx = GeometryContext()
        let proj = try ProjContext()
        var parishes = try NationalDataTests.parishes.get()
        var schools = try CSVPointReader.read(try SharedData.path("establishments/escuelas_amie.csv")).layer
        if shuffle {
            var rng = TestRandom(state: 7)
            parishes.features.sort { _, _ in rng.next() < 0.5 }
            for i in stride(from: schools.features.count - 1, to: 0, by: -1) {
                schools.features.swapAt(i, Int(rng.next() * Double(i + 1)))
            }
        }
        let demand = try Demand.build(
            .polygons(parishes, field: "POB_2022", id: "DPA_PARROQ"), units: parishes, unitID: "DPA_PARROQ",
            context: ctx, proj: proj)
        let supply = try Supply.build(
            schools, options: .init(typeField: "sostenimiento", mapping: mapping, idField: "amie"), units: parishes,
            context: ctx, proj: proj)
        let result = try AccessAnalysis.run(
            demand: demand, supply: supply, units: parishes, model: .straight(try StraightLine(speedKmh: 30)),
            options: AccessOptions(
                thresholds: [.metres(5_000), .minutes(30)], catchment: .metres(10_000), decays: [.step, .gaussian]))
        // The per-unit table keyed by unit id, for comparisons across input orders.
        let columns = AccessOutput.unitColumns(result)
        var rows: [String: [String]] = [:]
        for u in result.unitIDs.indices { rows[result.unitIDs[u]] = columns.map { $0.values[u].description } }
        return (result, rows)
    }

    @Test func everyParishGetsAFiniteDistanceAndPopulationIsConserved() throws {
        let (result, rows) = try run(mapping: Self.all, shuffle: false)
        #expect(result.unitIDs.count == 1_040)
        #expect(result.population.input == 16_938_986)
        #expect(result.population.counted == 16_938_986)
        #expect(result.population.balanced)
        #expect(result.supply.perType == ["education": 17_947])
        #expect(result.units.allSatisfy { $0[0].meanMetres.map(\.isFinite) ?? false })
        // Three parishes have population 0 (Tiputini, Las Golondrinas, El Piedrero): named.
        #expect(Set(result.population.emptyUnits) == ["220254", "900151", "900451"])
        // With one demand point per parish (its interior point), 81.28 % of people are within
        // 5 km of a school (measured; pinned against regressions).
        let covered = result.units.reduce(0.0) { $0 + $1[0].coveredPopulation[0] }
        #expect(abs(covered / 16_938_986 - 0.8128) < 0.0005)
        let (_, shuffled) = try run(mapping: Self.all, shuffle: true)
        #expect(shuffled == rows)
        let (_, again) = try run(mapping: Self.all, shuffle: false)
        #expect(again == rows)
    }

    @Test func publicSchoolsOnly() throws {
        let (result, _) = try run(mapping: ["FISCAL": "public"], shuffle: false)
        #expect(result.supply.perType == ["public": 13_313])
        #expect(result.supply.unmappedTypes == ["PARTICULAR": 3_685, "FISCOMISIONAL": 834, "MUNICIPAL": 115])
        #expect(result.units.allSatisfy { $0[0].meanMetres.map(\.isFinite) ?? false })
        #expect(result.equity.first?.gini.map { $0 > 0 && $0 < 1 } == true)
    }
}
