import Cartography
import Foundation
import GIS

/// What `territorio map` drew.
public struct MapResult: Sendable {
    public var output: String
    public var width: Int
    public var height: Int
    public var bytes: Int
    /// Features drawn in the main frame and in the Galápagos inset.
    public var mainFeatures: Int
    public var insetFeatures: Int
    /// Choropleth: the class limits; categories: how many and how many colours.
    public var breaks: ClassBreaks?
    public var categories: Int?
    public var colours: Int?
    /// Categories: the palette index of each category's colour.
    public var categoryColours: [String: Int] = [:]
    public var points: Int
    public var notes: [String]
}

/// Builds a map of a layer or result — choropleth, plan or plain — with overlays and point
/// symbols, projects it (UTM 17S for the mainland, 15S for the Galápagos inset by default),
/// lays it out and writes a PNG or SVG (``MapRenderer``). The file appears whole or not at all.
public enum MapWorkflow {
    /// West of this longitude a feature belongs to Galápagos (the mainland ends at 81.1° W, the
    /// islands start at 89.2° W).
    public static let galapagosLongitude = -85.0
    /// Categories labelled by default (beyond, the labels would not fit; `--labels` forces them).
    public static let maximumDefaultLabels = 400
    /// Typologies a point layer may have (each gets its own symbol and legend row).
    public static let maximumPointClasses = 24

    public static func run(_ settings: MapSettings, log: WorkflowLog = .silent) throws -> MapResult {
        let settings = try settings.validated()
        let page = try makePage(settings, log: log)
        log.step("drawing \(settings.output)")
        let rendered = try MapRenderer.render(page.page, format: try MapFormat(path: settings.output))
        try AtomicFile.write(Data(rendered.bytes), to: settings.output)
        var result = page.result
        result.output = settings.output
        result.width = rendered.width
        result.height = rendered.height
        result.bytes = rendered.bytes.count
        return result
    }

