import Foundation

/// A coverage threshold: a travel time or a distance.
public enum Threshold: Sendable, Hashable, CustomStringConvertible {
    case minutes(Double)
    case metres(Double)

    /// Parses `15min`, `1h`, `5km`, `800m`.
    public static func parse(_ text: String) throws -> Threshold {
        let t = text.trimmingCharacters(in: .whitespaces).lowercased()
        func number(_ suffix: String) -> Double? {
            Double(t.dropLast(suffix.count)).flatMap { $0 > 0 && $0.isFinite ? $0 : nil }
        }
        if t.hasSuffix("min"), let v = number("min") { return .minutes(v) }
        if t.hasSuffix("h"), let v = number("h") { return .minutes(v * 60) }
        if t.hasSuffix("km"), let v = number("km") { return .metres(v * 1_000) }
        if t.hasSuffix("m"), let v = number("m") { return .metres(v) }
        throw GISError(
            .usage, operation: "read threshold",
            message: "'\(text)' is not a positive time or distance (15min, 1h, 5km, 800m)")
    }

    public var description: String {
        switch self {
        case .minutes(let m): "\(JSONText.number(m))min"
        case .metres(let d):
            d.truncatingRemainder(dividingBy: 1_000) == 0 ? "\(JSONText.number(d / 1_000))km" : "\(JSONText.number(d))m"
        }
    }

    /// Whether a result is within the threshold.
    public func covers(_ r: NearestResult) -> Bool {
        switch self {
        case .minutes(let m): r.minutes <= m
        case .metres(let d): r.metres <= d
        }
    }

    /// The threshold as minutes under a model (distances convert only on straight lines).
    public func minutes(_ model: TravelModel) throws -> Double {
        switch (self, model) {
        case (.minutes(let m), _): return m
        case (.metres(let d), .straight(let s)): return s.minutes(metres: d)
        case (.metres, .roads):
            throw GISError(
                .usage, operation: "threshold",
                message: "a distance catchment (\(self)) needs --travel straight; on roads give minutes")
        }
    }
}

/// What to compute.
public struct AccessOptions: Sendable {
    /// Service types to analyse (nil: every type in the supply).
    public var types: [String]?
    public var thresholds: [Threshold]
    /// Floating-catchment size (default: the largest threshold).
    public var catchment: Threshold?
    public var decays: [DistanceDecay]
    /// Run the capacity-aware allocation for types whose establishments have capacities.
    public var capacity: Bool
    /// Unit field whose values group units for equity (e.g. a distrito code); nil: national only.
    public var groupField: String?
    /// Told `(task, done, total)` as each service type is analysed (a progress bar).
    public var progress: (@Sendable (_ task: String, _ done: Int, _ total: Int) -> Void)?

    public init(
        types: [String]? = nil, thresholds: [Threshold], catchment: Threshold? = nil,
        decays: [DistanceDecay] = [.step, .zones, .gaussian], capacity: Bool = true, groupField: String? = nil
    ) {
        self.types = types
        self.thresholds = thresholds
        self.catchment = catchment
        self.decays = decays
        self.capacity = capacity
        self.groupField = groupField
    }
}

/// Per unit and service type.
public struct UnitTypeMeasures: Sendable {
    public var population: Double
    /// Population-weighted travel time to the nearest establishment, minutes.
    public var meanMinutes: Double?
    public var medianMinutes: Double?
    public var p90Minutes: Double?
    public var meanMetres: Double?
    /// Share and number of people within each threshold (parallel to the options' thresholds).
    public var coveredShare: [Double]
    public var coveredPopulation: [Double]
    /// People with no establishment reachable at all (beyond the cutoff or disconnected).
    public var unreachable: Double
    /// Floating-catchment accessibility per decay (establishments or places per 1,000 people).
    public var catchment: [Double]
    /// People per unit of supply at the establishments in reach (2SFCA step crowding).
    public var crowding: Double?
    /// Capacity-aware allocation: people served and not served within the cutoff.
    public var served: Double?
    public var unserved: Double?
}

