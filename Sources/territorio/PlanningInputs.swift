import ArgumentParser
import Foundation
import GIS
import Planning

/// Geodesic distances for the planning module (the GIS module's GeographicLib routines).
struct GeodesicMetric: DistanceMetric {
    let geodesic = Geodesic()
    func metres(_ a: GeoPoint, _ b: GeoPoint) -> Double {
        geodesic.distance(Coordinate(a.lon, a.lat), Coordinate(b.lon, b.lat))
    }
}

/// Builds a planning territory from a parroquia layer: units with cantón, province,
/// population and an interior point; rook contiguity; links; zonas; rules.
struct PlanningInputs: ParsableArguments {
    @Option(help: "Parroquia polygons (the units plans are made of).")
    var units: String

    @Option(help: "Field with the 6-digit parroquia code.")
    var unitId = "DPA_PARROQ"

    @Option(help: "Field with the population.")
    var populationField = "POB_2022"

    @Option(help: "Field with the parroquia name.")
    var nameField = "DPA_DESPAR"

    @Option(help: "CSV of links joining islands: columns a,b (parroquia codes). 'auto' uses the proposed ones.")
    var links: String?

    @Option(help: "Zona grouping (CSV zona,province,canton).")
    var zonas = "Data/zonas.csv"

    @Option(
        help:
            "DPA recode CSV (dpa_parroq_2022,dpa_parroq_2012,method): units recoded to another cantón take its cantón and province."
    )
    var recode: String?

    @Option(help: "Distrito population target.")
    var distritoTarget = 90_000

    @Option(help: "Circuito population target.")
    var circuitoTarget = 11_000

    @Option(help: "Relative deviation from the target tolerated before a unit is flagged.")
    var tolerance = 0.5

    @Option(help: "A cantón may be split into distritos only above this population (default 3.5 × distrito target).")
    var splitCantonAbove: Int?

    @Flag(help: "Deviations beyond the tolerance are violations, not warnings.")
    var strictBalance = false

    @Flag(help: "No progress messages on stderr.")
    var quiet = false

    struct Loaded {
        var territory: Territory
        var zones: ZoneTable
        var rules: PlanningRules
        var layer: Layer
        var proposedLinks: [(from: String, to: String, metres: Double)]
        var linksUsed: [(String, String)]
    }

    func rows(_ path: String) throws -> [[String: String]] {
        let table = try CSVTable.read(path)
        return table.rows.map { row in
            Dictionary(uniqueKeysWithValues: table.header.enumerated().map { ($1, $0 < row.count ? row[$0] : "") })
        }
    }

    func load() throws -> Loaded {
        let progress = Progress(quiet: quiet)
        progress.step("reading \(units)")
        let layer = try LayerIO.read(units)
        let id = try layer.requireField(unitId), pop = try layer.requireField(populationField)
        let name = layer.fieldIndex(nameField)
        guard [.integer, .decimal].contains(layer.fields[pop].type) else {
            throw GISError(
                .input, operation: "read population", file: units, field: populationField,
                message: "population must be numeric")
        }
        var moved: [String: String] = [:]  // 2012 code → 2022 code, for units that changed cantón
        if let recode {
            for r in try rows(recode) where (r["method"] ?? "").hasPrefix("recoded") {
                if let old = r["dpa_parroq_2012"], let new = r["dpa_parroq_2022"], old.prefix(4) != new.prefix(4) {
                    moved[old] = new
                }
            }
        }
        let ctx = GeometryContext()
        let toLonLat = try ProjContext().transform(from: layer.crs ?? .wgs84, to: .wgs84)
        var list: [PlanningUnit] = []
        var bad: [String] = []
        for (k, f) in layer.features.enumerated() {
            let code = f.attributes[id].description
            guard let people = f.attributes[pop].number, people >= 0, people.isFinite else {
                bad.append(
                    "\(code.isEmpty ? "record \(k + 1)" : code) (\(f.attributes[pop].isNull ? "null" : f.attributes[pop].description))"
                )
                continue
            }
            guard let g = f.geometry else {
                throw GISError(
                    .input, operation: "read units", file: units, record: k + 1, message: "\(code) has no geometry")
            }
            let inside = try toLonLat.apply(try ctx.geometry(g).pointOnSurface().pointCoordinate())
            let geo = moved[code] ?? code
            list.append(
                PlanningUnit(
                    id: code, name: name.map { f.attributes[$0].description } ?? "", canton: String(geo.prefix(4)),
                    province: String(geo.prefix(2)),
                    population: Int(people.rounded()), location: GeoPoint(lon: inside.x, lat: inside.y)))
        }
        guard bad.isEmpty else {
            throw PlanningError(source: units, "population must be a non-negative number", units: bad)
        }
        progress.step("building contiguity")
        let graph = try Contiguity.build(
            layer, rule: .rook, context: ctx,
            measure: try GeodesicMeasure(crs: layer.crs ?? .wgs84, context: try ProjContext()))
        let bare = try Territory(units: list, edges: graph.edges.map { ($0.a, $0.b) })
        let proposed = bare.proposeLinks(metric: GeodesicMetric())
        var linkPairs: [(String, String)] = []
        if let links {
            if links == "auto" {
                linkPairs = proposed.map { ($0.from, $0.to) }
            } else {
                linkPairs = try rows(links).map { ($0["a"] ?? "", $0["b"] ?? "") }
            }
        }
        let territory = try Territory(units: list, edges: graph.edges.map { ($0.a, $0.b) }, links: linkPairs)
        let zones = try ZoneTable(rows: try rows(zonas), source: zonas)
        let rules = PlanningRules(
            distritoTarget: distritoTarget, circuitoTarget: circuitoTarget, tolerance: tolerance,
            splitCantonAbove: splitCantonAbove, strictBalance: strictBalance)
        return Loaded(
            territory: territory, zones: zones, rules: rules, layer: layer, proposedLinks: proposed,
            linksUsed: linkPairs)
    }

    func readPlan(_ path: String) throws -> Plan {
        let table = try CSVTable.read(path)
        return try Plan.read(header: table.header, rows: table.rows, source: path)
    }
}