    /// The page a run would draw, and what it holds (for tests and the report).
    public static func makePage(_ settings: MapSettings, log: WorkflowLog = .silent) throws -> (
        page: MapPage, result: MapResult
    ) {
        log.step("reading \(settings.layer)")
        var layer = try LayerIO.read(settings.layer, options: settings.readOptions)
        var notes: [String] = []
        if let join = settings.join {
            let (joined, report) = try join.apply(to: layer)
            layer = joined
            notes.append(
                "join \(join.table): \(report.matchedFeatures) features matched, \(report.unmatchedFeatures) without a row, "
                    + "\(report.unusedRows) rows without a feature")
        }
        let language = settings.language
        var categoryField: String?
        if case .categories(let field, let dissolve) = settings.theme {
            categoryField = field
            _ = try layer.requireField(field)
            if dissolve {
                log.step("dissolving by \(field)")
                layer = try Dissolve.run(layer, options: .init(keyField: field)).0
            }
        }
        let proj = try ProjContext()
        let sourceCRS = layer.crs ?? .wgs84
        if layer.crs == nil { notes.append("\(settings.layer) has no CRS: read as EPSG:4326 longitude/latitude") }
        let frames = try PanelFrames(settings: settings, proj: proj)

        // Which panel each feature goes to, and its projected geometry.
        log.step("projecting \(layer.features.count) features")
        let toLonLat = try proj.transform(from: sourceCRS, to: .wgs84)
        var panelOf: [Int?] = []
        var projected: [GeometryValue?] = []
        for (i, f) in layer.features.enumerated() {
            guard let g = f.geometry, !g.isEmpty else {
                panelOf.append(nil)
                projected.append(nil)
                continue
            }
            do {
                let p = try frames.panel(of: g.envelope.center, toLonLat: toLonLat)
                panelOf.append(p)
                projected.append(try frames.transform(from: sourceCRS, panel: p).apply(g))
            } catch let e as GISError {
                throw GISError(
                    .input, operation: "project for the map", file: settings.layer, record: i + 1,
                    message: e.message)
            }
        }
        let useInset = settings.inset == .auto && panelOf.contains(1) && panelOf.contains(0)
        if !useInset {
            // Everything in one frame, in one CRS: only the features projected for the inset
            // are projected again.
            for i in panelOf.indices where panelOf[i] == 1 {
                if frames.splitsGalapagos, let g = layer.features[i].geometry {
                    projected[i] = try frames.transform(from: sourceCRS, panel: 0).apply(g)
                }
                panelOf[i] = 0
            }
        }

        // Colours and legend.
        var fills = [MapColour?](repeating: nil, count: layer.features.count)
        var legend: [LegendSection] = []
        var result = MapResult(
            output: settings.output, width: 0, height: 0, bytes: 0, mainFeatures: panelOf.filter { $0 == 0 }.count,
            insetFeatures: panelOf.filter { $0 == 1 }.count, breaks: nil, categories: nil, colours: nil, points: 0,
            notes: [])
        let isPolygonal = layer.features.contains { ($0.geometry?.polygons.isEmpty == false) }
        switch settings.theme {
        case .plain:
            for i in fills.indices { fills[i] = .neutralFill }
        case .choropleth(let field, let classes, let method, let palette, let reversed):
            let fieldIndex = try layer.requireField(field)
            let values = layer.features.map { $0.attributes[fieldIndex].number }
            if values.allSatisfy({ $0 == nil }) && layer.features.contains(where: { !$0.attributes[fieldIndex].isNull })
            {
                throw GISError(
                    .usage, operation: "choropleth", file: settings.layer, field: field,
                    message:
                        "the field is not numeric (\(layer.fields[fieldIndex].type.rawValue)); use --categories for codes"
                )
            }
            guard let breaks = ClassBreaks(values.compactMap { $0 }, classes: classes, method: method) else {
                throw GISError(
                    .input, operation: "choropleth", file: settings.layer, field: field,
                    message: "no feature has a finite value")
            }
            var colours = palette.colours(breaks.classCount)
            if breaks.classCount == 1 { colours = [palette.colours(3)[1]] }
            if reversed { colours.reverse() }
            var counts = [Int](repeating: 0, count: breaks.classCount)
            var missing = 0
            for (i, v) in values.enumerated() {
                if let k = breaks.classIndex(v) {
                    fills[i] = colours[k]
                    counts[k] += 1
                } else {
                    fills[i] = .noData
                    missing += 1
                }
            }
            let decimals = MapLanguage.decimals(forRange: (breaks.upperBounds.last ?? 0) - breaks.minimum)
            var entries: [LegendEntry] = []
            var lower = breaks.minimum
            for (k, upper) in breaks.upperBounds.enumerated() {
                let range =
                    k == 0 && lower == upper
                    ? language.number(upper, decimals: decimals)
                    : "\(language.number(lower, decimals: decimals)) – \(language.number(upper, decimals: decimals))"
                entries.append(LegendEntry(.fill(colours[k]), "\(range)  (\(counts[k]))"))
                lower = upper
            }
            if missing > 0 { entries.append(LegendEntry(.fill(.noData), "\(language.noData)  (\(missing))")) }
            let methodName = Self.methodName(method, language)
            legend.append(LegendSection(title: field, entries: entries, notes: [methodName]))
            result.breaks = breaks
        case .categories(let field, _):
            let fieldIndex = try layer.requireField(field)
            // A null or empty code is no category: drawn as "no data".
            let keys = layer.features.map { $0.attributes[fieldIndex].description.trimmingCharacters(in: .whitespaces) }
            let distinct = Array(Set(keys.filter { !$0.isEmpty })).sorted()
            let indexOf = Dictionary(distinct.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
            log.step("colouring \(distinct.count) categories so that neighbours differ")
            let graph = try Contiguity.build(
                layer, rule: .queen, measure: try GeodesicMeasure(crs: sourceCRS, context: proj))
            var adjacency = [[Int]](repeating: [], count: distinct.count)
            for e in graph.edges {
                guard let a = indexOf[keys[e.a]], let b = indexOf[keys[e.b]], a != b else { continue }
                adjacency[a].append(b)
            }
            let colouring = MapColouring.dsatur(adjacency)
            let used = (colouring.max() ?? -1) + 1
            let palette = QualitativePalette.light
            guard used <= palette.count else {
                throw GISError(
                    .operation, operation: "colour categories", file: settings.layer, field: field,
                    message: "neighbouring categories need \(used) colours, more than the palette's \(palette.count)")
            }
            var missing = 0
            for (i, key) in keys.enumerated() {
                if let k = indexOf[key] {
                    fills[i] = palette[colouring[k]]
                } else {
                    fills[i] = .noData
                    missing += 1
                }
            }
            var section = LegendSection(
                title: field, entries: [],
                notes: [
                    language == .spanish
                        ? "\(distinct.count) categorías en \(used) colores;"
                        : "\(distinct.count) categories in \(used) colours;",
                    language == .spanish ? "vecinas nunca comparten color" : "neighbours never share a colour",
                ])
            if distinct.count <= 12 {
                section.entries = distinct.enumerated().map {
                    LegendEntry(.fill(palette[colouring[$0.offset]]), $0.element)
                }
            }
            if missing > 0 { section.entries.append(LegendEntry(.fill(.noData), "\(language.noData)  (\(missing))")) }
            legend.append(section)
            result.categories = distinct.count
            result.colours = used
            for (k, key) in distinct.enumerated() { result.categoryColours[key] = colouring[k] }
        }

        // Labels at a point inside each feature (GEOS point on surface), largest first.
        var labels: [[MapLabel]] = [[], []]
        // By default a plan is labelled with its codes, unless there are too many to read.
        var labelField = settings.labelField
        if labelField == nil, let f = categoryField {
            let index = try layer.requireField(f)
            if Set(layer.features.map { $0.attributes[index].description }).count <= Self.maximumDefaultLabels {
                labelField = f
            }
        }
        if !settings.drawLabels { labelField = nil }
        if let labelField {
            let index = try layer.requireField(labelField)
            let geos = GeometryContext()
            var best: [String: (panel: Int, label: MapLabel)] = [:]
            var all: [(Int, MapLabel)] = []
            for (i, g) in projected.enumerated() {
                guard let g, let p = panelOf[i], !g.polygons.isEmpty || settings.labelField != nil else { continue }
                let text = layer.features[i].attributes[index].description
                guard !text.isEmpty else { continue }
                let geometry = try geos.geometry(g)
                let label = MapLabel(
                    position: try geometry.pointOnSurface().pointCoordinate(), text: text,
                    priority: try geometry.area())
                if labelField == categoryField {
                    if best[text].map({ $0.label.priority < label.priority }) ?? true { best[text] = (p, label) }
                } else {
                    all.append((p, label))
                }
            }
            for (_, v) in best.sorted(by: { $0.key < $1.key }) { all.append((v.panel, v.label)) }
            for (p, l) in all { labels[p].append(l) }
        }

        // The main layer, then overlays, then points.
        let edge: MapStroke? =
            isPolygonal
            ? MapStroke(
                categoryField != nil ? MapColour(hex: 0x333333) : .white, width: categoryField != nil ? 1.1 : 0.35)
            : nil
        var layers: [[MapLayer]] = [[], []]
        for p in 0..<2 {
            let members = projected.indices.filter { panelOf[$0] == p }
            guard !members.isEmpty else { continue }
            let shapes = members.compactMap { projected[$0] }
            if isPolygonal {
                layers[p].append(.polygons(shapes: shapes, fills: members.map { fills[$0] }, edge: edge))
            } else {
                layers[p].append(.lines(shapes: shapes, stroke: MapStroke(.border, width: 1.2)))
            }
        }
        var boundaryEntries: [LegendEntry] = []
        for (k, path) in settings.overlays.enumerated() {
            log.step("reading \(path)")
            let overlay = try LayerIO.read(path, options: settings.readOptions)
            let crs = overlay.crs ?? .wgs84
            let toLL = try proj.transform(from: crs, to: .wgs84)
            // A finer layer (more features than the map's: circuitos under distritos) is drawn
            // thin and grey; a coarser one (provincias over parroquias) thick and dark.
            let finer = overlay.features.count > layer.features.count
            let stroke =
                finer
                ? MapStroke(MapColour(hex: k == 0 ? 0x666666 : 0x8E6C8A), width: 0.55)
                : MapStroke(MapColour(hex: k == 0 ? 0x1A1A1A : 0x7A0177), width: 1.4)
            var shapes: [[GeometryValue]] = [[], []]
            for (i, f) in overlay.features.enumerated() {
                guard let g = f.geometry, !g.isEmpty else { continue }
                do {
                    let p = useInset ? try frames.panel(of: g.envelope.center, toLonLat: toLL) : 0
                    shapes[p].append(try frames.transform(from: crs, panel: p).apply(g))
                } catch let e as GISError {
                    throw GISError(
                        .input, operation: "project for the map", file: path, record: i + 1, message: e.message)
                }
            }
            for p in 0..<2 where !shapes[p].isEmpty { layers[p].append(.lines(shapes: shapes[p], stroke: stroke)) }
            boundaryEntries.append(
                LegendEntry(.line(stroke), URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent))
        }
        if let pointsPath = settings.points {
            log.step("reading \(pointsPath)")
            let pointLayer = try LayerIO.read(pointsPath, options: settings.readOptions)
            let crs = pointLayer.crs ?? .wgs84
            let toLL = try proj.transform(from: crs, to: .wgs84)
            let classIndex = try settings.pointClassField.map { try pointLayer.requireField($0) }
            let values = pointLayer.features.map { f in classIndex.map { f.attributes[$0].description } ?? "" }
            let kinds = Array(Set(values)).sorted()
            guard kinds.count <= Self.maximumPointClasses else {
                throw GISError(
                    .usage, operation: "map points", file: pointsPath, field: settings.pointClassField,
                    message:
                        "\(kinds.count) distinct values; a typology for symbols has at most \(Self.maximumPointClasses)"
                )
            }
            let kindIndex = Dictionary(kinds.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
            let symbols = kinds.indices.map(MapSymbol.forClass)
            var points: [[Coordinate]] = [[], []], classes: [[Int]] = [[], []]
            var counts = [Int](repeating: 0, count: kinds.count)
            var skipped = 0
            for (i, f) in pointLayer.features.enumerated() {
                guard case .point(let c)? = f.geometry, c.isFinite else {
                    skipped += 1
                    continue
                }
                let k = kindIndex[values[i]] ?? 0
                do {
                    let p = useInset ? try frames.panel(of: c, toLonLat: toLL) : 0
                    points[p].append(try frames.transform(from: crs, panel: p).apply(c))
                    classes[p].append(k)
                } catch let e as GISError {
                    throw GISError(
                        .input, operation: "project for the map", file: pointsPath, record: i + 1, message: e.message)
                }
                counts[k] += 1
            }
            if skipped > 0 {
                notes.append("\(pointsPath): \(skipped) features without a point geometry were not drawn")
            }
            let total = points[0].count + points[1].count
            // Symbols shrink as they get denser (a national school registry is ~18,000 points).
            let density = total > 10_000 ? 0.42 : total > 2000 ? 0.55 : 1
            let size = max(3, min(9, Double(settings.width) / 180 * density))
            for p in 0..<2 where !points[p].isEmpty {
                layers[p].append(.points(points: points[p], classes: classes[p], symbols: symbols, size: size))
            }
            let title =
                settings.pointClassField ?? URL(fileURLWithPath: pointsPath).deletingPathExtension().lastPathComponent
            legend.append(
                LegendSection(
                    title: title,
                    entries: kinds.enumerated().map {
                        LegendEntry(
                            .symbol(symbols[$0.offset]),
                            "\($0.element.isEmpty ? "—" : $0.element)  (\(counts[$0.offset]))")
                    }))
            result.points = total
        }
        if !boundaryEntries.isEmpty {
            legend.append(LegendSection(title: language.boundaries, entries: boundaryEntries))
        }

        // Panels.
        func world(_ p: Int) -> Envelope {
            var e = Envelope.empty
            for (i, g) in projected.enumerated() where panelOf[i] == p { if let g { e.extend(g.envelope) } }
            if e.isEmpty {
                for layer in layers[p] { if case .points(let pts, _, _, _) = layer { for c in pts { e.extend(c) } } }
            }
            return e
        }
        let mainWorld = world(0)
        guard !mainWorld.isEmpty else {
            throw GISError(
                .input, operation: "map", file: settings.layer, message: "nothing to draw: no feature has a geometry")
        }
        let main = MapPanel(
            world: mainWorld, layers: layers[0], labels: labels[0],
            metresPerUnit: try frames.metresPerUnit(panel: 0, at: mainWorld),
            northAngle: try frames.northAngle(panel: 0, at: mainWorld))
        var insets: [MapPanel] = []
        if useInset {
            let w = world(1)
            insets.append(
                MapPanel(
                    world: w, layers: layers[1], labels: labels[1], caption: language.galapagos,
                    metresPerUnit: try frames.metresPerUnit(panel: 1, at: w), northAngle: 0))
        }
        let stem = URL(fileURLWithPath: settings.layer).deletingPathExtension().lastPathComponent
        let themeName: String? =
            switch settings.theme {
            case .plain: nil
            case .choropleth(let f, _, _, _, _): f
            case .categories(let f, _): f
            }
        let crsName =
            (try? proj.describe(settings.crs, identifying: true)).map { $0.identifier ?? $0.name }
            ?? settings.crs.description
        let page = MapPage(
            width: Double(settings.width),
            title: settings.title ?? ([stem] + [themeName].compactMap { $0 }).joined(separator: " — "),
            subtitle: settings.subtitle,
            source: (settings.source.map { $0 + ". " } ?? "")
                + (language == .spanish ? "Proyección \(crsName)" : "Projection \(crsName)")
                + (useInset && frames.splitsGalapagos
                    ? (language == .spanish ? "; Galápagos en UTM 15S" : "; Galápagos in UTM 15S") : "")
                + ". territorio",
            main: main, insets: insets, legend: legend, language: language)
        result.notes = notes + layer.notes
        return (page, result)
    }

    static func methodName(_ method: ClassificationMethod, _ language: MapLanguage) -> String {
        switch (method, language) {
        case (.quantile, .spanish): "clases por cuantiles"
        case (.quantile, .english): "quantile classes"
        case (.naturalBreaks, .spanish): "cortes naturales (Fisher-Jenks)"
        case (.naturalBreaks, .english): "natural breaks (Fisher-Jenks)"
        case (.equalInterval, .spanish): "intervalos iguales"
        case (.equalInterval, .english): "equal intervals"
        }
    }
}
