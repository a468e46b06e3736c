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

    @Option(
        help:
            "CSV of links joining islands: columns a,b (parroquia codes). 'auto' uses the proposed ones: islands to the mainland, then detached parts of a cantón to the rest of it."
    )
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

    @Flag(
        help:
            "Divide parroquias above 1.5 × the circuito target into contiguous pieces of about one circuito (ids PARENT-NNN)."
    )
    var split = false

    @Option(
        help:
            "With --split: population points that weight the pieces (CSV with lon/lat, or any layer; polygons count by their interior point). Without it pieces are equal in area."
    )
    var splitPoints: String?

    @Option(help: "With --split-points: the column holding each point's weight (default: every point weighs 1).")
    var splitWeight: String?

    @Flag(help: "No progress messages on stderr.")
    var quiet = false

    struct Loaded {
        var territory: Territory
        var zones: ZoneTable
        var rules: PlanningRules
        var layer: Layer
        var proposedLinks: [(from: String, to: String, metres: Double)]
        var linksUsed: [(String, String)]
        /// Parroquias divided into pieces (empty without --split).
        var splits: [SplitRecord]
    }

    func rows(_ path: String) throws -> [[String: String]] {
        let table = try CSVTable.read(path)
        return table.rows.map { row in
            Dictionary(uniqueKeysWithValues: table.header.enumerated().map { ($1, $0 < row.count ? row[$0] : "") })
        }
    }

    /// Loads the territory; with --split, oversized parroquias become pieces of about
    /// `circuitosTotal`'s national share when a total is fixed, else of the circuito target.
    func load(circuitosTotal: Int? = nil) throws -> Loaded {
        let progress = Progress(quiet: quiet)
        progress.step("reading \(units)")
        var layer = try LayerIO.read(units)
        var pop = try layer.requireField(populationField)
        guard [.integer, .decimal].contains(layer.fields[pop].type) else {
            throw GISError(
                .input, operation: "read population", file: units, field: populationField,
                message: "population must be numeric")
        }
        var splits: [SplitRecord] = []
        if split {
            progress.step("splitting oversized parroquias")
            (layer, splits) = try splitUnits(layer, circuitosTotal: circuitosTotal)
        } else if splitPoints != nil || splitWeight != nil {
            throw ValidationError("--split-points and --split-weight need --split")
        }
        let id = try layer.requireField(unitId)
        pop = try layer.requireField(populationField)
        let name = layer.fieldIndex(nameField)
        let parent = layer.fieldIndex(UnitSplitter.parentField).flatMap { split ? $0 : nil }
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
            let parentCode = parent.map { f.attributes[$0].description } ?? code
            let geo = moved[parentCode] ?? parentCode
            let label = name.map { f.attributes[$0].description } ?? ""
            list.append(
                PlanningUnit(
                    id: code, name: parentCode == code ? label : "\(label) (piece \(code))",
                    canton: String(geo.prefix(4)),
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
        var territory = try Territory(units: list, edges: graph.edges.map { ($0.a, $0.b) }, links: linkPairs)
        var proposedAll = proposed
        if links == "auto" {
            // Then the cantones in pieces, joined to their largest part.
            let inner = territory.proposeCantonLinks(metric: GeodesicMetric())
            proposedAll += inner
            linkPairs += inner.map { ($0.from, $0.to) }
            territory = try Territory(units: list, edges: graph.edges.map { ($0.a, $0.b) }, links: linkPairs)
        }
        let zones = try ZoneTable(rows: try rows(zonas), source: zonas)
        let rules = PlanningRules(
            distritoTarget: distritoTarget, circuitoTarget: circuitoTarget, tolerance: tolerance,
            splitCantonAbove: splitCantonAbove, strictBalance: strictBalance)
        return Loaded(
            territory: territory, zones: zones, rules: rules, layer: layer, proposedLinks: proposedAll,
            linksUsed: linkPairs, splits: splits)
    }

    /// Divides parroquias above 1.5 × the piece target with ``UnitSplitter``.
    func splitUnits(_ layer: Layer, circuitosTotal: Int?) throws -> (Layer, [SplitRecord]) {
        let pop = try layer.requireField(populationField)
        let people = layer.features.reduce(0.0) { $0 + ($1.attributes[pop].number ?? 0) }
        let target = circuitosTotal.map { people / Double(max(1, $0)) } ?? Double(circuitoTarget)
        var splitter = UnitSplitter(
            idField: unitId, populationField: populationField, target: target, splitAbove: Int(1.5 * target))
        if let splitPoints {
            splitter.points = try WeightedPointsFile.read(
                splitPoints, weightColumn: splitWeight, to: layer.crs ?? .wgs84
            ).map { WeightedPoint($0.target, weight: $0.weight) }
        }
        return try splitter.split(layer)
    }

    /// A plan from a CSV (unit → distrito[, circuito]) or from polygons with `distrito` (and
    /// optionally `circuito`) fields: each unit goes to the polygon holding its interior point.
    func readPlan(_ path: String, loaded: Loaded) throws -> Plan {
        guard !path.lowercased().hasSuffix(".csv") else {
            let table = try CSVTable.read(path)
            return try Plan.read(header: table.header, rows: table.rows, source: path)
        }
        let polygons = try LayerIO.read(path)
        guard let distrito = polygons.fieldIndex("distrito") else {
            throw GISError(
                .usage, operation: "read plan polygons", file: path, field: "distrito",
                message:
                    "plan polygons need a 'distrito' field; they have: \(polygons.fields.map(\.name).joined(separator: ", "))"
            )
        }
        let circuito = polygons.fieldIndex("circuito")
        let context = GeometryContext()
        let locator = try PolygonLocator(try LayerGeometries(polygons, context: context))
        let toPlan = try ProjContext().transform(from: .wgs84, to: polygons.crs ?? .wgs84)
        var assignments: [String: Plan.Assignment] = [:]
        for u in loaded.territory.units {
            let point = try toPlan.apply(Coordinate(u.location.lon, u.location.lat))
            guard let i = try locator.locate(point) else { continue }
            let f = polygons.features[i]
            let d = f.attributes[distrito].description
            guard !d.isEmpty else { continue }
            let c = circuito.map { f.attributes[$0].description } ?? ""
            assignments[u.id] = Plan.Assignment(distritos: [d], circuitos: c.isEmpty ? [] : [c])
        }
        return Plan(source: path, assignments: assignments)
    }
}
