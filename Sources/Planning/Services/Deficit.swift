/// The state of an establishment's building, as registries record it.
public enum Condition: String, Sendable, CaseIterable {
    case good, fair, poor, unknown

    /// Reads good/fair/poor and their Spanish names (buena/regular/mala); empty is unknown.
    public init?(registry text: String) {
        switch text.trimmingCharacters(in: .whitespaces).lowercased() {
        case "good", "buena", "bueno": self = .good
        case "fair", "regular": self = .fair
        case "poor", "mala", "malo": self = .poor
        case "", "unknown", "na", "n/a": self = .unknown
        default: return nil
        }
    }
}

/// Who runs an establishment. The Executive builds and staffs the public offer; the private
/// offer (particular schools, private clinics) serves part of the demand, which the deficit
/// nets out by the catalogue's `private_share` rule.
public enum Provider: String, Sendable, CaseIterable {
    case `public`, `private`
}

/// An existing establishment, already placed in a planning unit (parroquia or piece) by
/// point in polygon and matched to a catalogue typology.
public struct Establishment: Sendable {
    public var id: String
    public var typology: String
    public var unit: String
    public var condition: Condition
    public var location: GeoPoint
    public var provider: Provider
    /// People of the target group it serves, from the registry (nil: the catalogue's capacity).
    public var capacity: Double?
    public init(
        id: String, typology: String, unit: String, condition: Condition, location: GeoPoint,
        provider: Provider = .public, capacity: Double? = nil
    ) {
        self.id = id
        self.typology = typology
        self.unit = unit
        self.condition = condition
        self.location = location
        self.provider = provider
        self.capacity = capacity
    }
}

/// Current offer, ideal offer and deficit of one typology in one unit of its level.
public struct DeficitRow: Sendable {
    public var level: ServiceLevel
    public var code: String
    public var distrito: String
    public var zona: String
    public var sector: String
    public var typology: String
    /// People in the unit (target group: `population × share`).
    public var population: Double
    public var targetPopulation: Double
    /// Establishments the norm asks for the whole target group (gross), and for the part of it
    /// the private offer does not serve (net: what the Executive must provide). Equal when
    /// nothing is netted.
    public var requiredGross: Double
    public var required: Double
    /// Private establishments in the unit, and the people of the target group they take from
    /// the demand (`count × capacity × private_share`, at most the target group).
    public var privateEstablishments: Double
    public var privateServed: Double
    /// Usable (good, fair or unknown) and poor public establishments in the unit.
    public var current: Double
    public var poor: Double
    /// New establishments the gross requirement would need (no private offer counted).
    public var missingGross: Double
    /// New establishments needed, and poor ones to repair or replace to meet the norm.
    public var missing: Double
    public var repairs: Double
    /// People of the target group beyond the maximum travel time of every establishment.
    public var unserved: Double
    public var staffMissing: Double
    public var investment: Double
    public var recurrent: Double
}

/// A table of figures summed to one level (circuito, distrito, zona or the nation), by sector
/// and typology (people unserved are counted per typology: summing them over typologies would
/// count a person once per typology).
public struct DeficitTotal: Sendable {
    public var level: String
    public var code: String
    public var sector: String
    public var typology: String
    public var requiredGross: Double
    public var required: Double
    public var current: Double
    public var privateEstablishments: Double
    public var privateServed: Double
    public var missingGross: Double
    public var missing: Double
    public var repairs: Double
    public var unserved: Double
    public var staffMissing: Double
    public var investment: Double
    public var recurrent: Double
}

/// The deficit of a plan's units against the standards catalogue — the method "costs to reach
/// Buen Vivir in the territories" (Senplades 2012, Gráfico 5): current offer → ideal offer from
/// the standards → deficit → its cost (investment and recurrent).
public struct DeficitAnalysis: Sendable {
    public var rows: [DeficitRow]
    /// Standards evaluated at another level than the catalogue's, and why.
    public var notes: [String]
    /// Member units (parroquias or pieces) of each planning unit, with the share of each that
    /// belongs to it (a parroquia split between k distritos counts 1/k in each).
    public var members: [String: [(unit: Int, share: Double)]]

