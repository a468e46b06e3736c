/// A candidate site supplied by the user, already placed in a planning unit.
public struct CandidateSite: Sendable {
    public var id: String
    public var unit: String
    public var location: GeoPoint
    public init(id: String, unit: String, location: GeoPoint) {
        self.id = id
        self.unit = unit
        self.location = location
    }
}

/// A new establishment the placement proposes.
public struct PlacedSite: Sendable {
    public var level: ServiceLevel
    public var area: String
    public var sector: String
    public var typology: String
    /// The candidate: a unit's seat (its interior point; a piece or parroquia id) or a user site.
    public var site: String
    public var unit: String
    public var location: GeoPoint
    /// Target-group people whose nearest establishment it becomes.
    public var served: Double
    public var investment: Double
    public var recurrent: Double
}

/// The target group of one area and typology that the existing establishments do not serve
/// (beyond their reach, or beyond their capacity), what the new sites take of it, and why any
/// is left.
public struct UnservedRecord: Sendable {
    public var area: String
    public var typology: String
    /// Target-group people of the area, those beyond reach of every existing establishment,
    /// and those within reach but beyond what the existing capacity serves.
    public var target: Double
    public var beyondReach: Double
    public var beyondCapacity: Double
    /// New establishments placed, the unserved people they take (within reach, up to their
    /// capacity), and what is left.
    public var placed: Int
    public var taken: Double
    public var left: Double {
        max(0, beyondReach + beyondCapacity - taken)
    }
    /// Why people are left: "" when none are.
    public var reason: String
}

/// The placement of one area's missing establishments of one typology.
public struct PlacementRecord: Sendable {
    public var area: String
    public var typology: String
    public var candidates: Int
    public var placed: Int
    /// Missing establishments beyond the number of distinct candidates (placed at the best site again).
    public var stacked: Int
    public var solution: FacilitySolution
    /// The greedy choice's value, to show what optimisation gained.
    public var greedyValue: Double
}

/// Where the missing establishments should go: for every (area, typology) with a deficit, the
/// candidates are the seats of the area's parroquias (or pieces) and the user's sites inside
/// it; existing public establishments of the typology in the area are fixed; demand is the
/// target group of each parroquia at its seat, or — where `demand` gives a parroquia's
/// population centres (``WeightedClusters``) — spread over those centres by their weights, the
/// centres being candidate sites too;
/// each new establishment stays inside the unit of its
/// level and serves at most its typology's capacity. Where the typology has a capacity and a
/// per-population norm, the existing establishments first serve up to their capacity (the
/// registry's, else the catalogue's) within
/// reach (``ExistingCapacity``), and only the people they leave — beyond reach or beyond
/// capacity — are the new sites' demand, so every new site takes people from the unserved;
/// ``UnservedRecord`` says per area what was unserved, what the new sites took, and why any is
/// left (rows without a missing establishment are listed when people are unserved). Coverage (MCLP) or p-median, capacitated
/// when the catalogue gives a capacity, solved by ``FacilityLocation``. Distances are travel
/// minutes from `travel` (straight lines or roads), computed once per area: O(members ×
/// candidates) travel times per area, whatever the number of typologies.
public enum Placement {
    /// The most population centres an area's demand and candidates hold (``place``).
    public static let maximumCentres = 2_000

