/// The territorial level an establishment serves.
public enum ServiceLevel: String, Sendable, CaseIterable, Comparable {
    case circuito, distrito, zona
    var rank: Int { self == .circuito ? 0 : self == .distrito ? 1 : 2 }
    public static func < (a: ServiceLevel, b: ServiceLevel) -> Bool { a.rank < b.rank }
}

/// How many establishments of a typology a unit needs.
public enum ServiceNorm: Sendable, Hashable {
    /// A fixed number per unit of the level (one UPC per circuito).
    case perUnit(Double)
    /// One per `people` of the target group, the group being `share` of the population
    /// (one centro de salud tipo A per 10,000 people: share 1).
    case perPopulation(people: Double, share: Double)

    /// Establishments required for a unit of `population`.
    public func required(population: Double) -> Double {
        switch self {
        case .perUnit(let n): return n
        case .perPopulation(let people, let share):
            return population <= 0 ? 0 : (population * share / people).rounded(.up)
        }
    }

    /// Establishments required for the part of a unit's target group that `served` people of it
    /// (served by another offer) leave: a per-population norm on `population × share − served`;
    /// a per-unit norm is unchanged.
    public func required(population: Double, lessServed served: Double) -> Double {
        switch self {
        case .perUnit: return required(population: population)
        case .perPopulation(let people, let share):
            let left = population * share - max(0, served)
            return population <= 0 || left <= 1e-9 ? 0 : (left / people).rounded(.up)
        }
    }
}

/// One row of the standards catalogue: a typology of establishment, the level it serves, its
/// norm, capacity, reach, staff and costs, and where the numbers come from.
public struct ServiceStandard: Sendable, Hashable {
    public var sector: String
    public var typology: String
    public var level: ServiceLevel
    public var norm: ServiceNorm
    /// People of the target group one establishment serves (0: not limited).
    public var capacity: Double
    /// Beyond this travel time a person counts as unserved.
    public var maxMinutes: Double
    public var staff: Double
    /// Investment per new establishment: infrastructure, equipment, furniture (USD).
    public var investment: (infrastructure: Double, equipment: Double, furniture: Double)
    /// Recurrent cost per establishment and year: salaries, utilities, maintenance (USD).
    public var recurrent: (salaries: Double, utilities: Double, maintenance: Double)
    /// Share of the investment that repairing or replacing a poor establishment costs.
    public var repairShare: Double
    /// Share (0–1) of a private establishment's capacity that counts against the demand the
    /// Executive must serve (0: the private offer is not netted).
    public var privateShare: Double = 0
    /// Registry values (type or subtype) that are this typology.
    public var matches: [String]
    /// The norm's source (a named national norm, or `illustrative`) and the costs' source.
    public var source: String
    public var costSource: String
    public var assumption: String

    public init(
        sector: String, typology: String, level: ServiceLevel, norm: ServiceNorm, capacity: Double, maxMinutes: Double,
        staff: Double, investment: (infrastructure: Double, equipment: Double, furniture: Double),
        recurrent: (salaries: Double, utilities: Double, maintenance: Double), repairShare: Double, matches: [String],
        source: String, costSource: String, assumption: String
    ) {
        self.sector = sector
        self.typology = typology
        self.level = level
        self.norm = norm
        self.capacity = capacity
        self.maxMinutes = maxMinutes
        self.staff = staff
        self.investment = investment
        self.recurrent = recurrent
        self.repairShare = repairShare
        self.matches = matches
        self.source = source
        self.costSource = costSource
        self.assumption = assumption
    }

    public var investmentTotal: Double { investment.infrastructure + investment.equipment + investment.furniture }
    public var recurrentTotal: Double { recurrent.salaries + recurrent.utilities + recurrent.maintenance }
    public var isIllustrative: Bool {
        source.lowercased().hasPrefix("illustrative") || costSource.lowercased().hasPrefix("illustrative")
    }

    public static func == (a: ServiceStandard, b: ServiceStandard) -> Bool {
        a.sector == b.sector && a.typology == b.typology
    }
    public func hash(into h: inout Hasher) {
        h.combine(sector)
        h.combine(typology)
    }
}

/// The standards catalogue: data, not code (`Data/standards/catalogue.csv`, documented in
/// `Data/standards/README.md`). Rows are checked as they are read: an unknown level or norm,
/// a negative or missing number, a duplicate typology or a registry value claimed by two
/// typologies is an error naming the row.
public struct StandardsCatalogue: Sendable {
    public var standards: [ServiceStandard]
    public var source: String

    public static let columns = [
        "sector", "typology", "level", "norm", "norm_value", "group_share", "capacity", "max_minutes", "staff",
        "investment_infrastructure", "investment_equipment", "investment_furniture", "recurrent_salaries",
        "recurrent_utilities", "recurrent_maintenance", "repair_share", "matches", "source", "cost_source",
        "assumption",
    ]

    /// The largest value each numeric column accepts (costs in USD per establishment, times in
    /// minutes, norms in establishments per unit or people per establishment); 1e12 otherwise.
    /// They keep every figure derived from a row finite and every count within memory.
    public static let limits: [String: Double] = [
        "norm_value": 1e9, "group_share": 1, "capacity": 1e9, "max_minutes": 10_000, "staff": 1e6,
        "repair_share": 1, "private_share": 1,
    ]

