import Cartography
import Foundation
import GIS
import Planning

/// `territorio report`: one self-contained HTML page and the same content in Markdown for a
/// whole analysis — the plan (map, balance and distance tables, validation), access (a coverage
/// map per service type, the worst units) and services (deficit and cost, the proposed sites,
/// the spending trajectory per scenario, the budget needed) — from the folders earlier runs
/// wrote. Writes report.html, report.md and the maps and charts the Markdown shows.
public enum ReportWorkflow {
    public static func run(_ settings: ReportSettings, into out: OutputSet, log: WorkflowLog) throws -> ReportDocument {
        let settings = try settings.validated()
        let w = ReportWords(language: settings.language)
        var doc = ReportDocument(
            title: settings.title ?? w("Informe de planificación territorial", "Territorial planning report"),
            language: settings.language.rawValue)
        var inputs: [String] = []
        if let p = settings.plan { inputs.append(w("plan: ", "plan: ") + p) }
        if let a = settings.access { inputs.append(w("accesibilidad: ", "access: ") + a) }
        if let s = settings.services { inputs.append(w("servicios: ", "services: ") + s) }
        doc.blocks.append(.paragraph(w("Resultados reunidos de:", "Results put together from:")))
        doc.blocks.append(.list(inputs))
        if let plan = settings.plan { try planSection(plan, settings: settings, into: &doc, log: log) }
        if let access = settings.access { try accessSection(access, settings: settings, into: &doc, log: log) }
        if let services = settings.services {
            try servicesSection(services, plan: settings.plan, settings: settings, into: &doc, log: log)
        }
        log.step("writing the report")
        try out.write(doc.html(), to: "report.html")
        try out.write(doc.markdown(), to: "report.md")
        for (name, bytes) in doc.files { try out.write(Data(bytes), to: name) }
        return doc
    }

    // MARK: inputs

