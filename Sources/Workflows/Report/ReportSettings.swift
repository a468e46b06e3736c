import Cartography

/// What `territorio report` puts together: the output folders of earlier runs.
public struct ReportSettings: Sendable {
    /// A `propose` (or `propose --repair`) folder: plan.csv, report.json, distritos/circuitos.geojson.
    public var plan: String?
    /// An `access` folder: report.json, units.geojson.
    public var access: String?
    /// A `deficit`, `cost`, `place` or `schedule` folder: the deficit tables, sites.geojson and
    /// schedule_<scenario>.csv when present.
    public var services: String?
    public var title: String?
    public var language: MapLanguage = .spanish
    /// Width of the maps, pixels.
    public var mapWidth = 1400

    public init() {}

    func validated() throws -> ReportSettings {
        guard plan != nil || access != nil || services != nil else {
            throw WorkflowError("a report needs at least one of --plan, --access, --services")
        }
        _ = try Checked.integer(mapWidth, in: 600...4000, "--map-width")
        return self
    }
}

/// The fixed words of a report, in Spanish (default) or English.
struct ReportWords {
    let language: MapLanguage
    func callAsFunction(_ es: String, _ en: String) -> String { language == .spanish ? es : en }
}
