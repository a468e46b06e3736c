import CGLPK
import Planning

/// A ``LinearSession`` on one GLPK problem object: rows and columns appended with
/// `glp_add_rows`/`glp_add_cols`, and every LP re-solved by the dual simplex from the
/// previous basis (rows added to an optimal basis leave it dual feasible, the textbook case
/// for the dual simplex). Not thread-safe: one session per task.
public final class GLPKSession: LinearSession {
    private let problem: OpaquePointer
    private var model: LinearModel

    init(_ model: LinearModel) throws {
        try GLPKSolver.check(model)
        self.model = model
        problem = GLPKSolver.build(model)
    }

    deinit { glp_delete_prob(problem) }

    public func update(_ grown: LinearModel) throws {
        guard grown.variables.count >= model.variables.count, grown.rows.count >= model.rows.count,
            grown.maximise == model.maximise
        else { throw GLPKSolver.ModelError(description: "a session's model may only grow") }
        try GLPKSolver.check(grown)
        GLPKSolver.append(grown, to: problem, columnsFrom: model.variables.count, rowsFrom: model.rows.count)
        model = grown
    }

    public func relaxation() throws -> SolverResult {
        GLPKSolver.relaxation(problem, columns: model.variables.count)
    }

    public func solve(seconds: Double, start: [Double]?) throws -> SolverResult {
        let lp = GLPKSolver.simplex(problem)
        guard lp == .optimal else { return SolverResult(lp) }
        let result = try GLPKSolver.branchAndCut(problem, model, seconds: seconds, start: start)
        // Later LPs are continuous again.
        for j in model.variables.indices { glp_set_col_kind(problem, Int32(j + 1), GLP_CV) }
        return result
    }
}
