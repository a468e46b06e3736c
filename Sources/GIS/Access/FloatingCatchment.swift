import Foundation

/// Distance-decay weights for floating-catchment accessibility; `t` is travel time and `d0`
/// the catchment, both in minutes.
public enum DistanceDecay: Sendable, Hashable, CustomStringConvertible {
    /// 1 inside the catchment: the original 2SFCA (Luo & Wang 2003, doi:10.1068/b29120).
    case step
    /// E2SFCA zones (Luo & Qi 2009, doi:10.1016/j.healthplace.2009.06.002): weights 1.00,
    /// 0.68 and 0.22 for the first, second and last third of the catchment.
    case zones
    /// Kernel (Dai 2010, doi:10.1016/j.healthplace.2010.06.002):
    /// (e^{−½(t/d0)²} − e^{−½}) / (1 − e^{−½}), 1 at the door and 0 at the catchment edge.
    case gaussian
    /// Gravity (Hansen 1959): max(t, 1 min)^−β.
    case gravity(beta: Double)
    /// E2SFCA with zones the user sets: weight `w_k` up to `limit_k` (ascending), 0 beyond
    /// the last; e.g. `zones(5km=1,10km=0.5)`, the weights PySAL access uses. Limits in
    /// metres become minutes through the travel model (``resolved(_:)``) before use.
    case zoneTable([ZoneBreak])

    /// One zone of a ``zoneTable``.
    public struct ZoneBreak: Sendable, Hashable {
        public var limit: Threshold
        public var weight: Double
        public init(limit: Threshold, weight: Double) {
            self.limit = limit
            self.weight = weight
        }
    }

    /// The decay with zone limits in minutes under `model` (distance limits need straight-line
    /// travel).
    public func resolved(_ model: TravelModel) throws -> DistanceDecay {
        guard case .zoneTable(let zones) = self else { return self }
        return .zoneTable(try zones.map { ZoneBreak(limit: .minutes(try $0.limit.minutes(model)), weight: $0.weight) })
    }

    /// Whether every comparison `weight` makes gives the same answer at `a` and at `b` — then,
    /// as each comparison is monotone in t, the weight is the same for every t between them.
    /// Always false for continuous decays.
    public func sameWeight(_ a: Double, _ b: Double, catchment d0: Double) -> Bool {
        guard (a <= d0) == (b <= d0) else { return false }
        switch self {
        case .step: return true
        case .zones: return (a <= d0 / 3) == (b <= d0 / 3) && (a <= 2 * d0 / 3) == (b <= 2 * d0 / 3)
        case .zoneTable(let zones):
            return zones.allSatisfy { z in
                guard case .minutes(let limit) = z.limit else { return false }
                return (a <= limit) == (b <= limit)
            }
        case .gaussian, .gravity: return false
        }
    }

    public func weight(_ t: Double, catchment d0: Double) -> Double {
        guard t <= d0 else { return 0 }
        switch self {
        case .step: return 1
        case .zones: return t <= d0 / 3 ? 1 : (t <= 2 * d0 / 3 ? 0.68 : 0.22)
        case .gaussian:
            let e = exp(-0.5)
            return (exp(-0.5 * (t / d0) * (t / d0)) - e) / (1 - e)
        case .gravity(let beta): return pow(max(t, 1), -beta)
        case .zoneTable(let zones):
            for z in zones {
                guard case .minutes(let limit) = z.limit else { return 0 }
                if t <= limit { return z.weight }
            }
            return 0
        }
    }

    public var description: String {
        switch self {
        case .step: "step"
        case .zones: "zones"
        case .gaussian: "gaussian"
        case .gravity(let b): "gravity(\(b))"
        case .zoneTable(let zones): "zones(" + zones.map { "\($0.limit)=\(JSONText.number($0.weight))" }.joined(separator: ",") + ")"
        }
    }

    /// A name usable in column headers: `step`, `zones`, `gaussian`, `gravity_b1.5`.
    public var columnName: String {
        if case .gravity(let b) = self { return "gravity_b\(JSONText.number(b))" }
        if case .zoneTable(let zones) = self {
            return "zones_" + zones.map { "\($0.limit)_\(JSONText.number($0.weight))" }.joined(separator: "_")
        }
        return description
    }

