import Foundation
import GIS
import Optimization
import Planning

/// A located point of a location problem: its name, WGS 84 position, position in the metric
/// used (lon/lat or planar metres) and weight (demand) or capacity (sites).
public struct LocationPoint: Sendable {
    public var name: String
    public var lonLat: Coordinate
    var metric: Coordinate
    public var weight: Double
}

/// A solved `locate-facilities` run: the points in canonical order and the engine's solution.
/// Candidate indices in the solution index `sites` (candidates first, then the fixed sites).
public struct LocationOutcome: Sendable {
    public var settings: LocationSettings
    public var question: LocationQuestion
    public var demand: [LocationPoint]
    public var sites: [LocationPoint]
    public var fixedCount: Int
    public var solution: LocationSolution
    public var notes: [String]

    public var totalWeight: Double { demand.reduce(0) { $0 + $1.weight } }
}

/// `locate-facilities`: reads demand, candidates and fixed sites, measures every demand–site
/// distance (geodesic, planar or travel minutes), solves with ``FacilityLocator`` and writes
/// sites.csv, sites.geojson, assignment.csv and summary.json.
///
/// Points are put in a canonical order (by name, then position) before anything is computed,
/// so the same points in any order give byte-identical files.
public enum LocationWorkflow {
    public static func run(_ settings: LocationSettings, log: WorkflowLog) throws -> LocationOutcome {
        let question = try settings.question()
        _ = try Checked.number(settings.mipSeconds, in: 0.01...86_400, "--mip-seconds")
        // Option combinations first: nothing is read for a run that cannot go on.
        if settings.candidates == nil, settings.capacity != nil {
            throw WorkflowError("--capacity needs --candidates: the demand file's points have no capacity field")
        }
        if settings.candidates == nil, settings.demandAsCandidates {
            throw WorkflowError("--demand-as-candidates adds the demand points to --candidates: give --candidates")
        }
        if settings.capacity == nil && settings.fixedCapacity != nil {
            throw WorkflowError("--fixed-capacity needs --capacity (the candidates' capacity field)")
        }
        let proj = try ProjContext()
        log.step("reading the points")
        var notes: [String] = []
        let demand = try points(
            settings.demand, weight: settings.demandWeight, id: settings.demandId, settings: settings, proj: proj)
        guard !demand.isEmpty else { throw WorkflowError("\(settings.demand) holds no demand points") }
        // Sites without a capacity field serve without limit.
        let demandSites = demand.map {
            LocationPoint(name: $0.name, lonLat: $0.lonLat, metric: $0.metric, weight: .infinity)
        }
        var candidates =
            try settings.candidates.map {
                try points(
                    $0, weight: settings.capacity, id: settings.candidateId, settings: settings, proj: proj,
                    withoutField: .infinity)
            } ?? demandSites
        if settings.demandAsCandidates {
            candidates += demandSites
            if settings.capacity != nil {
                notes.append("the demand points added as candidates have no capacity: each serves without limit")
            }
        }
        var fixed: [LocationPoint] = []
        if let path = settings.fixed {
            if settings.capacity != nil && settings.fixedCapacity == nil {
                notes.append("the fixed sites have no --fixed-capacity field: each serves without limit")
            }
            fixed = try points(
                path, weight: settings.fixedCapacity, id: settings.fixedId, settings: settings, proj: proj,
                withoutField: .infinity)
        }
        let sites = candidates + fixed
        log.step("measuring \(demand.count) × \(sites.count) \(settings.distance.rawValue) distances")
        let distances = try matrix(demand, sites, settings: settings, proj: proj, log: log)
        let problem = try LocationProblem(
            question: question, weights: demand.map(\.weight), candidateCount: sites.count, distances: distances,
            fixed: sites.indices.map { $0 >= candidates.count },
            capacities: settings.capacity == nil ? nil : sites.map(\.weight))
        log.step("solving the \(question.name)")
        let solver = settings.solver.solver
        let solution = try FacilityLocator.solve(problem, solver: solver, seconds: settings.mipSeconds)
        return LocationOutcome(
            settings: settings, question: question, demand: demand, sites: sites, fixedCount: fixed.count,
            solution: solution, notes: notes)
    }

    /// The points of a file with their weight (or capacity) field, in canonical order; without a
    /// field every point weighs `withoutField` (1 for demand, unlimited for sites).
    static func points(
        _ path: String, weight: String?, id: String?, settings: LocationSettings, proj: ProjContext,
        withoutField: Double = 1
    ) throws -> [LocationPoint] {
        let (read, crs) = try WeightedPointsFile.readWithCRS(path, weightColumn: weight, to: .wgs84, idColumn: id)
        let toPlanar = settings.distance == .planar ? try proj.transform(from: crs, to: settings.planarCRS) : nil
        var out: [LocationPoint] = []
        out.reserveCapacity(read.count)
        for (k, p) in read.enumerated() {
            let metric = try toPlanar.map { t in try atRecord(path, k + 1) { try t.apply(p.source) } } ?? p.target
            out.append(
                LocationPoint(
                    name: p.name, lonLat: p.target, metric: metric, weight: weight == nil ? withoutField : p.weight))
        }
        return out.sorted {
            ($0.name, $0.lonLat.x, $0.lonLat.y, $0.weight) < ($1.name, $1.lonLat.x, $1.lonLat.y, $1.weight)
        }
    }

    /// demand × sites, row-major: km (geodesic, planar) or minutes (travel); rows on all cores.
    static func matrix(
        _ demand: [LocationPoint], _ sites: [LocationPoint], settings: LocationSettings, proj: ProjContext,
        log: WorkflowLog
    ) throws -> [Double] {
        let (n, m) = (demand.count, sites.count)
        guard n.multipliedReportingOverflow(by: m).overflow == false, n * m <= LocationProblem.largestMatrix else {
            throw WorkflowError(
                "\(n) demand points × \(m) sites exceed the \(LocationProblem.largestMatrix) distances one problem may hold: aggregate the demand points first"
            )
        }
        let targets = sites.map(\.metric)
        let rows: [[Double]]
        switch settings.distance {
        case .planar:
            rows = parallelMap(demand.map(\.metric), grain: 64) { a in
                targets.map { b in ((a.x - b.x) * (a.x - b.x) + (a.y - b.y) * (a.y - b.y)).squareRoot() / 1000 }
            }
        case .geodesic:
            let geodesic = Geodesic()
            rows = parallelMap(demand.map(\.lonLat), grain: 64) { a in
                targets.map { geodesic.distance(a, $0) / 1000 }
            }
        case .travel:
            let (model, _) = try settings.travel.model(readOptions: LayerReadOptions(), proj: proj, log: log)
            let travel = ModelTravelTimes(model)
            rows = travel.minutes(
                from: demand.map { GeoPoint(lon: $0.lonLat.x, lat: $0.lonLat.y) },
                to: sites.map { GeoPoint(lon: $0.lonLat.x, lat: $0.lonLat.y) })
        }
        var flat: [Double] = []
        flat.reserveCapacity(n * m)
        for row in rows { flat += row }
        return flat
    }
}
