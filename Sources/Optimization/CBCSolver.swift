import CCBC
import CMalloc
import Foundation
import Planning

/// Solves mixed-integer ``LinearModel``s with COIN-OR CBC through its C interface
/// (`Cbc_loadProblem`, `Cbc_setInteger`, `Cbc_setMIPStartI`, `Cbc_solve`), single-threaded and
/// so deterministic; a ``LinearModel/nodeLimit`` becomes `Cbc_setMaximumNodes`, a limit that
/// stops the search in the same place on every machine. Its branch-and-cut (Clp for LPs, Cgl
/// cuts, diving and feasibility-pump heuristics) decides set covering instances GLPK cannot within minutes. LP relaxations and
/// row-generation sessions stay with GLPK (``GLPKSolver``), whose dual simplex re-solves from
/// a basis. Models are checked by ``GLPKSolver/check(_:)`` first: a bad one is a thrown error.
///
/// An ``LinearModel/acceptableObjective`` becomes CBC's cutoff with a limit of one solution:
/// the first solution found is then at least that good, and ends the search.
///
/// CBC's solver driver keeps global state (its parameter tables), so two solves at once in one
/// process fail ("CBC status -1", seen when tests ran in parallel): every solve holds
/// ``exclusive``.
public struct CBCSolver: LinearSolver {
    private static let exclusive = NSLock()

    /// Runs `body` with file descriptor 1 pointed at /dev/null: Debian's Clp 1.17 prints
    /// "N slacks added" with a bare `printf` when its sprint crash starts a model of many more
    /// columns than rows (set partitioning), whatever the log levels, and the command's
    /// standard output is for its results. Called with ``exclusive`` held; the program writes
    /// nothing else to standard output meanwhile (progress goes to standard error).
    private static func silencingStandardOutput(_ body: () -> Void) {
        fflush(nil)  // every stream: what the program printed so far goes out first
        let saved = dup(STDOUT_FILENO)
        let null = open("/dev/null", O_WRONLY)
        guard saved >= 0, null >= 0 else {
            if saved >= 0 { close(saved) }
            if null >= 0 { close(null) }
            body()
            return
        }
        dup2(null, STDOUT_FILENO)
        body()
        fflush(nil)  // what the solver printed goes to /dev/null before the descriptor is restored
        dup2(saved, STDOUT_FILENO)
        close(saved)
        close(null)
    }

    public init() {}

    public var name: String { "CBC" }

    public func relaxation(_ model: LinearModel) throws -> SolverResult { try GLPKSolver().relaxation(model) }

    public func session(_ model: LinearModel) throws -> any LinearSession { try GLPKSession(model) }

    public func solve(_ model: LinearModel, seconds: Double, start: [Double]?) throws -> SolverResult {
        try GLPKSolver.check(model)
        if let start, start.count != model.variables.count {
            throw GLPKSolver.ModelError(
                description: "the start holds \(start.count) values for \(model.variables.count) variables")
        }
        Self.exclusive.lock()
        defer { Self.exclusive.unlock() }
        guard let cbc = Cbc_newModel() else { return SolverResult(.failed("Cbc_newModel returned nothing")) }
        defer {
            Cbc_deleteModel(cbc)
            // glibc keeps the pages a freed model leaves in the arena of the thread that solved
            // it, one arena per thread: with subproblems solved side by side the national 140
            // plan's peak varied 281–398 MiB between runs; returning them after each solve
            // (`malloc_trim`) keeps it at 239–250 MiB, no slower (2026-12-02).
            #if os(Linux)
                _ = malloc_trim(0)
            #endif
        }
        Cbc_setLogLevel(cbc, 0)
        // Column-major matrix: rows' terms regrouped by column, duplicates summed.
        let n = model.variables.count
        var columns = [[Int32: Double]](repeating: [:], count: n)
        for (r, row) in model.rows.enumerated() {
            for (j, a) in row.terms { columns[j][Int32(r), default: 0] += a }
        }
        var starts: [CoinBigIndex] = [0], index: [Int32] = [], value: [Double] = []
        for column in columns {
            for (r, a) in column.sorted(by: { $0.key < $1.key }) where a != 0 {
                index.append(r)
                value.append(a)
            }
            starts.append(CoinBigIndex(index.count))
        }
        func finite(_ v: Double) -> Double { v.isFinite ? v : (v > 0 ? 1e30 : -1e30) }
        let columnLower = model.variables.map { finite($0.lower) },
            columnUpper = model.variables.map { finite($0.upper) }
        let objective = model.variables.map(\.objective)
        let rowLower = model.rows.map { finite($0.lower) }, rowUpper = model.rows.map { finite($0.upper) }
        Cbc_loadProblem(
            cbc, Int32(n), Int32(model.rows.count), starts, index, value, columnLower, columnUpper, objective,
            rowLower, rowUpper)
        for (j, v) in model.variables.enumerated() where v.integer { Cbc_setInteger(cbc, Int32(j)) }
        Cbc_setObjSense(cbc, model.maximise ? -1 : 1)
        Cbc_setMaximumSeconds(cbc, max(0.01, seconds))
        if let nodes = model.nodeLimit { Cbc_setMaximumNodes(cbc, Int32(clamping: max(1, nodes))) }
        if let acceptable = model.acceptableObjective {
            Cbc_setCutoff(cbc, acceptable + (model.maximise ? -1e-6 : 1e-6))
            Cbc_setMaximumSolutions(cbc, 1)
        }
        if let start {
            let columnsSet = (0..<Int32(n)).map { $0 }
            Cbc_setMIPStartI(cbc, Int32(n), columnsSet, start)
        }
        Self.silencingStandardOutput { _ = Cbc_solve(cbc) }
        let infeasible = Cbc_isProvenInfeasible(cbc) != 0
        let hasSolution = Cbc_numberSavedSolutions(cbc) > 0 || Cbc_bestSolution(cbc) != nil
        if infeasible && !hasSolution { return SolverResult(.infeasible) }
        guard hasSolution, let pointer = Cbc_getColSolution(cbc) else {
            return SolverResult(Cbc_isSecondsLimitReached(cbc) != 0 ? .limit : .failed("CBC status \(Cbc_status(cbc))"))
        }
        let values = Array(UnsafeBufferPointer(start: pointer, count: n))
        let found = Cbc_getObjValue(cbc)
        let optimal = Cbc_isProvenOptimal(cbc) != 0 && model.acceptableObjective == nil
        let bound = optimal ? found : Cbc_getBestPossibleObjValue(cbc)
        let gap = abs(bound - found) / max(abs(bound), 1e-9)
        // Stopped by the nodes alone (not by the clock): the same search on every machine.
        let byNodes = !optimal && Cbc_isNodeLimitReached(cbc) != 0 && Cbc_isSecondsLimitReached(cbc) == 0
        return SolverResult(
            optimal ? .optimal : byNodes ? .nodeLimit(gap: gap) : .feasible(gap: gap),
            LinearSolution(values: values, objective: found, bound: bound, optimal: optimal))
    }
}
