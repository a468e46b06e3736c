import CGLPK
import Planning

/// Solves ``LinearModel``s with GLPK: the LP relaxation by the dual simplex (`glp_simplex`,
/// `GLP_DUALP`: about 3× faster than the primal on the location LPs), the mixed-integer program by branch-and-cut from that basis
/// (`glp_intopt`, with a time limit). GLPK aborts the process on malformed input, so every
/// model is checked first (finite coefficients, ordered bounds, known variables); a model that
/// fails the check is a thrown error, never a crash. Terminal output is switched off.
public struct GLPKSolver: LinearSolver {
    public init() {}

    public var name: String { "GLPK" }

    public struct ModelError: Error, CustomStringConvertible {
        public var description: String
    }

    public func relaxation(_ model: LinearModel) throws -> SolverResult {
        try Self.check(model)
        let problem = Self.build(model)
        defer { glp_delete_prob(problem) }
        return Self.relaxation(problem, columns: model.variables.count)
    }

    public func solve(_ model: LinearModel, seconds: Double, start: [Double]?) throws -> SolverResult {
        try Self.check(model)
        let problem = Self.build(model)
        defer { glp_delete_prob(problem) }
        let lp = Self.simplex(problem)
        guard lp == .optimal else { return SolverResult(lp) }
        return try Self.branchAndCut(problem, model, seconds: seconds, start: start)
    }

    public func session(_ model: LinearModel) throws -> any LinearSession { try GLPKSession(model) }

    /// The LP solved by ``simplex(_:)`` from the problem's current basis, as a result, with the
    /// rows' duals.
    static func relaxation(_ problem: OpaquePointer, columns: Int) -> SolverResult {
        let outcome = Self.simplex(problem)
        guard outcome == .optimal else { return SolverResult(outcome) }
        let value = glp_get_obj_val(problem)
        let values = (0..<columns).map { glp_get_col_prim(problem, Int32($0 + 1)) }
        // glp_get_row_dual: the row's dual value in the problem's own (unscaled) units.
        let duals = (0..<Int(glp_get_num_rows(problem))).map { glp_get_row_dual(problem, Int32($0 + 1)) }
        return SolverResult(
            .optimal, LinearSolution(values: values, objective: value, bound: value, optimal: true, duals: duals))
    }

    /// `glp_intopt` from the optimal LP basis the problem holds, integer columns marked, the
    /// start offered as the first incumbent.
    static func branchAndCut(_ problem: OpaquePointer, _ model: LinearModel, seconds: Double, start: [Double]?) throws
        -> SolverResult
    {
        if let start, start.count != model.variables.count {
            throw ModelError(
                description: "the start holds \(start.count) values for \(model.variables.count) variables")
        }
        let bound = glp_get_obj_val(problem)
        for (j, v) in model.variables.enumerated() where v.integer {
            glp_set_col_kind(problem, Int32(j + 1), GLP_IV)
        }
        var parameters = glp_iocp()
        glp_init_iocp(&parameters)
        parameters.msg_lev = GLP_MSG_OFF
        parameters.tm_lim = Int32(max(1, min(Double(Int32.max), seconds * 1000)))
        parameters.mir_cuts = GLP_ON
        parameters.gmi_cuts = GLP_ON
        // The start is offered once, at the first heuristic call (`glp_ios_heur_sol`); GLPK
        // checks it and keeps it as the incumbent when it is feasible.
        // A solution as good as `acceptableObjective` ends the search (`glp_ios_terminate`).
        let incumbent = IncumbentOffer(
            start.map { [0] + $0 }, acceptable: model.acceptableObjective, maximise: model.maximise)
        parameters.cb_info = Unmanaged.passUnretained(incumbent).toOpaque()
        if start != nil || model.acceptableObjective != nil { parameters.cb_func = Self.offerIncumbent }
        let code = withExtendedLifetime(incumbent) { glp_intopt(problem, &parameters) }
        let status = glp_mip_status(problem)
        switch status {
        case GLP_OPT, GLP_FEAS:
            let values = (0..<model.variables.count).map { glp_mip_col_val(problem, Int32($0 + 1)) }
            let value = glp_mip_obj_val(problem)
            let optimal = status == GLP_OPT && code == 0
            let solution = LinearSolution(
                values: values, objective: value, bound: optimal ? value : bound, optimal: optimal)
            let gap = abs(bound - value) / max(abs(bound), 1e-9)
            return SolverResult(optimal ? .optimal : .feasible(gap: gap), solution)
        case GLP_NOFEAS: return SolverResult(.infeasible)
        default:
            if code == GLP_ETMLIM { return SolverResult(.limit) }
            return SolverResult(.failed("glp_intopt returned \(code), status \(status)"))
        }
    }

