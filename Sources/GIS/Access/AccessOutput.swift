import Foundation

/// Writes an ``AccessResult`` as tables and maps a planner can open: per-unit CSV and JSON, a
/// GeoJSON of the units with the measures as properties, a per-establishment CSV and a JSON
/// report of where population and establishments went.
public enum AccessOutput {
    /// Per-unit columns: name and value per unit.
    /// A figure rounded for tables; null when missing or not finite.
    /// Write figures with all their digits (shortest round-trip decimal) instead of rounded:
    /// set with `AccessOutput.$fullPrecision.withValue(true) { … }`.
    @TaskLocal public static var fullPrecision = false

    static func num(_ d: Double?, _ decimals: Int = 3) -> AttributeValue {
        guard let d, d.isFinite else { return .null }
        if fullPrecision { return .decimal(d) }
        let scale = pow(10, Double(decimals))
        return .decimal((d * scale).rounded() / scale)
    }

    public static func unitColumns(_ r: AccessResult) -> [(name: String, values: [AttributeValue])] {
        var columns: [(String, [AttributeValue])] = []
        columns.append(("unit", r.unitIDs.map { .text($0) }))
        columns.append(("population", r.units.map { num($0.first?.population, 1) }))
        for (t, type) in r.types.enumerated() {
            let m = r.units.map { $0[t] }
            columns.append(("\(type)_mean_min", m.map { num($0.meanMinutes) }))
            columns.append(("\(type)_median_min", m.map { num($0.medianMinutes) }))
            columns.append(("\(type)_p90_min", m.map { num($0.p90Minutes) }))
            columns.append(("\(type)_mean_km", m.map { num($0.meanMetres.map { $0 / 1_000 }) }))
            for (k, th) in r.thresholds.enumerated() {
                columns.append(("\(type)_share_within_\(th)", m.map { num($0.coveredShare[k], 4) }))
                columns.append(
                    ("\(type)_share_beyond_\(th)", m.map { $0.population > 0 ? num(1 - $0.coveredShare[k], 4) : .null })
                )
                columns.append(("\(type)_pop_within_\(th)", m.map { num($0.coveredPopulation[k], 1) }))
            }
            columns.append(("\(type)_unreachable", m.map { num($0.unreachable, 1) }))
            for (k, d) in r.decays.enumerated() {
                columns.append(("\(type)_2sfca_\(d.columnName)_per1000", m.map { num($0.catchment[k], 5) }))
            }
            columns.append(("\(type)_crowding", m.map { num($0.crowding, 1) }))
            if m.contains(where: { $0.served != nil }) {
                columns.append(("\(type)_served", m.map { num($0.served, 1) }))
                columns.append(("\(type)_unserved", m.map { num($0.unserved, 1) }))
            }
        }
        return columns
    }