    public static func parse(_ text: String) throws -> DistanceDecay {
        let lower = text.lowercased().trimmingCharacters(in: .whitespaces)
        if lower.hasPrefix("zones("), lower.hasSuffix(")") {
            return try zoneTable(String(lower.dropFirst("zones(".count).dropLast()), text: text)
        }
        switch lower {
        case "step": return .step
        case "zones", "e2sfca": return .zones
        case "gaussian": return .gaussian
        case let s where s.hasPrefix("gravity"):
            let beta =
                Double(s.dropFirst("gravity".count).trimmingCharacters(in: CharacterSet(charactersIn: "():= "))) ?? 1
            return .gravity(beta: beta)
        default:
            throw GISError(
                .usage, operation: "distance decay",
                message: "unknown decay '\(text)' (step, zones, zones(5km=1,10km=0.5), gaussian, gravity or gravity(1.5))")
        }
    }

    /// A comma-separated list (`step,zones(5km=1,10km=0.5),gravity(1.5)`: commas inside
    /// parentheses belong to the decay); `none` or nothing is no floating catchment.
    public static func parseList(_ text: String) throws -> [DistanceDecay] {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed.isEmpty || trimmed.lowercased() == "none" { return [] }
        var items: [String] = [], current = "", depth = 0
        for ch in trimmed {
            if ch == "(" { depth += 1 }
            if ch == ")" { depth = max(0, depth - 1) }
            if ch == "," && depth == 0 {
                items.append(current)
                current = ""
            } else {
                current.append(ch)
            }
        }
        items.append(current)
        return try items.map { try parse($0) }
    }

    /// `5km=1;10km=0.5` (or with `:`; separated by `;` or `,`): ascending limits, weights in
    /// [0, 1].
    static func zoneTable(_ body: String, text: String) throws -> DistanceDecay {
        func bad(_ why: String) -> GISError {
            GISError(
                .usage, operation: "distance decay",
                message: "'\(text)': \(why) (write zones(5km=1,10km=0.5): ascending limits, weights in [0, 1])")
        }
        let parts = body.split(whereSeparator: { $0 == ";" || $0 == "," }).map { $0.trimmingCharacters(in: .whitespaces) }
        guard !parts.isEmpty, parts.count <= 64 else { throw bad("give between 1 and 64 zones") }
        var zones: [ZoneBreak] = []
        for part in parts {
            let pair = part.split(whereSeparator: { $0 == "=" || $0 == ":" })
            guard pair.count == 2 else { throw bad("'\(part)' is not limit=weight") }
            let limit = try Threshold.parse(String(pair[0]))
            guard let w = Double(pair[1].trimmingCharacters(in: .whitespaces)), w >= 0, w <= 1 else {
                throw bad("weight '\(pair[1])' is not a number in [0, 1]")
            }
            zones.append(ZoneBreak(limit: limit, weight: w))
        }
        for k in zones.indices.dropFirst() {
            switch (zones[k - 1].limit, zones[k].limit) {
            case (.minutes(let a), .minutes(let b)), (.metres(let a), .metres(let b)):
                guard a < b else { throw bad("limits must increase") }
            default: throw bad("give every limit in the same unit (all km/m or all minutes)")
            }
        }
        return .zoneTable(zones)
    }
}

/// Two-step floating catchment: step 1 gives each establishment its supply-to-demand ratio
/// R_j = S_j / Σ_k P_k W(t_kj); step 2 gives each demand point A_i = Σ_j R_j W(t_ij), reported
/// per 1,000 people. Supply S_j is the capacity when known, else 1 (one establishment).
public struct FloatingCatchment: Sendable {
    /// Per demand point, establishments per 1,000 people (or places per 1,000 with capacities).
    public var accessibility: [Double]
    /// Per establishment (indexed like the supply): R_j × 1,000.
    public var ratioPer1000: [Double]
    /// Per establishment: the weighted population within its catchment, Σ_k P_k W(t_kj) — its
    /// crowding.
    public var demandReached: [Double]

    public static func compute(
        demand: [DemandPoint], supply: Supply, matrix: TravelMatrix, decay: DistanceDecay, useCapacity: Bool = true
    ) -> FloatingCatchment {
        let d0 = matrix.cutoffMinutes
        var reached = [Double](repeating: 0, count: supply.establishments.count)
        for (i, row) in matrix.rows.enumerated() {
            for (j, t) in row { reached[j] += demand[i].population * decay.weight(t, catchment: d0) }
        }
        var ratio = [Double](repeating: 0, count: supply.establishments.count)
        for j in ratio.indices where reached[j] > 0 {
            ratio[j] = (useCapacity ? supply.establishments[j].capacity ?? 1 : 1) / reached[j]
        }
        let access = matrix.rows.map { row in
            row.reduce(0.0) { $0 + ratio[$1.establishment] * decay.weight($1.minutes, catchment: d0) } * 1_000
        }
        return FloatingCatchment(accessibility: access, ratioPer1000: ratio.map { $0 * 1_000 }, demandReached: reached)
    }
}
