import Optimization
import Planning

/// Which library solves the mixed-integer programs (``LinearSolver``): CBC (branch-and-cut,
/// single-threaded, and with a node limit a search that ends in the same place on every
/// machine) or GLPK (lighter; its only limit is time). LP relaxations and row generation use
/// GLPK either way.
public enum MIPSolver: String, Sendable, CaseIterable {
    case cbc, glpk

    public var solver: any LinearSolver { self == .cbc ? CBCSolver() : GLPKSolver() }
}