/// Per establishment.
public struct EstablishmentMeasures: Sendable {
    public var index: Int
    /// People for whom it is the nearest of its type (nearest-facility allocation).
    public var catchmentPopulation: Double
    /// Step 2SFCA supply-to-demand ratio × 1,000.
    public var ratioPer1000: Double
    /// People within its catchment (weighted by the step decay).
    public var demandReached: Double
    public var allocated: Double?
    public var utilisation: Double?
}

/// Inequality of the per-unit mean travel time.
public struct EquityRow: Sendable {
    public var type: String
    /// nil = national.
    public var group: String?
    public var units: Int
    public var gini: Double?
    public var palma: Double?
}

/// The results of an accessibility analysis.
public struct AccessResult: Sendable {
    public var model: String
    public var modelDescription: String
    public var types: [String]
    public var thresholds: [Threshold]
    public var catchment: Threshold
    public var decays: [DistanceDecay]
    public var unitIDs: [String]
    /// [unit][type]
    public var units: [[UnitTypeMeasures]]
    public var establishments: [EstablishmentMeasures]
    public var equity: [EquityRow]
    /// Per demand point and type: the nearest establishment.
    public var nearest: [[NearestResult]]
    public var population: PopulationReport
    public var supply: SupplyReport
    /// Messages a planner should read (types without establishments, unconnected sites...).
    public var warnings: [String]
}

/// Demand points and establishments in the projected CRS of a planar ``StraightLine``.
public struct PlanarPoints: Sendable {
    /// The travel whose distances these are.
    public var line: StraightLine
    public var demand: [Coordinate]
    /// Indexed like ``Supply/establishments``.
    public var sites: [Coordinate]

    public init(demand: Demand, supply: Supply, line: StraightLine) throws {
        let crs = line.planarCRS ?? .utm17S
        let proj = try ProjContext()
        try Self.requireProjected(crs, context: proj)
        var d = demand.points.map(\.location)
        try CoordinateTransform.applyInParallel(&d, from: .wgs84, to: crs, context: proj)
        var s = supply.establishments.map(\.location)
        try CoordinateTransform.applyInParallel(&s, from: .wgs84, to: crs, context: proj)
        self.line = line
        self.demand = d
        sites = s
    }

    /// Planar distances need a projected, metric CRS: a geographic one (degrees) is a usage
    /// error.
    public static func requireProjected(_ crs: CRS, context: ProjContext) throws {
        guard try !context.describe(crs, identifying: false).isGeographic else {
            throw GISError(
                .usage, operation: "planar distances",
                message:
                    "\(crs) is geographic (degrees): give a projected, metric CRS such as EPSG:32717 (--planar-crs)")
        }
    }
}

public enum AccessAnalysis {
    /// The nearest of `candidates` for every demand point in planar metres (ties to the lower
    /// establishment), on all cores.
    static func planarNearest(_ planar: PlanarPoints, candidates: [Int]) -> [NearestResult] {
        let line = planar.line
        let index = PlaneIndex(candidates.map { planar.sites[$0] })
        return parallelMap(planar.demand, grain: 4_096) { q in
            guard let hit = index.nearest(q) else {
                return NearestResult(establishment: nil, metres: .infinity, minutes: .infinity)
            }
            return NearestResult(
                establishment: candidates[hit.index], metres: hit.metres * line.detour,
                minutes: line.minutes(metres: hit.metres))
        }
    }

    /// The sparse matrix within `cutoffMinutes` under `model`, in planar metres when `planar`
    /// is given (for the capacity allocation and `--write-matrix`).
    public static func matrix(
        demand: Demand, supply: Supply, candidates: [Int], model: TravelModel, cutoffMinutes: Double,
        planar: PlanarPoints?
    ) throws -> TravelMatrix {
        guard let planar else {
            return model.matrix(demand.points, supply: supply, candidates: candidates, cutoffMinutes: cutoffMinutes)
        }
        let line = planar.line
        let index = PlaneIndex(candidates.map { planar.sites[$0] })
        let radius = line.metres(minutes: cutoffMinutes)
        let rows = parallelMap(planar.demand) { q in
            index.within(q, metres: radius).map { (candidates[$0.index], line.minutes(metres: $0.metres)) }
        }
        return TravelMatrix(rows: rows, cutoffMinutes: cutoffMinutes)
    }

