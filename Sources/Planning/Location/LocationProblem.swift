/// The classic facility location questions, each with its parameters validated at construction.
public enum LocationQuestion: Sendable, Equatable {
    /// Maximal covering location problem (Church & ReVelle 1974): open `sites` new sites to
    /// maximise the demand within `radius` of an open or fixed site.
    case maximalCovering(sites: Int, radius: Double)
    /// p-median (Hakimi 1964; ReVelle & Swain 1970): open `sites` new sites to minimise the
    /// demand-weighted distance to the nearest open or fixed site.
    case median(sites: Int)
    /// Location set covering problem (Toregas, Swain, ReVelle & Bergman 1971): the fewest new
    /// sites that put every coverable demand point within `radius` of an open or fixed site.
    case setCovering(radius: Double)
    /// p-center (Hakimi 1965; Minieka 1970): open `sites` new sites to minimise the largest
    /// distance from a demand point (of positive weight) to its nearest open or fixed site.
    case center(sites: Int)

    /// The name a summary gives it.
    public var name: String {
        switch self {
        case .maximalCovering: "maximal covering (MCLP)"
        case .median: "p-median"
        case .setCovering: "location set covering (LSCP)"
        case .center: "p-center"
        }
    }

    /// Whether a larger objective is better.
    public var maximises: Bool { if case .maximalCovering = self { true } else { false } }

    /// The coverage radius (MCLP, LSCP).
    public var radius: Double? {
        switch self {
        case .maximalCovering(_, let r), .setCovering(let r): r
        default: nil
        }
    }

    /// The number of new sites asked (all but LSCP).
    public var siteCount: Int? {
        switch self {
        case .maximalCovering(let p, _), .median(let p), .center(let p): p
        case .setCovering: nil
        }
    }
}

/// One facility location problem: weighted demand points, candidate sites and the distance
/// between every demand point and every candidate (any unit; a radius is in the same unit),
/// some candidates fixed open (existing establishments, not counted among the new sites), and
/// optionally a capacity per candidate (the weight it can serve).
///
/// Distances are stored densely, demand-major: `demand × candidates` doubles. An infinite
/// distance means "unreachable" (a road network with islands): it never covers, and in a
/// median it costs ``unreachablePenalty`` per unit of weight.
public struct LocationProblem: Sendable {
    public let question: LocationQuestion
    public let weights: [Double]
    public let candidateCount: Int
    /// distances[i * candidateCount + j]: demand i to candidate j.
    public let distances: [Double]
    /// Candidates open whatever the solution (existing establishments).
    public let fixed: [Bool]
    /// Weight each candidate can serve (+∞: unlimited); nil: every candidate unlimited.
    public let capacities: [Double]?

    public var demandCount: Int { weights.count }

    /// The largest dense matrix accepted (2^26 doubles, 512 MiB, e.g. 8,000 × 8,000; the
    /// p-median heuristic holds one more copy): beyond it, aggregate demand first.
    public static let largestMatrix = 1 << 26

    /// Validates every figure: weights finite and ≥ 0; distances ≥ 0 (NaN refused, +∞ allowed);
    /// capacities ≥ 0 (+∞ allowed); `sites` ≥ 0; radius finite and ≥ 0. Errors name the row.
    public init(
        question: LocationQuestion, weights: [Double], candidateCount: Int, distances: [Double],
        fixed: [Bool]? = nil, capacities: [Double]? = nil
    ) throws {
        guard candidateCount >= 0, weights.count.multipliedReportingOverflow(by: candidateCount).overflow == false,
            weights.count * candidateCount <= Self.largestMatrix
        else {
            throw PlanningError(
                "\(weights.count) demand points × \(candidateCount) candidates exceed the \(Self.largestMatrix) distances one problem may hold: aggregate the demand first"
            )
        }
        guard distances.count == weights.count * candidateCount else {
            throw PlanningError(
                "the distance matrix holds \(distances.count) values, not \(weights.count) × \(candidateCount)")
        }
        if let k = weights.firstIndex(where: { !$0.isFinite || $0 < 0 }) {
            throw PlanningError("demand point \(k + 1): the weight \(weights[k]) must be a finite number ≥ 0")
        }
        if let k = distances.firstIndex(where: { $0.isNaN || $0 < 0 }) {
            throw PlanningError(
                "demand point \(k / max(1, candidateCount) + 1), candidate \(k % max(1, candidateCount) + 1): the distance \(distances[k]) must be ≥ 0"
            )
        }
        if let fixed, fixed.count != candidateCount {
            throw PlanningError("\(fixed.count) fixed flags for \(candidateCount) candidates")
        }
        if let capacities {
            guard capacities.count == candidateCount else {
                throw PlanningError("\(capacities.count) capacities for \(candidateCount) candidates")
            }
            if let k = capacities.firstIndex(where: { $0.isNaN || $0 < 0 }) {
                throw PlanningError("candidate \(k + 1): the capacity \(capacities[k]) must be a number ≥ 0")
            }
        }
        if let p = question.siteCount, p < 0 { throw PlanningError("the number of sites must be ≥ 0, not \(p)") }
        if let r = question.radius, !(r.isFinite && r >= 0) {
            throw PlanningError("the radius must be a finite number ≥ 0, not \(r)")
        }
        self.question = question
        self.weights = weights
        self.candidateCount = candidateCount
        self.distances = distances
        self.fixed = fixed ?? [Bool](repeating: false, count: candidateCount)
        self.capacities = capacities
    }

    @inline(__always) public func distance(_ i: Int, _ j: Int) -> Double { distances[i * candidateCount + j] }

    /// Whether some candidate or fixed site is at a finite distance from demand point `i`.
    public func reachable(_ i: Int) -> Bool { (0..<candidateCount).contains { distance(i, $0).isFinite } }

    /// Candidates that may be opened (not fixed).
    public var free: [Int] { (0..<candidateCount).filter { !fixed[$0] } }

    /// Per-unit cost of weight a median cannot reach or place: twice the longest finite distance
    /// (at least 1), so any reachable assignment is preferred.
    public var unreachablePenalty: Double {
        2 * max(1, distances.lazy.filter(\.isFinite).max() ?? 1)
    }

    /// Whether a capacity limits any candidate.
    public var capacitated: Bool { capacities != nil }
}
