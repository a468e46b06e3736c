import GIS
import Planning

/// What `locate-facilities` is asked: the question, its parameters, how distance is measured
/// and where the points come from. Every number is range-checked by ``validated()``.
public struct LocationSettings: Sendable {
    /// The classic questions, as `--problem` names them.
    public enum Problem: String, Sendable, CaseIterable {
        case mclp
        case pMedian = "p-median"
        case lscp
        case pCenter = "p-center"
    }

    /// How the distance between a demand point and a site is measured.
    public enum Distance: String, Sendable, CaseIterable {
        /// On the WGS 84 ellipsoid (`geod_inverse`), in km.
        case geodesic
        /// Straight lines in a projected CRS (`--crs`, default UTM 17S), in km: the distances
        /// GeoPandas or spopt compute on projected layers.
        case planar
        /// Travel minutes through the shared travel service (straight lines at a speed, or roads).
        case travel
    }

    /// The MIP solver: CBC decides hard coverings (p-center) that GLPK cannot within minutes;
    /// GLPK is the lighter choice for the others.
    public typealias Solver = MIPSolver

    public var problem: Problem
    public var solver = Solver.cbc
    /// New sites to open (MCLP, p-median, p-center).
    public var sites: Int?
    /// Coverage radius (MCLP, LSCP): km, or minutes with `--distance travel`.
    public var radius: Double?
    public var distance: Distance = .geodesic
    public var planarCRS = CRS.utm17S
    public var travel = TravelSettings.straight(speedKmh: 30, detour: 1)

    /// Weighted demand: a CSV of lon/lat points or any layer (polygons count by their point on
    /// surface, computed in the layer's own CRS).
    public var demand: String
    public var demandWeight: String?
    public var demandId: String?
    /// Candidate sites (default: the demand points themselves).
    public var candidates: String?
    public var candidateId: String?
    /// With `candidates`: the demand points are candidates too.
    public var demandAsCandidates = false
    /// Field of the candidates holding the weight each can serve.
    public var capacity: String?
    /// Existing establishments, open whatever the solution and not counted among the new sites.
    public var fixed: String?
    public var fixedId: String?
    /// Field of the fixed sites holding their capacity (default: unlimited).
    public var fixedCapacity: String?
    /// Time limit of each MIP solve, seconds.
    public var mipSeconds = 60.0

    public init(problem: Problem, demand: String) {
        self.problem = problem
        self.demand = demand
    }

    /// The question with its parameters checked: sites 0–1,000,000, radius finite and > 0.
    func question() throws -> LocationQuestion {
        func needSites() throws -> Int {
            guard let sites else { throw WorkflowError("--problem \(problem.rawValue) needs --sites N") }
            return try Checked.integer(sites, in: 0...1_000_000, "--sites")
        }
        func needRadius() throws -> Double {
            guard let radius else { throw WorkflowError("--problem \(problem.rawValue) needs --radius") }
            return try Checked.number(radius, in: 1e-9...1e9, "--radius")
        }
        if radius != nil && (problem == .pMedian || problem == .pCenter) {
            throw WorkflowError("--problem \(problem.rawValue) takes no --radius (it is for mclp and lscp)")
        }
        switch problem {
        case .mclp: return .maximalCovering(sites: try needSites(), radius: try needRadius())
        case .pMedian: return .median(sites: try needSites())
        case .lscp:
            if sites != nil {
                throw WorkflowError("--problem lscp finds the number of sites itself: leave out --sites")
            }
            return .setCovering(radius: try needRadius())
        case .pCenter: return .center(sites: try needSites())
        }
    }

    /// The unit distances and radii are given in.
    public var unit: String { distance == .travel ? "minutes" : "km" }
}