    static func json(_ path: String) throws -> [String: Any] {
        guard FileManager.default.fileExists(atPath: path) else {
            throw GISError(.input, operation: "read report input", file: path, message: "no such file")
        }
        do {
            let data = try Data(contentsOf: URL(fileURLWithPath: path))
            guard let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
                throw GISError(.input, operation: "read report input", file: path, message: "not a JSON object")
            }
            return object
        } catch let e as GISError {
            throw e
        } catch {
            throw GISError(.input, operation: "read report input", file: path, message: error.localizedDescription)
        }
    }

    static func number(_ v: Any?) -> Double? {
        switch v {
        case let d as Double: d
        case let i as Int: Double(i)
        case let n as NSNumber: n.doubleValue
        default: nil
        }
    }

    /// A CSV table as dictionaries by column; nil when the file is absent.
    static func table(_ path: String) throws -> [[String: String]]? {
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        let t = try CSVTable.read(path)
        return t.rows.map { row in
            var d: [String: String] = [:]
            for (k, name) in t.header.enumerated() where k < row.count { d[name] = row[k] }
            return d
        }
    }

    static func map(_ settings: MapSettings, width: Int, log: WorkflowLog) throws -> [UInt8] {
        var s = settings
        s.width = width
        let (page, _) = try MapWorkflow.makePage(s, log: log)
        return try MapRenderer.render(page, format: .png).bytes
    }

    // MARK: plan

    static func planSection(_ dir: String, settings: ReportSettings, into doc: inout ReportDocument, log: WorkflowLog)
        throws
    {
        let w = ReportWords(language: settings.language)
        let n = { (v: Double, d: Int) in settings.language.number(v, decimals: d) }
        let report = try json(dir + "/report.json")
        doc.blocks.append(.heading(level: 1, text: w("Distritos y circuitos", "Distritos and circuitos")))
        let distritosLayer = dir + "/distritos.geojson"
        if FileManager.default.fileExists(atPath: distritosLayer) {
            log.step("drawing the plan")
            var m = MapSettings(layer: distritosLayer, output: "plan.png")
            m.theme = .categories(field: "distrito", dissolve: false)
            if FileManager.default.fileExists(atPath: dir + "/circuitos.geojson") {
                m.overlays = [dir + "/circuitos.geojson"]
            }
            m.title = w(
                "Distritos (color) y circuitos (líneas grises)", "Distritos (colour) and circuitos (grey lines)")
            m.language = settings.language
            doc.blocks.append(
                .image(
                    file: "maps/plan.png", png: try map(m, width: settings.mapWidth, log: log),
                    caption: w(
                        "Ningún par de distritos vecinos comparte color.",
                        "No two neighbouring distritos share a colour.")))
        }
        var summary: [[String]] = []
        for (key, name) in [("distritos_summary", "distritos"), ("circuitos_summary", "circuitos")] {
            guard let s = report[key] as? [String: Any] else { continue }
            summary.append([
                name, n(number(s["count"]) ?? 0, 0), n(100 * (number(s["mean_abs_deviation"]) ?? 0), 1),
                n(100 * (number(s["max_abs_deviation"]) ?? 0), 1), n(number(s["mean_inertia_km"]) ?? 0, 1),
                n(number(s["mean_access_km"]) ?? 0, 1),
            ])
        }
        doc.blocks.append(
            .table(
                header: [
                    w("nivel", "level"), w("unidades", "units"), w("desviación media |%|", "mean |deviation| %"),
                    w("desviación máxima |%|", "max |deviation| %"), w("compacidad (km)", "compactness (km)"),
                    w("distancia media a la sede (km)", "mean distance to seat (km)"),
                ], rows: summary, numeric: [1, 2, 3, 4, 5]))
        let valid = report["valid"] as? Bool ?? false
        let violations = report["violations"] as? [[String: Any]] ?? []
        let warnings = report["warnings"] as? [[String: Any]] ?? []
        doc.blocks.append(.heading(level: 2, text: w("Validación", "Validation")))
        doc.blocks.append(
            .paragraph(
                valid
                    ? w("El plan cumple todas las reglas obligatorias", "The plan meets every hard rule")
                        + w(" (\(warnings.count) advertencias).", " (\(warnings.count) warnings).")
                    : w(
                        "El plan NO cumple las reglas: \(violations.count) incumplimientos.",
                        "The plan breaks the rules: \(violations.count) violations.")))
        let listed = (violations + warnings).prefix(15).map {
            "\($0["rule"] as? String ?? "") · \($0["unit"] as? String ?? ""): \($0["message"] as? String ?? "")"
        }
        if !listed.isEmpty { doc.blocks.append(.list(Array(listed))) }
        if let zonas = report["zonas"] as? [String: [String]], !zonas.isEmpty,
            let distritos = report["distritos"] as? [[String: Any]]
        {
            var byCode: [String: [String: Any]] = [:]
            for d in distritos { if let c = d["code"] as? String { byCode[c] = d } }
            doc.blocks.append(.heading(level: 2, text: w("Por zona", "Per zona")))
            doc.blocks.append(
                .table(
                    header: [
                        w("zona", "zona"), w("distritos", "distritos"), w("población", "population"),
                        w("desviación media |%|", "mean |deviation| %"),
                        w("distancia media a la sede (km)", "mean distance to seat (km)"),
                    ],
                    rows: zonas.sorted { (Int($0.key) ?? 99, $0.key) < (Int($1.key) ?? 99, $1.key) }.map {
                        zona, codes in
                        let members = codes.compactMap { byCode[$0] }
                        let people = members.reduce(0.0) { $0 + (number($1["population"]) ?? 0) }
                        let k = Double(max(1, members.count))
                        let dev = members.reduce(0.0) { $0 + abs(number($1["deviation"]) ?? 0) } / k
                        let access = members.reduce(0.0) { $0 + (number($1["access_km"]) ?? 0) } / k
                        return [zona, n(Double(codes.count), 0), n(people, 0), n(100 * dev, 1), n(access, 1)]
                    }, numeric: [1, 2, 3, 4]))
        }
        if let distritos = report["distritos"] as? [[String: Any]], !distritos.isEmpty {
            doc.blocks.append(
                .heading(
                    level: 2, text: w("Equilibrio y distancias por distrito", "Balance and distances per distrito")))
            doc.blocks.append(
                .table(
                    header: [
                        w("distrito", "distrito"), w("población", "population"), w("desviación %", "deviation %"),
                        w("parroquias", "parroquias"), w("sede", "seat"), w("compacidad (km)", "compactness (km)"),
                        w("distancia a la sede (km)", "distance to seat (km)"),
                    ],
                    rows: distritos.map {
                        [
                            $0["code"] as? String ?? "", n(number($0["population"]) ?? 0, 0),
                            n(100 * (number($0["deviation"]) ?? 0), 1), n(number($0["parroquias"]) ?? 0, 0),
                            $0["seat"] as? String ?? "", n(number($0["inertia_km"]) ?? 0, 1),
                            n(number($0["access_km"]) ?? 0, 1),
                        ]
                    }, numeric: [1, 2, 3, 5, 6]))
        }
    }

    // MARK: access

    static func accessSection(_ dir: String, settings: ReportSettings, into doc: inout ReportDocument, log: WorkflowLog)
        throws
    {
        let w = ReportWords(language: settings.language)
        let n = { (v: Double, d: Int) in settings.language.number(v, decimals: d) }
        let report = try json(dir + "/report.json")
        let types = report["types"] as? [String] ?? []
        let thresholds = report["thresholds"] as? [String] ?? []
        doc.blocks.append(.heading(level: 1, text: w("Accesibilidad", "Access")))
        if let travel = report["travel"] as? [String: Any], let d = travel["description"] as? String {
            doc.blocks.append(.paragraph(w("Tiempos de viaje: ", "Travel times: ") + d + "."))
        }
        guard let threshold = thresholds.first else { return }
        let units = try LayerIO.read(dir + "/units.geojson")
        let unitField = try units.requireField("unit"), popField = try units.requireField("population")
        // With the plan, the worst places are circuitos (the plan's units must be the access
        // units: a plan of split pieces is not matched to whole parroquias).
        var circuitoOf: [String: String] = [:]
        if let plan = settings.plan, let rows = try table(plan + "/plan.csv") {
            for r in rows {
                if let unit = r["dpa_parroq"], let c = r["circuito"], !c.isEmpty { circuitoOf[unit] = c }
            }
            let matched = units.features.filter { circuitoOf[$0.attributes[unitField].description] != nil }.count
            if matched * 2 < units.features.count {
                doc.blocks.append(
                    .paragraph(
                        w(
                            "Solo \(matched) de \(units.features.count) unidades del análisis de acceso están en el plan: se listan unidades, no circuitos.",
                            "Only \(matched) of \(units.features.count) units of the access run are in the plan: units are listed, not circuitos."
                        )))
                circuitoOf = [:]
            } else if matched < units.features.count {
                let left = units.features.filter { circuitoOf[$0.attributes[unitField].description] == nil }
                let people = left.reduce(0.0) { $0 + ($1.attributes[popField].number ?? 0) }
                doc.blocks.append(
                    .paragraph(
                        w(
                            "\(left.count) unidades del análisis de acceso (\(n(people, 0)) personas) no son unidades del plan (parroquias divididas en partes): no cuentan en los circuitos listados.",
                            "\(left.count) units of the access run (\(n(people, 0)) people) are not units of the plan (parroquias split into pieces): they do not count in the circuitos listed."
                        )))
            }
        }
        var national: [[String]] = []
        var perType: [ReportDocument.Block] = []
        for type in types {
            let shareName = "\(type)_share_within_\(threshold)"
            guard let share = units.fieldIndex(shareName) else { continue }
            let within = units.fieldIndex("\(type)_pop_within_\(threshold)")
            let meanMin = units.fieldIndex("\(type)_mean_min")
            var people = 0.0, reached = 0.0
            for f in units.features {
                people += f.attributes[popField].number ?? 0
                reached += within.flatMap { f.attributes[$0].number } ?? 0
            }
            national.append([type, n(100 * reached / max(people, 1), 1), n(people - reached, 0)])
            log.step("drawing access to \(type)")
            var m = MapSettings(layer: dir + "/units.geojson", output: "\(type).png")
            m.theme = .choropleth(
                field: shareName, classes: 5, method: .naturalBreaks, palette: .ylgnbu, reversed: true)
            m.title = w("Población a \(threshold) de: \(type)", "Population within \(threshold) of: \(type)")
            m.language = settings.language
            m.drawLabels = false
            perType.append(.heading(level: 2, text: type))
            perType.append(
                .image(
                    file: "maps/access_\(type).png", png: try map(m, width: settings.mapWidth, log: log),
                    caption: w(
                        "Proporción de la población a \(threshold) o menos; oscuro = menor cobertura.",
                        "Share of the population within \(threshold); dark = lower coverage.")))
            if !circuitoOf.isEmpty, let within {
                // Per circuito: the plan's units pooled, coverage and minutes weighted by people.
                var pool: [String: (people: Double, reached: Double, minutes: Double)] = [:]
                for f in units.features {
                    guard let c = circuitoOf[f.attributes[unitField].description] else { continue }
                    let people = f.attributes[popField].number ?? 0
                    pool[c, default: (0, 0, 0)].people += people
                    pool[c, default: (0, 0, 0)].reached += f.attributes[within].number ?? 0
                    pool[c, default: (0, 0, 0)].minutes += people * (meanMin.flatMap { f.attributes[$0].number } ?? 0)
                }
                let worst = pool.filter { $0.value.people > 0 }.sorted {
                    let a = $0.value.reached / $0.value.people, b = $1.value.reached / $1.value.people
                    if a != b { return a < b }
                    return $0.value.people != $1.value.people ? $0.value.people > $1.value.people : $0.key < $1.key
                }.prefix(10)
                perType.append(
                    .table(
                        header: [
                            w("circuito", "circuito"), w("población", "population"),
                            w("a \(threshold) (%)", "within \(threshold) (%)"), w("minutos medios", "mean minutes"),
                        ],
                        rows: worst.map { c, v in
                            [c, n(v.people, 0), n(100 * v.reached / v.people, 1), n(v.minutes / v.people, 1)]
                        }, numeric: [1, 2, 3]))
                continue
            }
            let worst = units.features.filter { ($0.attributes[popField].number ?? 0) > 0 }.sorted {
                let a = $0.attributes[share].number ?? 0, b = $1.attributes[share].number ?? 0
                if a != b { return a < b }
                let pa = $0.attributes[popField].number ?? 0, pb = $1.attributes[popField].number ?? 0
                return pa != pb ? pa > pb : $0.attributes[unitField].description < $1.attributes[unitField].description
            }.prefix(10)
            perType.append(
                .table(
                    header: [
                        w("unidad", "unit"), w("población", "population"),
                        w("a \(threshold) (%)", "within \(threshold) (%)"),
                        w("minutos medios", "mean minutes"),
                    ],
                    rows: worst.map { f in
                        [
                            f.attributes[unitField].description, n(f.attributes[popField].number ?? 0, 0),
                            n(100 * (f.attributes[share].number ?? 0), 1),
                            meanMin.flatMap { f.attributes[$0].number }.map { n($0, 1) } ?? "–",
                        ]
                    }, numeric: [1, 2, 3]))
        }
        doc.blocks.append(
            .table(
                header: [
                    w("tipo", "type"), w("población a \(threshold) (%)", "population within \(threshold) (%)"),
                    w("personas más lejos", "people farther"),
                ], rows: national, numeric: [1, 2]))
        doc.blocks.append(
            .paragraph(
                w(
                    "Por tipo: el mapa de cobertura y \(circuitoOf.isEmpty ? "las diez unidades" : "los diez circuitos") con menor cobertura (a igualdad, los más poblados).",
                    "Per type: the coverage map and the ten \(circuitoOf.isEmpty ? "units" : "circuitos") with the lowest coverage (ties: the most populated)."
                )
            ))
        doc.blocks += perType
    }

    // MARK: services

    static func servicesSection(
        _ dir: String, plan: String?, settings: ReportSettings, into doc: inout ReportDocument, log: WorkflowLog
    ) throws {
        let w = ReportWords(language: settings.language)
        let n = { (v: Double, d: Int) in settings.language.number(v, decimals: d) }
        doc.blocks.append(
            .heading(level: 1, text: w("Servicios: oferta, déficit y costo", "Services: offer, deficit and cost")))
        guard let nation = try table(dir + "/deficit_nation.csv") else {
            throw GISError(
                .input, operation: "read report input", file: dir + "/deficit_nation.csv",
                message: "no such file: --services takes a deficit, cost, place or schedule folder")
        }
        var investment = 0.0, recurrent = 0.0
        let rows = nation.map { r -> [String] in
            let inv = Double(r["investment"] ?? "") ?? 0, rec = Double(r["recurrent"] ?? "") ?? 0
            investment += inv
            recurrent += rec
            return [
                r["sector"] ?? "", r["typology"] ?? "", r["required"] ?? "", r["current"] ?? "", r["missing"] ?? "",
                r["repairs"] ?? "", n(inv, 0), n(rec, 0),
            ]
        }
        doc.blocks.append(
            .table(
                header: [
                    w("sector", "sector"), w("tipología", "typology"), w("ideal", "required"), w("actual", "current"),
                    w("faltan", "missing"), w("a reparar", "to repair"), w("inversión (USD)", "investment (USD)"),
                    w("gasto corriente (USD/año)", "recurrent (USD/year)"),
                ], rows: rows, numeric: [2, 3, 4, 5, 6, 7]))
        doc.blocks.append(
            .paragraph(
                w(
                    "Presupuesto necesario para cerrar el déficit: \(n(investment, 0)) USD de inversión y \(n(recurrent, 0)) USD al año de gasto corriente.",
                    "Budget needed to close the deficit: \(n(investment, 0)) USD of investment and \(n(recurrent, 0)) USD a year of recurrent spending."
                )))
        for (level, heading) in [
            ("zona", w("Déficit por zona", "Deficit per zona")),
            ("distrito", w("Déficit por distrito", "Deficit per distrito")),
            (
                "circuito",
                w(
                    "Déficit por circuito (los 15 de mayor inversión)",
                    "Deficit per circuito (the 15 with the largest investment)")
            ),
        ] {
            guard let rows = try table(dir + "/deficit_\(level).csv") else { continue }
            var byCode: [String: (missing: Double, gross: Double, investment: Double, recurrent: Double)] = [:]
            for r in rows {
                let code = r["code"] ?? ""
                let missing = Double(r["missing"] ?? "") ?? 0
                byCode[code, default: (0, 0, 0, 0)].missing += missing
                // Tables written before the private offer was netted have no gross column.
                byCode[code, default: (0, 0, 0, 0)].gross += Double(r["missing_gross"] ?? "") ?? missing
                byCode[code, default: (0, 0, 0, 0)].investment += Double(r["investment"] ?? "") ?? 0
                byCode[code, default: (0, 0, 0, 0)].recurrent += Double(r["recurrent"] ?? "") ?? 0
            }
            let netted = byCode.values.contains { $0.gross != $0.missing }
            var ordered = byCode.sorted { $0.key < $1.key }
            if level == "circuito" {
                ordered = Array(
                    ordered.sorted {
                        $0.value.investment != $1.value.investment
                            ? $0.value.investment > $1.value.investment : $0.key < $1.key
                    }.prefix(15))
            }
            doc.blocks.append(.heading(level: 2, text: heading))
            let grossHeader =
                netted ? [w("faltantes sin contar la oferta privada", "missing without the private offer")] : []
            doc.blocks.append(
                .table(
                    header: [level, w("establecimientos faltantes", "missing establishments")] + grossHeader + [
                        w("inversión (USD)", "investment (USD)"),
                        w("gasto corriente (USD/año)", "recurrent (USD/year)"),
                    ],
                    rows: ordered.map {
                        [$0.key, n($0.value.missing, 0)] + (netted ? [n($0.value.gross, 0)] : []) + [
                            n($0.value.investment, 0), n($0.value.recurrent, 0),
                        ]
                    },
                    numeric: netted ? [1, 2, 3, 4] : [1, 2, 3]))
        }
        if FileManager.default.fileExists(atPath: dir + "/sites.geojson") {
            log.step("drawing the proposed sites")
            let base = plan.map { $0 + "/distritos.geojson" }.flatMap {
                FileManager.default.fileExists(atPath: $0) ? $0 : nil
            }
            var m = MapSettings(layer: base ?? dir + "/sites.geojson", output: "sites.png")
            if base != nil { m.theme = .categories(field: "distrito", dissolve: false) }
            m.points = dir + "/sites.geojson"
            m.pointClassField = "typology"
            m.title = w("Sitios propuestos por tipología", "Proposed sites by typology")
            m.language = settings.language
            doc.blocks.append(.heading(level: 2, text: w("Dónde construir", "Where to build")))
            doc.blocks.append(
                .image(
                    file: "maps/sites.png", png: try map(m, width: settings.mapWidth, log: log),
                    caption: w(
                        "Cada símbolo es un establecimiento propuesto donde está la población sin servicio.",
                        "Each symbol is an establishment proposed where the unserved people are.")))
        }
        let scenarioFiles = ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? [])
            .filter { $0.hasPrefix("schedule_") && $0.hasSuffix(".csv") }.sorted()
        guard !scenarioFiles.isEmpty else { return }
        doc.blocks.append(.heading(level: 2, text: w("Trayectoria por escenario", "Trajectory per scenario")))
        var series: [LineChart.Series] = []
        var closing: [[String]] = []
        var sectors: [String] = []
        for file in scenarioFiles {
            guard let rows = try table(dir + "/" + file) else { continue }
            let name = String(file.dropFirst("schedule_".count).dropLast(4))
            var spending: [Int: Double] = [:]
            var left: [String: [(year: Int, left: Int)]] = [:]
            var lastYear = 0
            for r in rows {
                guard let year = Int(r["year"] ?? "") else { continue }
                lastYear = max(lastYear, year)
                spending[year, default: 0] += Double(r["spending"] ?? "") ?? 0
                let sector = r["sector"] ?? ""
                if !sectors.contains(sector) { sectors.append(sector) }
                left[sector, default: []].append((year, Int(r["establishments_left"] ?? "") ?? 1))
            }
            // As the schedule defines it: the first year from whose end on nothing is left
            // (growth may ask for more after a year with nothing left).
            var closes: [String: Int] = [:]
            for (sector, list) in left {
                let ordered = list.sorted { $0.year < $1.year }
                if let t = Scheduler.closingYear(ordered.map(\.left)) { closes[sector] = ordered[t].year }
            }
            series.append(
                LineChart.Series(
                    name: name, points: spending.sorted { $0.key < $1.key }.map { ($0.key, $0.value / 1e6) }))
            closing.append(
                [name] + sectors.map { closes[$0].map(String.init) ?? w("después de \(lastYear)", "after \(lastYear)") }
            )
        }
        let chart = LineChart(
            series: series, yLabel: w("gasto anual (millones USD)", "yearly spending (million USD)"),
            language: settings.language)
        doc.blocks.append(
            .drawing(
                file: "charts/spending.svg", svg: chart.svg(),
                caption: w(
                    "Inversión y gasto corriente programados por año en cada escenario del PIB.",
                    "Investment and recurrent spending scheduled per year under each GDP scenario.")))
        doc.blocks.append(
            .paragraph(w("Año en que se cierra el déficit de cada sector:", "Year each sector's deficit closes:")))
        doc.blocks.append(
            .table(
                header: [w("escenario", "scenario")] + sectors,
                rows: closing.map { $0 + Array(repeating: "", count: max(0, sectors.count + 1 - $0.count)) },
                numeric: []))
        // The source's first result: the resources needed to close the gap by a year.
        if let needed = try table(dir + "/budget_needed.csv"), !needed.isEmpty {
            doc.blocks.append(
                .heading(
                    level: 2, text: w("Recursos necesarios para cerrar el déficit", "Resources needed to close the gap")
                ))
            doc.blocks.append(
                .table(
                    header: [
                        w("escenario", "scenario"), w("cerrar hasta", "close by"), w("% del PIB", "% of GDP"),
                        w("monto el primer año (USD)", "amount in year 1 (USD)"),
                        w("% del PIB del escenario", "the scenario's % of GDP"),
                    ],
                    rows: needed.map { r in
                        let share = Double(r["programme_share_percent"] ?? "")
                        return [
                            r["scenario"] ?? "", r["close_by"] ?? "",
                            share.map { n($0, 4) } ?? w("no alcanzable", "not reachable"),
                            (Double(r["budget_first_year"] ?? "")).map { n($0, 0) } ?? "",
                            (Double(r["scenario_share_percent"] ?? "")).map { n($0, 4) } ?? "",
                        ]
                    }, numeric: [2, 3, 4]))
        }
    }
}