    static func csv(_ columns: [(name: String, values: [AttributeValue])], rows: Int) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity((rows + 1) * columns.count * 8)
        for (i, c) in columns.enumerated() {
            if i > 0 { bytes.append(UInt8(ascii: ",")) }
            CSVText.append(field: c.name, to: &bytes)
        }
        for r in 0..<rows {
            bytes.append(UInt8(ascii: "\n"))
            for (i, c) in columns.enumerated() {
                if i > 0 { bytes.append(UInt8(ascii: ",")) }
                if case .decimal(let d) = c.values[r] {
                    bytes.append(contentsOf: JSONText.number(d).utf8)
                } else {
                    CSVText.append(field: c.values[r].description, to: &bytes)
                }
            }
        }
        bytes.append(UInt8(ascii: "\n"))
        return String(decoding: bytes, as: UTF8.self)
    }

    static func json(_ columns: [(name: String, values: [AttributeValue])], rows: Int) -> String {
        var out: [String] = []
        for r in 0..<rows {
            out.append(
                "{"
                    + columns.map { JSONText.quoted($0.name) + ":" + GeoJSONWriter.json($0.values[r]) }.joined(
                        separator: ",") + "}")
        }
        return "[\n" + out.joined(separator: ",\n") + "\n]\n"
    }

    public static func establishmentColumns(_ r: AccessResult, supply: Supply) -> [(
        name: String, values: [AttributeValue]
    )] {
        let e = r.establishments.filter { r.types.contains(supply.establishments[$0.index].type) }
        return [
            ("id", e.map { .text(supply.establishments[$0.index].id) }),
            ("type", e.map { .text(supply.establishments[$0.index].type) }),
            ("unit", e.map { m in supply.establishments[m.index].unit.map { .text(r.unitIDs[$0]) } ?? .null }),
            ("lon", e.map { .decimal(supply.establishments[$0.index].location.x) }),
            ("lat", e.map { .decimal(supply.establishments[$0.index].location.y) }),
            ("capacity", e.map { num(supply.establishments[$0.index].capacity, 1) }),
            ("catchment_population", e.map { num($0.catchmentPopulation, 1) }),
            ("demand_within_catchment", e.map { num($0.demandReached, 1) }),
            ("ratio_per1000", e.map { num($0.ratioPer1000, 5) }),
            ("allocated", e.map { num($0.allocated, 1) }),
            ("utilisation", e.map { num($0.utilisation, 4) }),
        ]
    }

    public static func report(_ r: AccessResult, network: RoadNetworkReport?) -> String {
        let p = r.population
        func q(_ s: String) -> String { JSONText.quoted(s) }
        func list(_ xs: [String]) -> String { "[" + xs.map(q).joined(separator: ",") + "]" }
        var parts: [String] = []
        parts.append("\"travel\":{\"model\":\(q(r.model)),\"description\":\(q(r.modelDescription))}")
        parts.append("\"types\":\(list(r.types))")
        parts.append("\"thresholds\":\(list(r.thresholds.map(\.description)))")
        parts.append("\"catchment\":\(q(r.catchment.description)),\"decays\":\(list(r.decays.map(\.description)))")
        parts.append(
            "\"population\":{\"input\":\(JSONText.number(p.input)),\"counted_in_units\":\(JSONText.number(p.counted)),\"outside_units\":{\"points\":\(p.outsidePoints),\"population\":\(JSONText.number(p.outsidePopulation))},\"balanced\":\(p.balanced),\"fallback_polygons\":\(list(p.fallbackPolygons)),\"points_outside_population_polygons\":\(p.pointsOutsidePolygons),\"units_without_population\":\(list(p.emptyUnits)),\"bad_values\":\(list(p.badValues))}"
        )
        let s = r.supply
        parts.append(
            "\"establishments\":{\"records\":\(s.records),\"per_type\":{\(s.perType.sorted { $0.key < $1.key }.map { "\(q($0.key)):\($0.value)" }.joined(separator: ","))},\"unmapped_types\":{\(s.unmappedTypes.sorted { $0.key < $1.key }.map { "\(q($0.key)):\($0.value)" }.joined(separator: ","))},\"rejected\":\(list(s.rejected)),\"outside_units\":\(list(s.outsideUnits)),\"duplicates\":[\(s.duplicates.map { "{\"kept\":\(q($0.kept)),\"duplicate\":\(q($0.duplicate)),\"metres\":\(JSONText.fixed($0.metres, decimals: 2))}" }.joined(separator: ","))],\"duplicates_merged\":\(s.duplicatesMerged)}"
        )
        if let n = network {
            parts.append(
                "\"road_network\":{\"lines\":\(n.lines),\"vertices\":\(n.vertices),\"snapped_vertices\":\(n.snappedVertices),\"components\":\(n.componentSizes.count),\"component_sizes\":[\(n.componentSizes.prefix(20).map(String.init).joined(separator: ","))],\"ferry_edges\":\(n.ferryEdges),\"classes_at_fallback_speed\":{\(n.unknownClasses.sorted { $0.key < $1.key }.map { "\(q($0.key)):\($0.value)" }.joined(separator: ","))}}"
            )
        }
        parts.append(
            "\"equity\":["
                + r.equity.map { e in
                    "{\"type\":\(q(e.type)),\"group\":\(e.group.map(q) ?? "null"),\"units\":\(e.units),\"gini_mean_minutes\":\(e.gini.map { JSONText.fixed($0, decimals: 4) } ?? "null"),\"palma_mean_minutes\":\(e.palma.map { JSONText.fixed($0, decimals: 4) } ?? "null")}"
                }.joined(separator: ",") + "]")
        parts.append("\"warnings\":\(list(r.warnings))")
        return "{" + parts.joined(separator: ",\n") + "}\n"
    }

    /// Writes every output into `folder`; returns the paths written. `unitGeometries`, when
    /// given, are the units' map geometries made ahead (``GeoJSONWriter/geometryTexts(of:)``).
    @discardableResult
    public static func write(
        _ r: AccessResult, supply: Supply, units: Layer, network: RoadNetworkReport?, basins: Bool, to folder: String,
        context: GeometryContext, proj: ProjContext, unitGeometries: GeoJSONWriter.GeometryTexts? = nil
    ) throws -> [String] {
        var written: [String] = []
        let columns = unitColumns(r)
        var layer = units
        layer.fields = columns.map { c in
            Field(
                c.name, c.values.first { !$0.isNull }.map { if case .text = $0 { .text } else { .decimal } } ?? .decimal
            )
        }
        for i in layer.features.indices { layer.features[i].attributes = columns.map { $0.values[i] } }
        // The tables run as one more task of the map's parallel loop.
        let frozen = layer
        // Built here, where the task-local precision applies; only formatting runs in the tasks.
        let ecols = establishmentColumns(r, supply: supply)
        let reportText = report(r, network: network)
        let unitRows = r.unitIDs.count
        try GeoJSONWriter().write(frozen, to: folder + "/units.geojson", context: proj, geometries: unitGeometries) {
            try AtomicFile.write(csv(columns, rows: unitRows), to: folder + "/units.csv")
            try AtomicFile.write(json(columns, rows: unitRows), to: folder + "/units.json")
            try AtomicFile.write(csv(ecols, rows: ecols.first?.values.count ?? 0), to: folder + "/establishments.csv")
            try AtomicFile.write(reportText, to: folder + "/report.json")
        }
        written += ["units.csv", "units.json", "units.geojson", "establishments.csv", "report.json"].map {
            folder + "/" + $0
        }
        if basins {
            let area = try ProximityBasins.studyArea(units, context: context)
            for type in r.types {
                let cells = try ProximityBasins.compute(
                    supply: supply, candidates: supply.of(type: type), area: area, crs: units.crs, context: context,
                    proj: proj)
                let features = cells.map { (j, g) in
                    Feature(
                        geometry: g,
                        attributes: [
                            .text(supply.establishments[j].id), .text(type),
                            .decimal((r.establishments[j].catchmentPopulation * 10).rounded() / 10),
                        ])
                }
                let basinLayer = Layer(
                    source: "basins", kind: .polygon, crs: units.crs,
                    fields: [Field("id", .text), Field("type", .text), Field("catchment_population", .decimal)],
                    features: features)
                let path = folder + "/basins_\(type).geojson"
                try GeoJSONWriter().write(basinLayer, to: path, context: proj)
                written.append(path)
            }
        }
        return written
    }
}