    public static func place(
        _ analysis: DeficitAnalysis, territory: Territory, catalogue: StandardsCatalogue,
        establishments: [Establishment], sites: [CandidateSite] = [], objective: PlacementObjective,
        travel: some TravelTimes, solver: (any LinearSolver)?, seconds: Double = 10,
        demand centres: [String: [WeightedClusters.Centre]] = [:]
    ) throws -> (sites: [PlacedSite], records: [PlacementRecord], unserved: [UnservedRecord]) {
        let units = territory.units
        let standards = Dictionary(
            catalogue.standards.map { ($0.typology, $0) }, uniquingKeysWith: { first, _ in first })
        var byUnit: [String: [Establishment]] = [:]
        for e in establishments { byUnit[e.unit, default: []].append(e) }
        var userSites: [String: [CandidateSite]] = [:]
        for s in sites { userSites[s.unit, default: []].append(s) }
        var placed: [PlacedSite] = []
        var records: [PlacementRecord] = []
        // Members × candidates minutes per area: the same for every typology of the area.
        var areaMinutes: [String: [[Double]]] = [:]
        var unserved: [UnservedRecord] = []
        for row in analysis.rows {
            guard let standard = standards[row.typology] else { continue }
            // Capacity-aware where the typology has a capacity and a per-population norm: the
            // existing establishments serve up to it within reach, and only the people left
            // are the new sites' demand.
            let capacityAware: Bool
            if case .perPopulation = standard.norm {
                capacityAware = standard.capacity > 0
            } else {
                capacityAware = false
            }
            guard row.missing > 0 || capacityAware else { continue }
            let key = row.level == .zona ? "zona " + row.zona : row.code
            let members = (analysis.members[key] ?? []).sorted { $0.unit < $1.unit }
            guard !members.isEmpty else { continue }
            // Demand nodes: each member's population centres (its people split by their
            // weights), or its seat. An area with more than ``maximumCentres`` centres gets
            // each member's re-clustered to its share of that many, so the travel matrices stay
            // within O(maximumCentres²) whatever the area's size.
            let areaCentres = members.map { centres[units[$0.unit].id] ?? [] }
            let total = areaCentres.reduce(0) { $0 + $1.count }
            let memberCentres =
                total <= Self.maximumCentres
                ? areaCentres
                : areaCentres.map { list in
                    let allowed = max(1, Self.maximumCentres * list.count / total)
                    return list.count <= allowed
                        ? list : WeightedClusters.centres(list.map { ($0.location, $0.weight) }, count: allowed)
                }
            var demand: [GeoPoint] = []
            var weights: [Double] = []
            var centreSites: [(id: String, unit: String, location: GeoPoint)] = []
            for (k, m) in members.enumerated() {
                let people = Double(units[m.unit].population) * m.share * standard.groupShare
                let nodes = memberCentres[k]
                let total = nodes.reduce(0) { $0 + $1.weight }
                if total > 0 {
                    for (c, node) in nodes.enumerated() {
                        demand.append(node.location)
                        weights.append(people * node.weight / total)
                        let id = units[m.unit].id
                        centreSites.append(("\(id) population centre \(c + 1)", id, node.location))
                    }
                } else {
                    demand.append(units[m.unit].location)
                    weights.append(people)
                }
            }
            // The Executive's offer: private establishments are netted out of the demand already.
            var existingSites: [Establishment] = []
            var existingCapacity: [Double] = []  // of a parroquia shared by k areas, 1/k in each
            for m in members {
                for e in byUnit[units[m.unit].id] ?? [] where e.typology == row.typology && e.provider == .public {
                    existingSites.append(e)
                    existingCapacity.append(m.share * (e.capacity ?? standard.capacity))
                }
            }
            var existing = travel.nearestMinutes(from: demand, to: existingSites.map(\.location))
            var record: UnservedRecord?
            if capacityAware {
                let toExisting =
                    existingSites.isEmpty ? [] : travel.minutes(from: demand, to: existingSites.map(\.location))
                let servedByExisting = try ExistingCapacity.served(
                    weights: weights, minutes: toExisting, capacities: existingCapacity,
                    radius: standard.maxMinutes, solver: solver)
                var beyondReach = 0.0, beyondCapacity = 0.0
                for i in weights.indices {
                    let left = max(0, weights[i] - servedByExisting[i])
                    if existing[i] <= standard.maxMinutes { beyondCapacity += left } else { beyondReach += left }
                    weights[i] = left
                }
                existing = existing.map { _ in .infinity }  // their capacity is spent where it serves
                record = UnservedRecord(
                    area: row.code, typology: row.typology, target: row.targetPopulation, beyondReach: beyondReach,
                    beyondCapacity: beyondCapacity, placed: 0, taken: 0,
                    reason: row.missing > 0 ? "" : "the norm's count is met (no establishment missing)")
                if row.missing <= 0 {
                    if let record, record.left > 0.5 { unserved.append(record) }
                    continue
                }
            }
            var candidates: [(id: String, unit: String, location: GeoPoint)] = members.map {
                (units[$0.unit].id, units[$0.unit].id, units[$0.unit].location)
            }
            for m in members { candidates += (userSites[units[m.unit].id] ?? []).map { ($0.id, $0.unit, $0.location) } }
            candidates += centreSites
            let distance: [[Double]]
            if let cached = areaMinutes[key] {
                distance = cached
            } else {
                distance = travel.minutes(from: demand, to: candidates.map(\.location))
                areaMinutes[key] = distance
            }
            let need = Int(row.missing)
            let problem = FacilityProblem(
                weights: weights, distance: distance, existing: existing, p: min(need, candidates.count),
                radius: standard.maxMinutes, objective: objective,
                capacity: standard.capacity > 0 ? standard.capacity : nil)
            let solution = try FacilityLocation.solve(problem, solver: solver, seconds: seconds)
            let greedy = problem.value(FacilityLocation.greedy(problem))
            // People each open site serves: demand whose nearest establishment it becomes
            // (within reach, for coverage); with a capacity, reallocated below.
            var served = [Double](repeating: 0, count: candidates.count)
            for i in demand.indices {
                var best = existing[i], site = -1
                for j in solution.open where distance[i][j] < best {
                    best = distance[i][j]
                    site = j
                }
                if site >= 0 && (objective == .median || best <= problem.radius) { served[site] += weights[i] }
            }
            // More establishments than candidates: the extra ones go, one at a time, to the
            // open site whose people most exceed its capacity so far (without a capacity, to the
            // busiest), ties by candidate order.
            let stacked = need - solution.open.count
            var copies = [Int](repeating: 0, count: candidates.count)
            for j in solution.open { copies[j] = 1 }
            for _ in 0..<max(0, stacked) {
                let overflow = { (j: Int) -> Double in served[j] - (problem.capacity ?? 0) * Double(copies[j]) }
                guard let j = solution.open.max(by: { (overflow($0), -$0) < (overflow($1), -$1) }) else { break }
                copies[j] += 1
            }
            if let capacity = problem.capacity {
                // With capacities, the people each open site serves are allocated as the
                // solver's capacitated model does (most people within reach, then the least
                // person-minutes), not each to its nearest site.
                let open = solution.open
                let minutes = demand.indices.map { i in open.map { distance[i][$0] } }
                // The median assigns everyone it can reach at all.
                let farthest = minutes.joined().filter(\.isFinite).max() ?? 0
                let allocation = try ExistingCapacity.allocate(
                    weights: weights, minutes: minutes, capacities: open.map { capacity * Double(copies[$0]) },
                    radius: objective == .median ? farthest + 1 : problem.radius, solver: solver)
                for (k, j) in open.enumerated() { served[j] = allocation.perEstablishment[k] }
            }
            for j in solution.open {
                for _ in 0..<copies[j] {
                    placed.append(
                        PlacedSite(
                            level: row.level, area: row.code, sector: row.sector, typology: row.typology,
                            site: candidates[j].id, unit: candidates[j].unit, location: candidates[j].location,
                            served: served[j] / Double(copies[j]), investment: standard.investmentTotal,
                            recurrent: standard.recurrentTotal))
                }
            }
            records.append(
                PlacementRecord(
                    area: row.code, typology: row.typology, candidates: candidates.count, placed: need,
                    stacked: stacked, solution: solution, greedyValue: greedy))
            if var record {
                record.placed = need
                record.taken = solution.open.reduce(0) { $0 + served[$1] }
                if record.beyondReach + record.beyondCapacity <= 0.5 {
                    record.reason =
                        "the norm's count (rounded up) asks for \(need) more, but the existing capacity serves everyone within reach: the new site(s) serve nobody new"
                } else if record.left > 0.5 {
                    record.reason =
                        objective == .coverage
                        ? "beyond the reach or the capacity of the \(need) new establishment(s) the norm's count asks for"
                        : "beyond the capacity of the \(need) new establishment(s) the norm's count asks for"
                }
                unserved.append(record)
            }
        }
        return (placed, records, unserved)
    }
}
