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

    public func weight(_ t: Double, catchment d0: Double) -> Double {
        guard t <= d0 else { return 0 }
        switch self {
        case .step: return 1
        case .zones: return t <= d0 / 3 ? 1 : (t <= 2 * d0 / 3 ? 0.68 : 0.22)
        case .gaussian:
            let e = exp(-0.5)
            return (exp(-0.5 * (t / d0) * (t / d0)) - e) / (1 - e)
        case .gravity(let beta): return pow(max(t, 1), -beta)
        }
    }

    public var description: String {
        switch self {
        case .step: "step"
        case .zones: "zones"
        case .gaussian: "gaussian"
        case .gravity(let b): "gravity(\(b))"
        }
    }

    /// A name usable in column headers: `step`, `zones`, `gaussian`, `gravity_b1.5`.
    public var columnName: String {
        if case .gravity(let b) = self { return "gravity_b\(JSONText.number(b))" }
        return description
    }

    public static func parse(_ text: String) throws -> DistanceDecay {
        switch text.lowercased() {
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
                message: "unknown decay '\(text)' (step, zones, gaussian, gravity or gravity(1.5))")
        }
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