    public static func run(demand: Demand, supply: Supply, units: Layer, model: TravelModel, options: AccessOptions)
        throws -> AccessResult
    {
        guard !options.thresholds.isEmpty else {
            throw GISError(
                .usage, operation: "access", message: "give at least one threshold (--within 15min,30min or 5km)")
        }
        let available = supply.types
        let types = options.types ?? available
        for t in types where !available.contains(t) {
            throw GISError(
                .usage, operation: "access",
                message: "no establishment of type '\(t)'; types present: \(available.joined(separator: ", "))")
        }
        guard !types.isEmpty else {
            throw GISError(.input, operation: "access", message: "no establishments to analyse")
        }
        guard demand.report.counted > 0 else {
            throw GISError(
                .input, operation: "access",
                message:
                    "no population inside the units (\(demand.report.input) people read, \(demand.report.outsidePopulation) outside every unit)"
            )
        }
        var catchment = options.catchment ?? options.thresholds[0]
        if options.catchment == nil {
            for t in options.thresholds where try t.minutes(model) > catchment.minutes(model) { catchment = t }
        }
        let catchmentMinutes = try catchment.minutes(model)
        let decays = try options.decays.map { try $0.resolved(model) }
        // Planar distances: every point in the projected CRS once.
        var planar: PlanarPoints? = nil
        if case .straight(let line) = model, line.planarCRS != nil {
            planar = try PlanarPoints(demand: demand, supply: supply, line: line)
        }
        guard units.features.count == demand.unitIDs.count, !units.features.isEmpty else {
            throw GISError(
                .usage, operation: "access", message: "the demand was built on another unit layer (or an empty one)")
        }
        var groups: [(String, [Int])] = []
        if let groupField = options.groupField {
            let g = try units.requireField(groupField)
            var byGroup: [String: [Int]] = [:]
            for (u, f) in units.features.enumerated() { byGroup[f.attributes[g].description, default: []].append(u) }
            groups = byGroup.sorted { $0.key < $1.key }
        }
        var warnings: [String] = []
        let weights = demand.points.map(\.population)
        let unitCount = demand.unitIDs.count
        var measures = [[UnitTypeMeasures]](repeating: [], count: unitCount)
        var establishments = supply.establishments.indices.map {
            EstablishmentMeasures(
                index: $0, catchmentPopulation: 0, ratioPer1000: 0, demandReached: 0, allocated: nil, utilisation: nil)
        }
        var nearestAll: [[NearestResult]] = []
        var equity: [EquityRow] = []
        let members = UnitMembers(demand.points, unitCount: unitCount)
        for (done, type) in types.enumerated() {
            options.progress?("service types (\(type))", done, types.count)
            defer { options.progress?("service types", done + 1, types.count) }
            let candidates = supply.of(type: type)
            if case .roads(let network) = model {
                let lost = network.unconnected(supply, candidates: candidates)
                if lost.count == candidates.count {
                    throw GISError(
                        .input, operation: "access on roads",
                        message:
                            "no \(type) establishment lies within \(Int(network.maxWalkMetres)) m of the road network: the roads layer is disconnected from all of them"
                    )
                }
                if !lost.isEmpty {
                    warnings.append(
                        "\(lost.count) \(type) establishments are more than \(Int(network.maxWalkMetres)) m from any road (reached on foot only): \(lost.prefix(10).map { supply.establishments[$0].id }.joined(separator: ", "))"
                    )
                }
            }
            // Nearest without a cutoff: one multi-source search reaches every connected point.
            let nearest =
                planar.map { Self.planarNearest($0, candidates: candidates) }
                ?? model.nearest(demand.points, supply: supply, candidates: candidates)
            nearestAll.append(nearest)
            // The sparse matrix (one Dijkstra per establishment on roads) only when a
            // floating catchment or the capacity allocation will use it; the step 2SFCA (ratios,
            // crowding) comes with it, reused when it is among the decays.
            let hasCapacity = candidates.contains { supply.establishments[$0].capacity != nil }
            // Straight lines without a capacity allocation stream the catchments (no pair is
            // held); roads and the allocation use the sparse matrix.
            let needsMatrix = options.capacity && hasCapacity
            var streamed: (fca: [FloatingCatchment], step: FloatingCatchment)? = nil
            if case .straight(let line) = model, !needsMatrix, !decays.isEmpty {
                let withStep = decays.contains(.step) ? decays : decays + [.step]
                let metric =
                    planar.map { p in
                        StreamingCatchment.Metric.planar(demand: p.demand, sites: candidates.map { p.sites[$0] })
                    }
                    ?? .geodesic
                let all = StreamingCatchment.compute(
                    demand: demand.points, supply: supply, candidates: candidates, line: line,
                    cutoffMinutes: catchmentMinutes, decays: withStep, metric: metric)
                streamed = (Array(all.prefix(decays.count)), all[withStep.firstIndex(of: .step) ?? 0])
            }
            let matrix =
                streamed != nil || (decays.isEmpty && !needsMatrix)
                ? nil
                : try matrix(
                    demand: demand, supply: supply, candidates: candidates, model: model,
                    cutoffMinutes: catchmentMinutes, planar: planar)
            let fca =
                streamed?.fca
                ?? matrix.map { m in
                    decays.map {
                        FloatingCatchment.compute(demand: demand.points, supply: supply, matrix: m, decay: $0)
                    }
                } ?? []
            let step =
                streamed?.step
                ?? matrix.map { m in
                    decays.firstIndex(of: .step).map { fca[$0] }
                        ?? FloatingCatchment.compute(demand: demand.points, supply: supply, matrix: m, decay: .step)
                }
            var allocation: CapacityAllocation? = nil
            let missing = candidates.filter { supply.establishments[$0].capacity == nil }.count
            if options.capacity && hasCapacity && missing > 0 {
                warnings.append(
                    "capacity-aware allocation skipped for \(type): \(missing) of \(candidates.count) establishments have no capacity"
                )
            } else if options.capacity && hasCapacity, let matrix {
                allocation = CapacityAllocation.solve(
                    demand: demand.points, supply: supply, candidates: candidates, matrix: matrix)
            }
            for (i, r) in nearest.enumerated() {
                if let j = r.establishment { establishments[j].catchmentPopulation += demand.points[i].population }
            }
            for j in candidates {
                establishments[j].ratioPer1000 = step?.ratioPer1000[j] ?? 0
                establishments[j].demandReached = step?.demandReached[j] ?? 0
                if let allocation {
                    establishments[j].allocated = allocation.allocated[j]
                    if let c = supply.establishments[j].capacity, c > 0 {
                        establishments[j].utilisation = allocation.allocated[j] / c
                    }
                }
            }
            // Per unit.
            // Units are independent: measured on all cores, each unit's sums in point order;
            // small tasks, since a city parish holds a hundred times the points of most.
            let thresholds = options.thresholds
            let frozenAllocation = allocation
            let perUnit = parallelMap(Array(0..<unitCount), grain: 4, tasksPerCore: 64) { u -> UnitTypeMeasures in
                let idx = members.points[members.start[u]..<members.start[u + 1]]
                let w = idx.map { weights[$0] }
                let pop = w.reduce(0, +)
                let reach = idx.filter { nearest[$0].minutes.isFinite }
                let times = reach.map { nearest[$0].minutes }
                // Weighted by population; a unit without people still gets the plain average
                // of its points, so every unit has a finite figure.
                var rw = reach.map { weights[$0] }
                let rpop = rw.reduce(0, +)
                if rpop == 0 { rw = rw.map { _ in 1 } }
                let rw0 = rw.reduce(0, +)
                let covered = thresholds.map { th in
                    idx.filter { th.covers(nearest[$0]) }.reduce(0.0) { $0 + weights[$1] }
                }
                let crowdingPairs = idx.compactMap { i -> (Double, Double)? in
                    guard let step, let j = nearest[i].establishment, step.ratioPer1000[j] > 0 else { return nil }
                    return (1_000 / step.ratioPer1000[j], weights[i])
                }
                let cw = crowdingPairs.reduce(0) { $0 + $1.1 }
                let quantiles = Equity.quantiles(times, weights: rw, [0.5, 0.9])
                return UnitTypeMeasures(
                    population: pop,
                    meanMinutes: rw0 > 0 ? zip(times, rw).reduce(0) { $0 + $1.0 * $1.1 } / rw0 : nil,
                    medianMinutes: quantiles[0],
                    p90Minutes: quantiles[1],
                    meanMetres: rw0 > 0 ? zip(reach, rw).reduce(0) { $0 + nearest[$1.0].metres * $1.1 } / rw0 : nil,
                    coveredShare: covered.map { pop > 0 ? $0 / pop : 0 }, coveredPopulation: covered,
                    unreachable: pop - (rpop > 0 ? rpop : 0),
                    catchment: fca.map { f in
                        pop > 0 ? idx.reduce(0) { $0 + f.accessibility[$1] * weights[$1] } / pop : 0
                    },
                    crowding: cw > 0 ? crowdingPairs.reduce(0) { $0 + $1.0 * $1.1 } / cw : nil,
                    served: frozenAllocation.map { a in idx.reduce(0) { $0 + a.served[$1] } },
                    unserved: frozenAllocation.map { a in pop - idx.reduce(0) { $0 + a.served[$1] } })
            }
            for u in 0..<unitCount { measures[u].append(perUnit[u]) }
            // Equity of the mean time across units, nationally and per group.
            let t = measures[0].count - 1
            let means = measures.map { $0[t].meanMinutes ?? .nan }
            let pops = measures.map { $0[t].population }
            equity.append(
                EquityRow(
                    type: type, group: nil, units: unitCount, gini: Equity.gini(means, weights: pops),
                    palma: Equity.palma(means, weights: pops)))
            for (group, members) in groups {
                let m = members.map { means[$0] }, w = members.map { pops[$0] }
                equity.append(
                    EquityRow(
                        type: type, group: group, units: members.count, gini: Equity.gini(m, weights: w),
                        palma: Equity.palma(m, weights: w)))
            }
        }
        return AccessResult(
            model: model.name, modelDescription: model.description, types: types, thresholds: options.thresholds,
            catchment: catchment,
            decays: options.decays, unitIDs: demand.unitIDs, units: measures, establishments: establishments,
            equity: equity,
            nearest: nearestAll, population: demand.report, supply: supply.report, warnings: warnings)
    }
}

/// The demand points of every unit, in point order, as one array cut by unit (a counting
/// sort: two passes, no array per unit). O(points + units).
struct UnitMembers: Sendable {
    /// Point indices grouped by unit; unit u's are `points[start[u]..<start[u + 1]]`.
    let points: [Int]
    let start: [Int]

    init(_ demand: [DemandPoint], unitCount: Int) {
        var start = [Int](repeating: 0, count: unitCount + 1)
        for p in demand { if let u = p.unit { start[u + 1] += 1 } }
        for u in 0..<unitCount { start[u + 1] += start[u] }
        var next = start
        var points = [Int](repeating: 0, count: start[unitCount])
        for (i, p) in demand.enumerated() {
            if let u = p.unit {
                points[next[u]] = i
                next[u] += 1
            }
        }
        self.points = points
        self.start = start
    }
}