    /// The starting solution handed to GLPK's branch-and-cut callback (1-based, as GLPK indexes).
    final class IncumbentOffer {
        var values: [Double]?
        let acceptable: Double?
        let maximise: Bool
        init(_ values: [Double]?, acceptable: Double?, maximise: Bool) {
            self.values = values
            self.acceptable = acceptable
            self.maximise = maximise
        }
    }

    /// `glp_intopt`'s callback: on the first `GLP_IHEUR` request, offer the start; on a new
    /// incumbent (`GLP_IBINGO`) as good as the acceptable objective, stop.
    static let offerIncumbent: @convention(c) (OpaquePointer?, UnsafeMutableRawPointer?) -> Void = { tree, info in
        guard let tree, let info else { return }
        let offer = Unmanaged<IncumbentOffer>.fromOpaque(info).takeUnretainedValue()
        if glp_ios_reason(tree) == GLP_IBINGO, let acceptable = offer.acceptable {
            let value = glp_mip_obj_val(glp_ios_get_prob(tree))
            if offer.maximise ? value >= acceptable - 1e-9 : value <= acceptable + 1e-9 { glp_ios_terminate(tree) }
            return
        }
        guard glp_ios_reason(tree) == GLP_IHEUR, let values = offer.values else { return }
        offer.values = nil
        _ = values.withUnsafeBufferPointer { glp_ios_heur_sol(tree, $0.baseAddress) }
    }

    /// `glp_simplex` with the terminal silent, its end as a ``SolverOutcome``.
    static func simplex(_ problem: OpaquePointer) -> SolverOutcome {
        glp_term_out(GLP_OFF)
        var parameters = glp_smcp()
        glp_init_smcp(&parameters)
        parameters.msg_lev = GLP_MSG_OFF
        parameters.presolve = GLP_OFF
        parameters.meth = GLP_DUALP
        let code = glp_simplex(problem, &parameters)
        guard code == 0 else {
            return code == GLP_ETMLIM || code == GLP_EITLIM ? .limit : .failed("glp_simplex returned \(code)")
        }
        switch glp_get_status(problem) {
        case GLP_OPT: return .optimal
        case GLP_NOFEAS: return .infeasible
        case GLP_UNBND: return .unbounded
        default: return .failed("glp_simplex ended with status \(glp_get_status(problem))")
        }
    }

    /// The largest magnitude of a coefficient or finite bound handed to GLPK. Beyond it GLPK's
    /// scaling (`glp_scale_prob`) can compute scale factors it then rejects with an abort
    /// (`glp_set_sjj: invalid scale factor`, seen with a GDP of 1e200).
    public static let largestMagnitude = 1e15

