import CGLPK
import Planning

/// Solves ``LinearModel``s with GLPK: the LP relaxation by the primal simplex
/// (`glp_simplex`), the mixed-integer program by branch-and-cut from that basis
/// (`glp_intopt`, with a time limit). GLPK aborts the process on malformed input, so every
/// model is checked first (finite coefficients, ordered bounds, known variables); a model that
/// fails the check is a thrown error, never a crash. Terminal output is switched off.
public struct GLPKSolver: LinearSolver {
    public init() {}

    public struct ModelError: Error, CustomStringConvertible {
        public var description: String
    }

    public func relaxation(_ model: LinearModel) throws -> SolverResult {
        try Self.check(model)
        let problem = Self.build(model)
        defer { glp_delete_prob(problem) }
        let outcome = Self.simplex(problem)
        guard outcome == .optimal else { return SolverResult(outcome) }
        let value = glp_get_obj_val(problem)
        let values = (0..<model.variables.count).map { glp_get_col_prim(problem, Int32($0 + 1)) }
        return SolverResult(.optimal, LinearSolution(values: values, objective: value, bound: value, optimal: true))
    }

    public func solve(_ model: LinearModel, seconds: Double) throws -> SolverResult {
        try Self.check(model)
        let problem = Self.build(model)
        defer { glp_delete_prob(problem) }
        let lp = Self.simplex(problem)
        guard lp == .optimal else { return SolverResult(lp) }
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
        let code = glp_intopt(problem, &parameters)
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

    /// `glp_simplex` with the terminal silent, its end as a ``SolverOutcome``.
    static func simplex(_ problem: OpaquePointer) -> SolverOutcome {
        glp_term_out(GLP_OFF)
        var parameters = glp_smcp()
        glp_init_smcp(&parameters)
        parameters.msg_lev = GLP_MSG_OFF
        parameters.presolve = GLP_OFF
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
                        "variable \(j) has bounds [\(v.lower), \(v.upper)] or objective \(v.objective) beyond ±\(limit)")
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
        if !model.variables.isEmpty { glp_add_cols(problem, Int32(model.variables.count)) }
        for (j, v) in model.variables.enumerated() {
            let (type, lower, upper) = bounds(v.lower, v.upper)
            glp_set_col_bnds(problem, Int32(j + 1), type, lower, upper)
            glp_set_obj_coef(problem, Int32(j + 1), v.objective)
        }
        if !model.rows.isEmpty { glp_add_rows(problem, Int32(model.rows.count)) }
        var ia: [Int32] = [0], ja: [Int32] = [0], ar: [Double] = [0]
        for (r, row) in model.rows.enumerated() {
            let (type, lower, upper) = bounds(row.lower, row.upper)
            glp_set_row_bnds(problem, Int32(r + 1), type, lower, upper)
            // GLPK refuses duplicate (row, column) entries: sum them first.
            var merged: [Int: Double] = [:]
            for (j, a) in row.terms { merged[j, default: 0] += a }
            for (j, a) in merged.sorted(by: { $0.key < $1.key }) where a != 0 {
                ia.append(Int32(r + 1))
                ja.append(Int32(j + 1))
                ar.append(a)
            }
        }
        glp_load_matrix(problem, Int32(ia.count - 1), ia, ja, ar)
        // Geometric and equilibration scaling (`glp_scale_prob`): budgets in the hundreds of
        // millions beside 0/1 variables otherwise strain the simplex's numerics.
        glp_scale_prob(problem, GLP_SF_AUTO)
        return problem
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
