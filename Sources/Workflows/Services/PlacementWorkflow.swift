import GIS
import Optimization
import Planning

/// How `place` and `schedule` choose sites.
public struct PlacementSettings: Sendable {
    public var objective: PlacementObjective = .coverage
    /// Extra candidate sites (CSV of points lon/lat, optional id column 'id').
    public var sites: String?
    /// Population points: each unit's population centres (weighted k-means, one per
    /// `peoplePerCentre` people, at most 64) become candidates and the unit's demand.
    public var populationPoints: String?
    public var populationWeight: String?
    public var peoplePerCentre = 5_000.0
    /// Time limit of the MIP solver per problem, seconds.
    public var mipSeconds = 10.0
    /// Enumeration or vertex substitution only.
    public var useMIP = true
    /// The placement MIPs' solver (GLPK by default: its answers are the reference the tests
    /// re-solve; CBC by option).
    public var solverChoice = MIPSolver.glpk
    /// Also write `sites.gpkg` (layer `sites`).
    public var geoPackage = false

    public init() {}

    func validated() throws -> PlacementSettings {
        _ = try Checked.number(mipSeconds, in: 0.01...86_400, "--mip-seconds")
        _ = try Checked.number(peoplePerCentre, in: 1...10_000_000, "--people-per-centre")
        return self
    }

    var solver: (any LinearSolver)? { useMIP ? solverChoice.solver : nil }
}

/// The sites placed and how each problem was solved.
public struct PlacementOutcome: Sendable {
    public var sites: [PlacedSite]
    public var records: [PlacementRecord]
    /// Per area and typology: the people the existing offer leaves unserved, what the new
    /// sites take, and why any is left.
    public var unserved: [UnservedRecord] = []
}

/// Where the missing establishments should go: candidates from the units' seats, population
/// centres and user sites; solved per unit and typology by ``Placement``.
public enum PlacementWorkflow {
    /// Points of a file located in the units: (name, unit id, lon/lat, weight). Points outside
    /// every unit are returned as a note.
    static func locatePoints(
        _ path: String, weightColumn: String?, units: Layer, unitField: Int, locator: PolygonLocator,
        log: WorkflowLog
    ) throws -> [(String, String, Coordinate, Double)] {
        var out: [(String, String, Coordinate, Double)] = []
        var outside: [String] = []
        for p in try WeightedPointsFile.read(path, weightColumn: weightColumn, to: units.crs ?? .wgs84) {
            guard let i = try locator.locate(p.target) else {
                outside.append(p.name)
                continue
            }
            out.append((p.name, units.features[i].attributes[unitField].description, p.source, p.weight))
        }
        if !outside.isEmpty {
            if out.isEmpty {
                throw GISError(
                    .input, operation: "locate points", file: path,
                    message:
                        "all \(outside.count) points fall outside every unit: are longitude and latitude swapped, or is the CRS wrong?"
                )
            }
            log.note(
                "note: \(outside.count) point(s) of \(path) outside every unit, ignored: \(outside.prefix(10).joined(separator: ", "))"
            )
        }
        return out
    }

    public static func place(_ loaded: LoadedServices, settings: PlacementSettings, log: WorkflowLog) throws
        -> PlacementOutcome
    {
        let settings = try settings.validated()
        try ServiceLoader.checkImpliedCount(loaded.deficit)
        let units = loaded.territory.layer
        let unitField = try units.requireField(loaded.territory.options.unitId)
        let locator = try PolygonLocator(try LayerGeometries(units, context: GeometryContext()))
        var candidates: [CandidateSite] = []
        if let sites = settings.sites {
            for (name, unit, c, _) in try locatePoints(
                sites, weightColumn: nil, units: units, unitField: unitField, locator: locator, log: log)
            {
                candidates.append(CandidateSite(id: name, unit: unit, location: GeoPoint(lon: c.x, lat: c.y)))
            }
        }
        var centres: [String: [WeightedClusters.Centre]] = [:]
        if let populationPoints = settings.populationPoints {
            // Per unit, its population centres: candidates spread where its people live, and
            // its demand in placement (instead of one seat per parroquia).
            var byUnit: [String: [(GeoPoint, Double)]] = [:]
            for (_, unit, c, w) in try locatePoints(
                populationPoints, weightColumn: settings.populationWeight, units: units, unitField: unitField,
                locator: locator, log: log)
            {
                byUnit[unit, default: []].append((GeoPoint(lon: c.x, lat: c.y), w))
            }
            let population = Dictionary(
                loaded.territory.territory.units.map { ($0.id, Double($0.population)) }, uniquingKeysWith: { a, _ in a }
            )
            for (unit, points) in byUnit.sorted(by: { $0.key < $1.key }) {
                let people = population[unit] ?? points.reduce(0) { $0 + $1.1 }
                let count = min(64, max(1, Int((people / settings.peoplePerCentre).rounded(.up))))
                // Placement makes them candidate sites too.
                centres[unit] = WeightedClusters.centres(points, count: count)
            }
        }
        log.step("placing the missing establishments")
        let result = try Placement.place(
            loaded.deficit, territory: loaded.territory.territory, catalogue: loaded.catalogue,
            establishments: loaded.establishments, sites: candidates, objective: settings.objective,
            travel: loaded.travel, solver: settings.solver,
            seconds: settings.mipSeconds, demand: centres)
        return PlacementOutcome(sites: result.sites, records: result.records, unserved: result.unserved)
    }