    static func limitText(_ v: Double) -> String { v >= 1e6 ? "\(v)" : String(Int64(v)) }

    public init(standards: [ServiceStandard], source: String = "catalogue") {
        self.standards = standards
        self.source = source
    }

    public static func read(header: [String], rows: [[String]], lines: [Int]? = nil, source: String) throws
        -> StandardsCatalogue
    {
        let lower = header.map { $0.lowercased().trimmingCharacters(in: .whitespaces) }
        let repeated = Dictionary(grouping: lower, by: { $0 }).filter { $0.value.count > 1 }.keys.sorted()
        guard repeated.isEmpty else {
            throw PlanningError(source: source, "line 1: columns named more than once", units: repeated)
        }
        let missing = columns.filter { !lower.contains($0) }
        guard missing.isEmpty else {
            throw PlanningError(source: source, "the catalogue lacks columns", units: missing)
        }
        var out: [ServiceStandard] = []
        var claimed: [String: String] = [:]
        for (r, row) in rows.enumerated() {
            let line = lines?[r] ?? r + 2
            func cell(_ name: String) -> String {
                guard let i = lower.firstIndex(of: name), i < row.count else { return "" }
                return row[i].trimmingCharacters(in: .whitespaces)
            }
            func fail(_ why: String) -> PlanningError {
                PlanningError(source: source, "line \(line) (\(cell("typology"))): \(why)")
            }
            func number(_ name: String, optional: Bool = false) throws -> Double {
                let text = cell(name)
                if text.isEmpty && optional { return 0 }
                guard let v = Double(text), v.isFinite else { throw fail("\(name) must be a number, not '\(text)'") }
                guard v >= 0 else { throw fail("\(name) must not be negative (\(text))") }
                let limit = limits[name] ?? 1e12
                guard v <= limit else { throw fail("\(name) must be at most \(limitText(limit)), not \(text)") }
                return v
            }
            guard let level = ServiceLevel(rawValue: cell("level").lowercased()) else {
                throw fail("unknown level '\(cell("level"))' (circuito, distrito or zona)")
            }
            let norm: ServiceNorm
            switch cell("norm").lowercased() {
            case "per_unit":
                let n = try number("norm_value")
                guard n <= 1_000 else {
                    throw fail("norm_value is establishments per unit for per_unit: at most 1000, not \(n)")
                }
                norm = .perUnit(n)
            case "per_population":
                let people = try number("norm_value")
                guard people >= 1 else {
                    throw fail(
                        "norm_value is people per establishment for per_population: at least 1, not \(cell("norm_value"))"
                    )
                }
                let share = cell("group_share").isEmpty ? 1 : try number("group_share")
                guard share <= 1 else { throw fail("group_share is a share of the population (0–1), not \(share)") }
                norm = .perPopulation(people: people, share: share)
            default: throw fail("unknown norm '\(cell("norm"))' (per_unit or per_population)")
            }
            guard !cell("sector").isEmpty, !cell("typology").isEmpty else {
                throw fail("sector and typology are needed")
            }
            guard !cell("source").isEmpty, !cell("cost_source").isEmpty else {
                throw fail("source and cost_source are needed (a named norm, or 'illustrative')")
            }
            let matches = cell("matches").split(separator: ";").map {
                $0.trimmingCharacters(in: .whitespaces).uppercased()
            }.filter { !$0.isEmpty }
            for m in matches {
                if let other = claimed[m] { throw fail("registry value '\(m)' is already the typology \(other)") }
                claimed[m] = cell("typology")
            }
            let standard = ServiceStandard(
                sector: cell("sector"), typology: cell("typology"), level: level, norm: norm,
                capacity: try number("capacity", optional: true), maxMinutes: try number("max_minutes"),
                staff: try number("staff"),
                investment: (
                    try number("investment_infrastructure"), try number("investment_equipment"),
                    try number("investment_furniture")
                ),
                recurrent: (
                    try number("recurrent_salaries"), try number("recurrent_utilities"),
                    try number("recurrent_maintenance")
                ), repairShare: try number("repair_share"), matches: matches, source: cell("source"),
                costSource: cell("cost_source"), assumption: cell("assumption"))
            guard standard.repairShare <= 1 else { throw fail("repair_share is a share (0–1)") }
            var netted = standard
            netted.privateShare = try number("private_share", optional: true)
            if let other = out.first(where: { $0.typology.lowercased() == standard.typology.lowercased() }) {
                throw fail("typology listed twice (also under sector \(other.sector))")
            }
            out.append(netted)
        }
        guard !out.isEmpty else { throw PlanningError(source: source, "the catalogue has no rows") }
        return StandardsCatalogue(standards: out, source: source)
    }

    /// The typology a registry value (type or subtype) belongs to.
    public func standard(matching value: String) -> ServiceStandard? {
        let key = value.trimmingCharacters(in: .whitespaces).uppercased()
        return standards.first { $0.matches.contains(key) }
    }
}
