import Foundation
import Optimization
import Planning
import Testing

@testable import Workflows

@Suite("Numbers checked at the border")
struct CheckedTests {
    @Test func rangesNameTheOptionAndTheValue() throws {
        #expect(try Checked.number(5, in: 1...10, "--x") == 5)
        for bad in [0.5, 11, .nan, .infinity, -.infinity] {
            #expect(throws: WorkflowError.self) { try Checked.number(bad, in: 1...10, "--x") }
        }
        do {
            _ = try Checked.count(1e300, in: 0...100, "file.csv, line 3, field 'n'")
            Issue.record("accepted")
        } catch let e as WorkflowError {
            #expect(e.message == "file.csv, line 3, field 'n' must be from 0 to 100, got 1e+300")
        }
        #expect(money(1_234_567.4) == "1,234,567")
        #expect(money(-1_000) == "-1,000")
        #expect(!money(1e300).isEmpty)  // no trap on a huge figure
    }

    @Test func territoryOptionsRefuseZeroTargets() {
        var o = TerritoryOptions(units: "x.shp")
        o.distritoTarget = 0
        #expect(throws: WorkflowError.self) { try o.validated() }
        o.distritoTarget = 90_000
        o.circuitoTarget = -5
        #expect(throws: WorkflowError.self) { try o.validated() }
        o.circuitoTarget = 11_000
        o.tolerance = .nan
        #expect(throws: WorkflowError.self) { try o.validated() }
    }

    @Test func weightsAreThreeFiniteNumbers() throws {
        #expect(try ProposalSettings.weights("1,0.05,0.05").balance == 1)
        for bad in ["1,2", "1,2,3,4", "a,b,c", "0,0,0", "1e300,0,0", "-1,0,0", "nan,1,1"] {
            #expect(throws: WorkflowError.self) { try ProposalSettings.weights(bad) }
        }
    }

    /// GLPK aborts the process on scale factors it cannot take (seen with a GDP of 1e200):
    /// such a model must be a thrown error.
    @Test func glpkIsNeverHandedAModelItWouldAbortOn() throws {
        var m = LinearModel(maximise: true)
        let x = m.variable(upper: 1, objective: 1, integer: true)
        m.row([(x, 1e200)], upper: 1e210)
        #expect(throws: GLPKSolver.ModelError.self) { try GLPKSolver().solve(m, seconds: 1) }
        #expect(throws: GLPKSolver.ModelError.self) { try GLPKSolver().relaxation(m) }
    }

    @Test func solverOutcomesAreTyped() throws {
        var infeasible = LinearModel(maximise: true)
        let a = infeasible.variable(upper: 1, objective: 1, integer: true)
        infeasible.row([(a, 1)], lower: 2, upper: 3)
        #expect(try GLPKSolver().solve(infeasible, seconds: 1).outcome == .infeasible)
        var unbounded = LinearModel(maximise: true)
        let b = unbounded.variable(upper: .infinity, objective: 1)
        unbounded.row([(b, 1)], lower: 0)
        #expect(try GLPKSolver().relaxation(unbounded).outcome == .unbounded)
        var fine = LinearModel(maximise: true)
        let c = fine.variable(upper: 3, objective: 2, integer: true)
        fine.row([(c, 1)], upper: 2.5)
        let r = try GLPKSolver().solve(fine, seconds: 1)
        #expect(r.outcome == .optimal)
        #expect(r.solution?.objective == 4)
    }
}

@Suite("Schedule tables")
struct ScheduleTableTests {
    /// spending_by_area.csv is ordered by year as a number (year index 10 after 9, not after 1).
    @Test func spendingRowsFollowTheYears() {
        let keys = [10, 2, 9, 1, 0].map { SpendingKey(year: $0, zona: "z", distrito: "d", sector: "s") }
        #expect(keys.sorted().map(\.year) == [0, 1, 2, 9, 10])
        #expect(
            SpendingKey(year: 3, zona: "a", distrito: "x", sector: "s")
                < SpendingKey(year: 3, zona: "b", distrito: "a", sector: "a"))
    }
}