    /// sites.geojson (and sites.gpkg when asked) and placement.csv.
    public static func write(_ placed: PlacementOutcome, into out: OutputSet, geoPackage: Bool = false) throws {
        let fields = [
            Field("typology", .text), Field("sector", .text), Field("level", .text), Field("unit_code", .text),
            Field("site", .text), Field("parroquia", .text), Field("served", .decimal), Field("investment", .decimal),
            Field("recurrent", .decimal),
        ]
        let features = placed.sites.map { s in
            Feature(
                geometry: .point(Coordinate(s.location.lon, s.location.lat)),
                attributes: [
                    .text(s.typology), .text(s.sector), .text(s.level.rawValue), .text(s.area), .text(s.site),
                    .text(s.unit), .decimal((s.served * 10).rounded() / 10), .decimal(s.investment),
                    .decimal(s.recurrent),
                ])
        }
        let layer = Layer(source: "placement", kind: .point, crs: .wgs84, fields: fields, features: features)
        try GeoJSONWriter().write(layer, to: out.path("sites.geojson"))
        if geoPackage {
            try GeoPackageWriter.write([("sites", layer)], to: out.path("sites.gpkg"), context: ProjContext())
        }
        var lines = ["unit_code,typology,candidates,placed,stacked,method,value,greedy_value,bound,gap"]
        for r in placed.records {
            lines.append(
                [
                    r.area, CSVText.field(r.typology), String(r.candidates), String(r.placed), String(r.stacked),
                    CSVText.field(r.solution.method), fmt(r.solution.value, 1), fmt(r.greedyValue, 1),
                    fmt(r.solution.bound, 1), fmt(r.solution.gap, 6),
                ].joined(separator: ","))
        }
        try out.write(lines.joined(separator: "\n") + "\n", to: "placement.csv")
        var unserved = [
            "unit_code,typology,target_people,beyond_reach,beyond_capacity,new_sites,taken_by_new_sites,left_unserved,reason"
        ]
        for r in placed.unserved {
            unserved.append(
                [
                    r.area, CSVText.field(r.typology), fmt(r.target), fmt(r.beyondReach), fmt(r.beyondCapacity),
                    String(r.placed), fmt(r.taken), fmt(r.left), CSVText.field(r.reason),
                ].joined(separator: ","))
        }
        try out.write(unserved.joined(separator: "\n") + "\n", to: "unserved.csv")
    }

    /// A sentence on how the placement was solved.
    public static func report(_ placed: PlacementOutcome, objective: PlacementObjective) -> String {
        let r = placed.records
        let exact = r.filter { $0.solution.gap < 1e-9 }.count
        let methods = Dictionary(grouping: r, by: { $0.solution.method }).mapValues(\.count)
        let worst = r.map(\.solution.gap).max() ?? 0
        let beatGreedy = r.filter {
            objective == .coverage
                ? $0.solution.value > $0.greedyValue + 1e-6 : $0.solution.value < $0.greedyValue - 1e-6
        }.count
        let served = placed.sites.reduce(0) { $0 + $1.served }
        let u = placed.unserved
        let unservedText =
            u.isEmpty
            ? ""
            : "; unserved by the existing offer (capacity-aware): \(fmt(u.reduce(0) { $0 + $1.beyondReach })) beyond reach and \(fmt(u.reduce(0) { $0 + $1.beyondCapacity })) beyond capacity, of whom the new sites take \(fmt(u.reduce(0) { $0 + $1.taken })) and \(fmt(u.reduce(0) { $0 + $1.left })) are left (unserved.csv says where and why; \(fmt(u.filter { $0.placed == 0 }.reduce(0) { $0 + $1.left })) of them where the norm's count is met)"
        return
            "\(placed.sites.count) sites placed in \(r.count) problems (\(objective.rawValue)); \(exact) solved with a zero gap, largest gap \(fmt(worst * 100, 2)) %; methods: \(methods.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")); optimisation beat the greedy choice in \(beatGreedy); target-group people served by the new sites (summed over typologies): \(fmt(served))\(unservedText)"
    }

    /// `place`: deficit tables, sites, placement table and summary.
    public static func run(
        _ loaded: LoadedServices, settings: PlacementSettings, into out: OutputSet, log: WorkflowLog
    ) throws -> (PlacementOutcome, String) {
        let placed = try place(loaded, settings: settings, log: log)
        try ServiceTables.writeDeficit(loaded, into: out)
        try write(placed, into: out, geoPackage: settings.geoPackage)
        let line = report(placed, objective: settings.objective)
        try out.write(
            ServiceTables.summary(loaded, title: "Deficit and placement") + "\n## Placement\n\n" + line + ".\n",
            to: "summary.md")
        return (placed, line)
    }
}