    /// Computes the deficit. `nearestMinutes[typology][unit]` is the travel time from each
    /// territory unit to its nearest existing establishment of the typology (from the GIS
    /// module); units beyond the typology's maximum count as unserved.
    public static func compute(
        territory: Territory, plan: Plan, zones: ZoneTable, catalogue: StandardsCatalogue,
        establishments: [Establishment], nearestMinutes: [String: [Double]]
    ) throws -> DeficitAnalysis {
        let units = territory.units
        // As in validation: units with people must be planned; empty ones are noted.
        let unplanned = units.filter { plan.assignments[$0.id] == nil }
        let withPeople = unplanned.filter { $0.population > 0 }.map(\.id)
        guard withPeople.isEmpty else {
            throw PlanningError(
                source: plan.source, "the plan does not cover every unit with people", units: withPeople)
        }
        var members: [String: [(unit: Int, share: Double)]] = [:]
        var zonaVotes: [String: [String: Double]] = [:]
        for (i, u) in units.enumerated() {
            guard let a = plan.assignments[u.id] else { continue }
            let zona = zones.zona(of: u) ?? "?"
            for d in a.distritos {
                members[d, default: []].append((i, 1 / Double(a.distritos.count)))
                zonaVotes[d, default: [:]][zona, default: 0] += Double(u.population)
            }
            for c in a.circuitos {
                members[c, default: []].append((i, 1 / Double(a.circuitos.count)))
                zonaVotes[c, default: [:]][zona, default: 0] += Double(u.population)
            }
            members["zona " + zona, default: []].append((i, 1))
        }
        func zonaOf(_ code: String) -> String {
            (zonaVotes[code] ?? [:]).max { ($0.value, $1.key) < ($1.value, $0.key) }?.key ?? "?"
        }
        let distritoCodes = Set(plan.assignments.values.flatMap(\.distritos)).sorted()
        let circuitoCodes = Set(plan.assignments.values.flatMap(\.circuitos)).sorted()
        let zonaCodes = members.keys.filter { $0.hasPrefix("zona ") }.sorted()
        var byUnit: [String: [Establishment]] = [:]
        for e in establishments { byUnit[e.unit, default: []].append(e) }
        var notes: [String] = []
        if !unplanned.isEmpty {
            let ids = Set(unplanned.map(\.id))
            let left = establishments.filter { ids.contains($0.unit) }.count
            notes.append(
                "\(unplanned.count) units without population are in no unit of the plan (\(unplanned.map(\.id).joined(separator: ", "))); \(left) establishment(s) in them are not counted"
            )
        }
        var rows: [DeficitRow] = []
        for s in catalogue.standards {
            var level = s.level
            if level == .circuito && circuitoCodes.isEmpty {
                level = .distrito
                notes.append("\(s.typology): the plan has no circuitos, so its circuito norm is applied per distrito")
            }
            let codes = level == .circuito ? circuitoCodes : level == .distrito ? distritoCodes : zonaCodes
            let minutes = nearestMinutes[s.typology]
            for code in codes {
                var population = 0.0, current = 0.0, poor = 0.0, unserved = 0.0, privateCount = 0.0
                for (i, share) in members[code] ?? [] {
                    let people = Double(units[i].population) * share
                    population += people
                    if let m = minutes, i < m.count, !(m[i] <= s.maxMinutes) {
                        unserved += people * s.groupShare
                    }
                    for e in byUnit[units[i].id] ?? [] where e.typology == s.typology {
                        if e.provider == .private {
                            if e.condition != .poor { privateCount += share }
                        } else if e.condition == .poor {
                            poor += share
                        } else {
                            current += share
                        }
                    }
                }
                let target = population * s.groupShare
                let privateServed = s.privateServed(establishments: privateCount, target: target)
                let requiredGross = s.norm.required(population: population)
                let required = s.norm.required(population: population, lessServed: privateServed)
                func missing(_ required: Double) -> Double { max(0, (required - current - poor - 1e-9).rounded(.up)) }
                let missingNet = missing(required)
                let repairs = min(poor, max(0, required - current))
                let distrito = level == .circuito ? String(code.prefix(5)) : level == .distrito ? code : ""
                let zona = level == .zona ? String(code.dropFirst(5)) : zonaOf(code)
                rows.append(
                    DeficitRow(
                        level: level, code: level == .zona ? zona : code, distrito: distrito, zona: zona,
                        sector: s.sector, typology: s.typology, population: population,
                        targetPopulation: target, requiredGross: requiredGross, required: required,
                        privateEstablishments: privateCount, privateServed: privateServed, current: current,
                        poor: poor, missingGross: missing(requiredGross), missing: missingNet, repairs: repairs,
                        unserved: unserved, staffMissing: missingNet * s.staff,
                        investment: missingNet * s.investmentTotal + repairs * s.repairShare * s.investmentTotal,
                        recurrent: missingNet * s.recurrentTotal))
            }
        }
        return DeficitAnalysis(rows: rows, notes: notes, members: members)
    }

    /// Figures summed to `level` (`circuito`, `distrito`, `zona` or `nation`) by typology: a
    /// level's table holds its own typologies and those of every level below it, so circuito
    /// sums, distrito sums, zona sums and the national total agree.
    public func totals(_ level: String) -> [DeficitTotal] {
        var out: [String: DeficitTotal] = [:]
        for r in rows {
            let code: String
            switch level {
            case "circuito":
                guard r.level == .circuito else { continue }
                code = r.code
            case "distrito":
                guard r.level <= .distrito else { continue }
                code = r.distrito
            case "zona":
                code = r.zona
            default:
                code = "nation"
            }
            let key = code + "\u{1}" + r.sector + "\u{1}" + r.typology
            var t =
                out[key]
                ?? DeficitTotal(
                    level: level, code: code, sector: r.sector, typology: r.typology, requiredGross: 0, required: 0,
                    current: 0, privateEstablishments: 0, privateServed: 0, missingGross: 0, missing: 0, repairs: 0,
                    unserved: 0, staffMissing: 0, investment: 0, recurrent: 0)
            t.requiredGross += r.requiredGross
            t.required += r.required
            t.current += r.current
            t.privateEstablishments += r.privateEstablishments
            t.privateServed += r.privateServed
            t.missingGross += r.missingGross
            t.missing += r.missing
            t.repairs += r.repairs
            t.unserved += r.unserved
            t.staffMissing += r.staffMissing
            t.investment += r.investment
            t.recurrent += r.recurrent
            out[key] = t
        }
        return out.values.sorted { ($0.code, $0.sector, $0.typology) < ($1.code, $1.sector, $1.typology) }
    }
}

extension ServiceStandard {
    /// Share of the population in the norm's target group (1 for a per-unit norm).
    public var groupShare: Double {
        if case .perPopulation(_, let share) = norm { return share }
        return 1
    }

    /// People of a unit's target group the private offer serves: `establishments × capacity ×
    /// privateShare`, at most `target`. Only a per-population norm with a capacity nets; a
    /// per-unit norm (one UPC per circuito) is the Executive's whatever else exists.
    public func privateServed(establishments: Double, target: Double) -> Double {
        guard case .perPopulation = norm, capacity > 0, privateShare > 0, establishments > 0 else { return 0 }
        return min(target, establishments * capacity * privateShare)
    }
}