    /// Rejects what would make GLPK abort: NaN, infinite or huge coefficients, lower > upper,
    /// unknown variables, more rows or columns than GLPK's 32-bit indices hold.
    public static func check(_ model: LinearModel) throws {
        let limit = largestMagnitude
        func fits(_ v: Double) -> Bool { !v.isFinite || abs(v) <= limit }
        guard model.variables.count < Int(Int32.max), model.rows.count < Int(Int32.max) else {
            throw ModelError(description: "the model has more variables or rows than GLPK can index")
        }
        for (j, v) in model.variables.enumerated() {
            guard v.objective.isFinite, abs(v.objective) <= limit, !v.lower.isNaN, !v.upper.isNaN,
                v.lower <= v.upper, fits(v.lower), fits(v.upper)
            else {
                throw ModelError(
                    description:
                        "variable \(j) has bounds [\(v.lower), \(v.upper)] or objective \(v.objective) beyond ±\(limit)"
                )
            }
        }
        for (r, row) in model.rows.enumerated() {
            guard !row.lower.isNaN, !row.upper.isNaN, row.lower <= row.upper, fits(row.lower), fits(row.upper) else {
                throw ModelError(description: "row \(r) has bounds [\(row.lower), \(row.upper)] beyond ±\(limit)")
            }
            for (j, a) in row.terms where j < 0 || j >= model.variables.count || !a.isFinite || abs(a) > limit {
                throw ModelError(description: "row \(r) names variable \(j) with coefficient \(a)")
            }
        }
    }

    /// `glp_create_prob`, columns and rows with their bound types, `glp_load_matrix`.
    static func build(_ model: LinearModel) -> OpaquePointer {
        glp_term_out(GLP_OFF)
        let problem: OpaquePointer = glp_create_prob()
        glp_set_obj_dir(problem, model.maximise ? GLP_MAX : GLP_MIN)
        append(model, to: problem, columnsFrom: 0, rowsFrom: 0)
        return problem
    }

    /// Adds the model's columns from `columnsFrom` and rows from `rowsFrom` (`glp_add_cols`,
    /// `glp_add_rows`, `glp_set_mat_row`), then rescales (`glp_scale_prob`: budgets in the
    /// hundreds of millions beside 0/1 variables otherwise strain the simplex's numerics).
    /// Rows added keep the basis valid: their auxiliary variables enter it.
    static func append(_ model: LinearModel, to problem: OpaquePointer, columnsFrom: Int, rowsFrom: Int) {
        let newColumns = model.variables.count - columnsFrom
        if newColumns > 0 { glp_add_cols(problem, Int32(newColumns)) }
        for j in columnsFrom..<model.variables.count {
            let v = model.variables[j]
            let (type, lower, upper) = bounds(v.lower, v.upper)
            glp_set_col_bnds(problem, Int32(j + 1), type, lower, upper)
            glp_set_obj_coef(problem, Int32(j + 1), v.objective)
        }
        let newRows = model.rows.count - rowsFrom
        if newRows > 0 { glp_add_rows(problem, Int32(newRows)) }
        var indices: [Int32] = [0], values: [Double] = [0]
        for r in rowsFrom..<model.rows.count {
            let row = model.rows[r]
            let (type, lower, upper) = bounds(row.lower, row.upper)
            glp_set_row_bnds(problem, Int32(r + 1), type, lower, upper)
            // GLPK refuses duplicate (row, column) entries: sum them first.
            var merged: [Int: Double] = [:]
            for (j, a) in row.terms { merged[j, default: 0] += a }
            indices.removeSubrange(1...)
            values.removeSubrange(1...)
            for (j, a) in merged.sorted(by: { $0.key < $1.key }) where a != 0 {
                indices.append(Int32(j + 1))
                values.append(a)
            }
            glp_set_mat_row(problem, Int32(r + 1), Int32(indices.count - 1), indices, values)
        }
        glp_scale_prob(problem, GLP_SF_AUTO)
    }

    /// GLPK bound type for [lower, upper]: free, lower-only, upper-only, double or fixed.
    static func bounds(_ lower: Double, _ upper: Double) -> (Int32, Double, Double) {
        switch (lower.isFinite, upper.isFinite) {
        case (false, false): (GLP_FR, 0, 0)
        case (true, false): (GLP_LO, lower, 0)
        case (false, true): (GLP_UP, 0, upper)
        case (true, true): lower == upper ? (GLP_FX, lower, upper) : (GLP_DB, lower, upper)
        }
    }
}
