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
/// population centres (``WeightedClusters``) — spread over those centres by their weights;
/// each new establishment stays inside the unit of its
/// level and serves at most its typology's capacity. Coverage (MCLP) or p-median, capacitated
/// when the catalogue gives a capacity, solved by ``FacilityLocation``. Distances are travel
/// minutes from `travel` (straight lines or roads), computed once per area: O(members ×
/// candidates) travel times per area, whatever the number of typologies.
public enum Placement {
    public static func place(
        _ analysis: DeficitAnalysis, territory: Territory, catalogue: StandardsCatalogue,
        establishments: [Establishment], sites: [CandidateSite] = [], objective: PlacementObjective,
        travel: some TravelTimes, solver: (any LinearSolver)?, seconds: Double = 10,
        demand centres: [String: [WeightedClusters.Centre]] = [:]
    ) throws -> (sites: [PlacedSite], records: [PlacementRecord]) {
        let units = territory.units
        let standards = Dictionary(uniqueKeysWithValues: catalogue.standards.map { ($0.typology, $0) })
        var byUnit: [String: [Establishment]] = [:]
        for e in establishments { byUnit[e.unit, default: []].append(e) }
        var userSites: [String: [CandidateSite]] = [:]
        for s in sites { userSites[s.unit, default: []].append(s) }
        var placed: [PlacedSite] = []
        var records: [PlacementRecord] = []
        // Members × candidates minutes per area: the same for every typology of the area.
        var areaMinutes: [String: [[Double]]] = [:]
        for row in analysis.rows where row.missing > 0 {
            guard let standard = standards[row.typology] else { continue }
            let key = row.level == .zona ? "zona " + row.zona : row.code
            let members = (analysis.members[key] ?? []).sorted { $0.unit < $1.unit }
            guard !members.isEmpty else { continue }
            // Demand nodes: each member's population centres (its people split by their
            // weights), or its seat.
            var demand: [GeoPoint] = []
            var weights: [Double] = []
            for m in members {
                let people = Double(units[m.unit].population) * m.share * standard.groupShare
                let nodes = centres[units[m.unit].id] ?? []
                let total = nodes.reduce(0) { $0 + $1.weight }
                if total > 0 {
                    for node in nodes {
                        demand.append(node.location)
                        weights.append(people * node.weight / total)
                    }
                } else {
                    demand.append(units[m.unit].location)
                    weights.append(people)
                }
            }
            var candidates: [(id: String, unit: String, location: GeoPoint)] = members.map {
                (units[$0.unit].id, units[$0.unit].id, units[$0.unit].location)
            }
            for m in members { candidates += (userSites[units[m.unit].id] ?? []).map { ($0.id, $0.unit, $0.location) } }
            // The Executive's offer: private establishments are netted out of the demand already.
            let existingSites = members.flatMap { byUnit[units[$0.unit].id] ?? [] }.filter {
                $0.typology == row.typology && $0.provider == .public
            }
            let distance: [[Double]]
            if let cached = areaMinutes[key] {
                distance = cached
            } else {
                distance = travel.minutes(from: demand, to: candidates.map(\.location))
                areaMinutes[key] = distance
            }
            let existing = travel.nearestMinutes(from: demand, to: existingSites.map(\.location))
            let need = Int(row.missing)
            let problem = FacilityProblem(
                weights: weights, distance: distance, existing: existing, p: min(need, candidates.count),
                radius: standard.maxMinutes, objective: objective,
                capacity: standard.capacity > 0 ? standard.capacity : nil)
            let solution = try FacilityLocation.solve(problem, solver: solver, seconds: seconds)
            let greedy = problem.value(FacilityLocation.greedy(problem))
            // People each open site serves: demand whose nearest establishment it becomes
            // (within reach, for coverage), up to the typology's capacity per establishment.
            var served = [Double](repeating: 0, count: candidates.count)
            for i in demand.indices {
                var best = existing[i], site = -1
                for j in solution.open where distance[i][j] < best {
                    best = distance[i][j]
                    site = j
                }
                if site >= 0 && (objective == .median || best <= problem.radius) { served[site] += weights[i] }
            }
            let stacked = need - solution.open.count
            let extra = solution.open.max { (served[$0], -$0) < (served[$1], -$1) }
            if let capacity = problem.capacity {
                for j in solution.open {
                    served[j] = min(served[j], capacity * Double(1 + (j == extra ? stacked : 0)))
                }
            }
            for j in solution.open {
                let copies = 1 + (j == extra ? stacked : 0)
                for _ in 0..<copies {
                    placed.append(
                        PlacedSite(
                            level: row.level, area: row.code, sector: row.sector, typology: row.typology,
                            site: candidates[j].id, unit: candidates[j].unit, location: candidates[j].location,
                            served: served[j] / Double(copies), investment: standard.investmentTotal,
                            recurrent: standard.recurrentTotal))
                }
            }
            records.append(
                PlacementRecord(
                    area: row.code, typology: row.typology, candidates: candidates.count, placed: need,
                    stacked: stacked, solution: solution, greedyValue: greedy))
        }
        return (placed, records)
    }
}
