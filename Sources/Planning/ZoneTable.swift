import Foundation

/// Which zona each province or cantón belongs to (a cantón row overrides its province's).
public struct ZoneTable: Sendable {
    public var byProvince: [String: String]
    public var byCanton: [String: String]

    /// Rows with columns `zona`, `province`, `canton` (one of the last two filled).
    public init(rows: [[String: String]], source: String = "zonas") throws {
        var p: [String: String] = [:], c: [String: String] = [:]
        for (k, row) in rows.enumerated() {
            let zona = (row["zona"] ?? "").trimmingCharacters(in: .whitespaces)
            let province = (row["province"] ?? "").trimmingCharacters(in: .whitespaces)
            let canton = (row["canton"] ?? "").trimmingCharacters(in: .whitespaces)
            guard !zona.isEmpty, province.isEmpty != canton.isEmpty else {
                throw PlanningError(source: source, "row \(k + 2): needs a zona and either a province or a cantón code")
            }
            if !province.isEmpty { p[province] = zona } else { c[canton] = zona }
        }
        byProvince = p
        byCanton = c
    }

    public func zona(of unit: PlanningUnit) -> String? {
        byCanton[unit.canton] ?? byProvince[unit.province]
    }
}
