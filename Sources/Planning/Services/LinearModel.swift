/// A mixed-integer linear program in plain Swift values: the planning module states its
/// placement and scheduling models with it, and a solver library (GLPK through the
/// Optimization module) solves them. Sparse rows; every variable has bounds.
public struct LinearModel: Sendable {
    public struct Variable: Sendable {
        public var lower: Double
        public var upper: Double
        public var objective: Double
        public var integer: Bool
    }
    public struct Row: Sendable {
        /// (variable index, coefficient).
        public var terms: [(Int, Double)]
        public var lower: Double
        public var upper: Double
    }

    public var maximise: Bool
    /// For decision problems ("is there a cover with at most p sites?"): the search may stop
    /// at the first solution at least this good, reported as feasible, not optimal.
    public var acceptableObjective: Double?
    /// A limit on the branch-and-bound nodes: a search it stops ends in the same place on every
    /// machine (single-threaded CBC), so its best solution may be used where a time-limited
    /// one may not. Solvers without such a limit (GLPK) ignore it and keep their time limit.
    public var nodeLimit: Int?
    public private(set) var variables: [Variable] = []
    public private(set) var rows: [Row] = []

    public init(maximise: Bool) { self.maximise = maximise }

    /// Adds a variable and returns its index.
    @discardableResult
    public mutating func variable(lower: Double = 0, upper: Double = 1, objective: Double = 0, integer: Bool = false)
        -> Int
    {
        variables.append(Variable(lower: lower, upper: upper, objective: objective, integer: integer))
        return variables.count - 1
    }

    /// Adds `lower ≤ Σ terms ≤ upper` (use ±infinity for one-sided rows).
    public mutating func row(_ terms: [(Int, Double)], lower: Double = -.infinity, upper: Double = .infinity) {
        rows.append(Row(terms: terms, lower: lower, upper: upper))
    }
}

/// What a solver returns.
public struct LinearSolution: Sendable {
    public var values: [Double]
    public var objective: Double
    /// Best bound on the optimum known to the solver (equal to `objective` when proven optimal).
    public var bound: Double
    public var optimal: Bool
    /// The rows' dual values of an LP relaxation, one per row in the model's order, such that a
    /// variable's reduced cost is c_j − Σ_i a_ij yᵢ (empty for a MIP, or where the solver gives
    /// none): what column generation prices new columns with.
    public var duals: [Double]
    public init(values: [Double], objective: Double, bound: Double, optimal: Bool, duals: [Double] = []) {
        self.values = values
        self.objective = objective
        self.bound = bound
        self.optimal = optimal
        self.duals = duals
    }
}

/// A solver for ``LinearModel``s: `relaxation` solves the LP with integrality dropped (a bound),
/// `solve` the MIP within a time limit. Nil when the model is infeasible.
/// How a solver run ended.
public enum SolverOutcome: Sendable, Equatable, CustomStringConvertible {
    /// Proven optimal.
    case optimal
    /// A feasible solution, not proven optimal (a limit stopped the search); `gap` is relative.
    case feasible(gap: Double)
    /// No feasible solution exists.
    case infeasible
    /// The objective is unbounded.
    case unbounded
    /// A node limit (``LinearModel/nodeLimit``) stopped the search with a feasible solution:
    /// unlike a time limit, the solution and `gap` are the same on every machine.
    case nodeLimit(gap: Double)
    /// A time or iteration limit stopped the search before any feasible solution.
    case limit
    /// The solver failed (numerical trouble, a model it would not take); the reason says which.
    case failed(String)

    /// The outcome as a method column states it: the same text whatever the machine's speed
    /// (a time-limited search's gap depends on it, so it is left out).
    public var stableDescription: String {
        switch self {
        case .feasible, .limit: "not proven optimal within the time limit"
        default: description
        }
    }

    public var description: String {
        switch self {
        case .optimal: "optimal"
        case .feasible(let gap): "feasible, not proven optimal (gap \((gap * 10_000).rounded() / 100) %)"
        case .nodeLimit(let gap):
            "best within the node limit, not proven optimal (gap \((gap * 10_000).rounded() / 100) %)"
        case .infeasible: "infeasible"
        case .unbounded: "unbounded"
        case .limit: "stopped by its time limit without a solution"
        case .failed(let why): "failed: \(why)"
        }
    }
}

/// What a solver run gave: its outcome, and a solution when there is one (optimal or feasible).
public struct SolverResult: Sendable {
    public var outcome: SolverOutcome
    public var solution: LinearSolution?

    public init(_ outcome: SolverOutcome, _ solution: LinearSolution? = nil) {
        self.outcome = outcome
        self.solution = solution
    }

    /// The solution when it is proven optimal.
    public var optimal: LinearSolution? { outcome == .optimal ? solution : nil }
}

/// An LP/MIP solver. Implementations never end the process: a model they cannot take is a
/// thrown error or a `.failed` outcome.
public protocol LinearSolver: Sendable {
    /// The solver's name, as method descriptions give it ("GLPK", "CBC").
    var name: String { get }
    /// The LP relaxation (integrality dropped).
    func relaxation(_ model: LinearModel) throws -> SolverResult
    /// The mixed-integer program, within `seconds`; `start`, when given, is a feasible solution
    /// the search begins from (its incumbent), one value per variable.
    func solve(_ model: LinearModel, seconds: Double, start: [Double]?) throws -> SolverResult
    /// A model kept loaded between solves, for row and column generation.
    func session(_ model: LinearModel) throws -> any LinearSession
}

/// A model held by the solver between solves: it only grows (variables and rows appended to
/// the ``LinearModel`` it was made from are passed with ``update(_:)``), and each LP is
/// re-solved from the previous basis, which row and column generation need to be fast.
public protocol LinearSession: AnyObject {
    /// Loads the variables and rows `model` holds beyond those already loaded; the ones
    /// already loaded must be unchanged.
    func update(_ model: LinearModel) throws
    /// The LP relaxation from the current basis.
    func relaxation() throws -> SolverResult
    /// The MIP from the optimal LP basis (solve ``relaxation()`` first), within `seconds`.
    func solve(seconds: Double, start: [Double]?) throws -> SolverResult
}

extension LinearSolver {
    /// The mixed-integer program, within `seconds`, with no starting solution.
    public func solve(_ model: LinearModel, seconds: Double) throws -> SolverResult {
        try solve(model, seconds: seconds, start: nil)
    }
}
