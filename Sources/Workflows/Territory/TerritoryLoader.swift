import Foundation
import GIS
import Planning

/// How islands and detached parts are joined for contiguity.
public enum LinksOption: Sendable, Equatable {
    /// No links: islands are their own components.
    case none
    /// The proposed links: islands to the mainland, then detached parts of a cantón to the rest of it.
    case auto
    /// A CSV with columns a,b (parroquia codes).
    case file(String)

    /// `auto`, or a file path.
    public init(argument: String?) {
        switch argument {
        case nil: self = .none
        case "auto": self = .auto
        case let path?: self = .file(path)
        }
    }
}

/// Everything that builds a planning territory from a parroquia layer. Numbers are checked
/// by ``validated()`` before any file is read.
public struct TerritoryOptions: Sendable {
    public var units: String
    public var unitId = "DPA_PARROQ"
    public var populationField = "POB_2022"
    public var nameField = "DPA_DESPAR"
    public var links: LinksOption = .none
    public var zonas = DataFiles.path(DataFiles.zonas)
    /// DPA recode CSV (dpa_parroq_2022,dpa_parroq_2012,method).
    public var recode: String?
    public var distritoTarget = 90_000
    public var circuitoTarget = 11_000
    public var tolerance = 0.5
    public var splitCantonAbove: Int?
    /// The cantones that may be divided into several distritos (CSV with a `canton` column);
    /// ignored when ``splitCantonAbove`` is given (the population rule instead).
    public var divisibleCantons = DataFiles.path(DataFiles.divisibleCantons)
    /// The population of a distrito inside a divisible cantón (default 3 × the distrito
    /// target: the source exempts those cities from the ~90,000 average).
    public var cityDistritoTarget: Int?
    public var strictBalance = false
    /// Divide parroquias above 1.5 × the circuito target into pieces.
    public var split = false
    /// Where parroquias may be divided (``DivisibleParroquias``; nil: the shipped table, which
    /// allows every parroquia).
    public var divisibleParroquias: String?
    public var splitPoints: String?
    public var splitWeight: String?
    /// Points standing for where people live (``PeopleCentres``): each unit's people are
    /// placed at the weighted medoid of the points inside it, not at its interior point.
    public var peoplePoints: String?
    public var peopleWeight: String?
    /// How the plan's distances are measured (straight line by default, or by road).
    public var distances = PlanDistanceOption.straight(detour: 1)

    /// Population bounds every target and threshold must respect: a unit of the plan cannot
    /// hold fewer than one person nor more than a country of a billion.
    public static let populationRange = 1...1_000_000_000

    public init(units: String) { self.units = units }

    /// Throws a ``WorkflowError`` naming the option when a number is out of range.
    public func validated() throws -> TerritoryOptions {
        _ = try Checked.integer(distritoTarget, in: Self.populationRange, "--distrito-target")
        _ = try Checked.integer(circuitoTarget, in: Self.populationRange, "--circuito-target")
        _ = try Checked.number(tolerance, in: 0...100, "--tolerance")
        if let splitCantonAbove {
            _ = try Checked.integer(splitCantonAbove, in: Self.populationRange, "--split-canton-above")
        }
        if let cityDistritoTarget {
            _ = try Checked.integer(cityDistritoTarget, in: Self.populationRange, "--city-distrito-target")
        }
        if !split, splitPoints != nil || splitWeight != nil || divisibleParroquias != nil {
            throw WorkflowError("--split-points, --split-weight and --divisible-parroquias need --split")
        }
        if peoplePoints == nil, peopleWeight != nil { throw WorkflowError("--people-weight needs --people-points") }
        _ = try distances.validated()
        return self
    }
}

/// A planning territory built from a layer, with what was decided on the way.
public struct LoadedTerritory {
    public var territory: Territory
    public var zones: ZoneTable
    public var rules: PlanningRules
    public var layer: Layer
    public var proposedLinks: [(from: String, to: String, metres: Double)]
    public var linksUsed: [(String, String)]
    /// Parroquias divided into pieces (empty without --split).
    public var splits: [SplitRecord]
    /// Parroquias above the split threshold that the table of divisible parroquias keeps
    /// whole (with --split), with their population: exceptions to name.
    public var keptWhole: [(code: String, population: Int)] = []
    public var options: TerritoryOptions
    /// How the units' people were placed, with --people-points.
    public var peoplePlacement: PeoplePlacement?
    /// The plan's distances (``TerritoryOptions/distances``) and one sentence saying how.
    public var metric = PlanMetric.geodesic
    public var metricNote = "Distances are geodesic straight lines."
}

/// What --people-points did: the units placed at their points' medoid, the rest at their
/// interior point.
public struct PeoplePlacement: Sendable {
    public var file: String
    public var points: Int
    public var pointsOutside: Int
    public var unitsPlaced: Int
    /// Units with no point of positive weight inside, with their population.
    public var unitsAtInteriorPoint: [(code: String, population: Int)]

    /// One sentence for the report.
    public var sentence: String {
        let interior = unitsAtInteriorPoint.reduce(0) { $0 + $1.population }
        let listed =
            unitsAtInteriorPoint.isEmpty
            ? ""
            : ": " + unitsAtInteriorPoint.prefix(12).map(\.code).joined(separator: ", ")
                + (unitsAtInteriorPoint.count > 12 ? ", …" : "")
        return
            "each unit's people are placed at the weighted medoid of the \(points - pointsOutside) points of \(file) inside it (\(unitsPlaced) units); \(unitsAtInteriorPoint.count) units with no point inside (\(interior) people) at their interior point\(listed); \(pointsOutside) points outside every unit ignored"
    }
}

/// Builds a planning territory from a parroquia layer: units with cantón, province,
/// population and an interior point; rook contiguity; links; zonas; rules.
public enum TerritoryLoader {
    /// Rows of a CSV as dictionaries by column name; a repeated column name is an error.
    static func rows(_ path: String) throws -> [[String: String]] {
        let table = try CSVTable.read(path)
        var seen: Set<String> = []
        for name in table.header where !seen.insert(name).inserted {
            throw GISError(
                .input, operation: "read CSV", file: path, record: 1, field: name,
                message: "the column appears twice in the header")
        }
        return table.rows.map { row in
            var out: [String: String] = [:]
            for (k, name) in table.header.enumerated() { out[name] = k < row.count ? row[k] : "" }
            return out
        }
    }

    /// Loads the territory; with `split`, oversized parroquias become pieces of about
    /// `circuitosTotal`'s national share when a total is fixed, else of the circuito target.
    public static func load(_ options: TerritoryOptions, circuitosTotal: Int? = nil, log: WorkflowLog = .silent)
        throws -> LoadedTerritory
    {
        let options = try options.validated()
        log.step("reading \(options.units)")
        var layer = try LayerIO.read(options.units)
        guard layer.kind == .polygon else {
            throw GISError(
                .input, operation: "read units", file: options.units,
                message: "units must be polygons, the layer holds \(layer.kind.rawValue)")
        }
        var pop = try layer.requireField(options.populationField)
        guard [.integer, .decimal].contains(layer.fields[pop].type) else {
            throw GISError(
                .input, operation: "read population", file: options.units, field: options.populationField,
                message: "population must be numeric")
        }
        try checkPopulation(layer, field: pop, options: options)
        var splits: [SplitRecord] = []
        var keptWhole: [(code: String, population: Int)] = []
        if options.split {
            log.step("splitting oversized parroquias")
            (layer, splits, keptWhole) = try splitUnits(layer, options: options, circuitosTotal: circuitosTotal)
            // By code, not in the layer's order: the report lists them.
            splits.sort { ($0.parent, $0.pieces.first?.id ?? "") < ($1.parent, $1.pieces.first?.id ?? "") }
            keptWhole.sort { ($0.code, $0.population) < ($1.code, $1.population) }
        }
        let id = try layer.requireField(options.unitId)
        pop = try layer.requireField(options.populationField)
        // Canonical order, by unit code and then record, so that the same units in another
        // order give byte-identical plans; messages keep the records' own numbers.
        let order = layer.features.indices.sorted {
            (layer.features[$0].attributes[id].description, $0) < (layer.features[$1].attributes[id].description, $1)
        }
        let sourceRecord = order.map { $0 + 1 }
        layer.features = order.map { layer.features[$0] }
        let name = layer.fieldIndex(options.nameField)
        // Pieces carry their parroquia in PARENT (written by --split, or read back from a
        // proposal's units layer): cantón, province and recode follow the parent.
        let parent = layer.fieldIndex(UnitSplitter.parentField)
        var moved: [String: String] = [:]  // 2012 code → 2022 code, for units that changed cantón
        if let recode = options.recode {
            for r in try rows(recode) where (r["method"] ?? "").hasPrefix("recoded") {
                if let old = r["dpa_parroq_2012"], let new = r["dpa_parroq_2022"], old.prefix(4) != new.prefix(4) {
                    moved[old] = new
                }
            }
        }
        let ctx = GeometryContext()
        let toLonLat = try ProjContext().transform(from: layer.crs ?? .wgs84, to: .wgs84)
        let measure = try GeodesicMeasure(crs: layer.crs ?? .wgs84, context: try ProjContext())
        var list: [PlanningUnit] = []
        var seen: [String: Int] = [:]
        for (k, f) in layer.features.enumerated() {
            let code = f.attributes[id].description
            if let first = seen.updateValue(sourceRecord[k], forKey: code) {
                throw GISError(
                    .input, operation: "read units", file: options.units, record: sourceRecord[k],
                    field: options.unitId,
                    message: "code '\(code)' is also record \(first)")
            }
            let people = f.attributes[pop].number ?? 0  // range-checked by checkPopulation
            guard let g = f.geometry else {
                throw GISError(
                    .input, operation: "read units", file: options.units, record: sourceRecord[k],
                    message: "\(code) has no geometry")
            }
            let inside: Coordinate
            do {
                inside = try toLonLat.apply(try ctx.geometry(g).pointOnSurface().pointCoordinate())
            } catch let e as GISError {
                throw GISError(
                    .input, operation: e.operation, file: options.units, record: sourceRecord[k],
                    message: "\(code): \(e.message)")
            }
            guard abs(inside.x) <= 180, abs(inside.y) <= 90 else {
                throw GISError(
                    .input, operation: "read units", file: options.units, record: sourceRecord[k],
                    message:
                        "\(code) lies at \(inside.x), \(inside.y) in longitude/latitude: the layer's CRS (\(layer.crs?.description ?? "none")) does not fit its coordinates; give the right one with a .prj"
                )
            }
            let parentCode = parent.map { f.attributes[$0].description }.flatMap { $0.isEmpty ? nil : $0 } ?? code
            let geo = moved[parentCode] ?? parentCode
            let label = name.map { f.attributes[$0].description } ?? ""
            list.append(
                PlanningUnit(
                    id: code, name: parentCode == code ? label : "\(label) (piece \(code))",
                    canton: String(geo.prefix(4)),
                    province: String(geo.prefix(2)),
                    population: Int(people.rounded()), location: GeoPoint(lon: inside.x, lat: inside.y),
                    area: try measure.area(g), perimeter: try measure.length(g)))
        }
        log.step("building contiguity")
        let graph = try Contiguity.build(layer, rule: .rook, context: ctx, measure: measure)
        let borderLengths = graph.edges.map(\.sharedLength)
        let bare = try Territory(units: list, edges: graph.edges.map { ($0.a, $0.b) })
        let proposed = bare.proposeLinks(metric: GeodesicMetric())
        var linkPairs: [(String, String)] = []
        switch options.links {
        case .none: break
        case .auto: linkPairs = proposed.map { ($0.from, $0.to) }
        case .file(let path):
            linkPairs = try rows(path).enumerated().map { k, row in
                guard let a = row["a"], let b = row["b"], !a.isEmpty, !b.isEmpty else {
                    throw GISError(
                        .input, operation: "read links", file: path, record: k + 2,
                        message: "a link needs columns a and b (parroquia codes)")
                }
                return (a, b)
            }
        }
        var territory = try Territory(
            units: list, edges: graph.edges.map { ($0.a, $0.b) }, links: linkPairs, borderLengths: borderLengths)
        var proposedAll = proposed
        if options.links == .auto {
            // Then the cantones in pieces, joined to their largest part.
            let inner = territory.proposeCantonLinks(metric: GeodesicMetric())
            proposedAll += inner
            linkPairs += inner.map { ($0.from, $0.to) }
            territory = try Territory(
                units: list, edges: graph.edges.map { ($0.a, $0.b) }, links: linkPairs, borderLengths: borderLengths)
        }
        var placement: PeoplePlacement? = nil
        if let path = options.peoplePoints {
            // After the links, which join polygons where they are nearest, not their people.
            log.step("placing people at \(path)")
            let placed = try placePeople(path, weight: options.peopleWeight, layer: layer, units: &list)
            placement = placed
            territory = try Territory(
                units: list, edges: graph.edges.map { ($0.a, $0.b) }, links: linkPairs, borderLengths: borderLengths)
        }
        // From the units' final locations (after --people-points).
        let (metric, metricNote) = try PlanMetric.build(options.distances, units: list, log: log)
        let zones = try ZoneTable(rows: try rows(options.zonas), source: options.zonas)
        var rules = PlanningRules(
            distritoTarget: options.distritoTarget, circuitoTarget: options.circuitoTarget,
            tolerance: options.tolerance, splitCantonAbove: options.splitCantonAbove,
            strictBalance: options.strictBalance)
        if options.splitCantonAbove == nil {
            rules.divisibleCantons = try divisibleCantons(options.divisibleCantons)
            rules.cityDistritoTarget = options.cityDistritoTarget ?? 3 * options.distritoTarget
        }
        return LoadedTerritory(
            territory: territory, zones: zones, rules: rules, layer: layer, proposedLinks: proposedAll,
            linksUsed: linkPairs, splits: splits, keptWhole: keptWhole, options: options, peoplePlacement: placement,
            metric: metric, metricNote: metricNote)
    }

    /// Moves each unit's location to the ``PeopleCentres`` medoid of the points inside its
    /// polygon (`layer` is in the units' order).
    static func placePeople(_ path: String, weight: String?, layer: Layer, units: inout [PlanningUnit]) throws
        -> PeoplePlacement
    {
        let points = try WeightedPointsFile.read(path, weightColumn: weight, to: layer.crs ?? .wgs84)
            .map { WeightedPoint($0.target, weight: $0.weight) }
        let found = try PeopleCentres.locate(points, in: layer)
        let toLonLat = try ProjContext().transform(from: layer.crs ?? .wgs84, to: .wgs84)
        var interior: [(code: String, population: Int)] = []
        for (i, centre) in found.centres.enumerated() {
            guard let centre else {
                interior.append((units[i].id, units[i].population))
                continue
            }
            let c = try toLonLat.apply(centre)
            units[i].location = GeoPoint(lon: c.x, lat: c.y)
        }
        return PeoplePlacement(
            file: path, points: points.count, pointsOutside: found.outside,
            unitsPlaced: units.count - interior.count, unitsAtInteriorPoint: interior)
    }

    /// The `canton` column of the divisible-cantones table: 4-digit codes, each once.
    static func divisibleCantons(_ path: String) throws -> Set<String> {
        let table = try CSVTable.read(path)
        guard let column = table.header.firstIndex(of: "canton") else {
            throw WorkflowError("\(path): the table of divisible cantones needs a 'canton' column")
        }
        var codes = Set<String>()
        for (r, row) in table.rows.enumerated() {
            let code = column < row.count ? row[column].trimmingCharacters(in: .whitespaces) : ""
            guard code.count == 4, code.allSatisfy({ $0.isASCII && $0.isNumber }) else {
                throw WorkflowError(
                    "\(path): line \(table.lines[r]), field 'canton': a 4-digit cantón code, got '\(code)'")
            }
            guard codes.insert(code).inserted else {
                throw WorkflowError("\(path): line \(table.lines[r]), field 'canton': \(code) is listed twice")
            }
        }
        return codes
    }

    /// Every population is a finite number from 0 to a billion; the bad records are named.
    static func checkPopulation(_ layer: Layer, field: Int, options: TerritoryOptions) throws {
        var bad: [String] = []
        let id = layer.fieldIndex(options.unitId)
        for (k, f) in layer.features.enumerated() {
            let value = f.attributes[field]
            guard let people = value.number, people.isFinite, people >= 0,
                people <= Double(TerritoryOptions.populationRange.upperBound)
            else {
                let code = id.map { f.attributes[$0].description } ?? ""
                bad.append(
                    "\(code.isEmpty ? "record \(k + 1)" : "\(code) (record \(k + 1))") = \(value.isNull ? "null" : value.description)"
                )
                continue
            }
        }
        guard bad.isEmpty else {
            throw PlanningError(
                source: "\(options.units), field '\(options.populationField)'",
                "population must be a number from 0 to \(TerritoryOptions.populationRange.upperBound)", units: bad)
        }
    }

    /// Divides parroquias above 1.5 × the piece target with ``UnitSplitter``, where the table
    /// of divisible parroquias allows; also returns the oversized ones it keeps whole.
    static func splitUnits(_ layer: Layer, options: TerritoryOptions, circuitosTotal: Int?) throws -> (
        Layer, [SplitRecord], [(code: String, population: Int)]
    ) {
        let pop = try layer.requireField(options.populationField)
        let people = layer.features.reduce(0.0) { $0 + ($1.attributes[pop].number ?? 0) }
        let target = circuitosTotal.map { people / Double(max(1, $0)) } ?? Double(options.circuitoTarget)
        guard target >= 1 else {
            throw WorkflowError(
                "--circuitos \(circuitosTotal ?? 0) would make pieces of \(fmt(target, 3)) people: the layer holds \(fmt(people)) people"
            )
        }
        var splitter = UnitSplitter(
            idField: options.unitId, populationField: options.populationField, target: target,
            splitAbove: Int((1.5 * target).rounded(.down)))
        let divisible = try DivisibleParroquias.read(
            options.divisibleParroquias ?? DataFiles.path(DataFiles.divisibleParroquias))
        splitter.mayDivide = divisible.contains
        let id = try layer.requireField(options.unitId)
        let keptWhole = layer.features.compactMap { f -> (code: String, population: Int)? in
            let code = f.attributes[id].description
            let people = Int((f.attributes[pop].number ?? 0).rounded())
            guard splitter.pieces(people: people) != nil, !divisible.contains(code) else { return nil }
            return (code, people)
        }.sorted { $0.code < $1.code }
        if let splitPoints = options.splitPoints {
            splitter.points = try WeightedPointsFile.read(
                splitPoints, weightColumn: options.splitWeight, to: layer.crs ?? .wgs84
            ).map { WeightedPoint($0.target, weight: $0.weight) }
                // Canonical order: the kernel sums do not depend on the file's row order.
                .sorted {
                    ($0.coordinate.x, $0.coordinate.y, $0.weight) < ($1.coordinate.x, $1.coordinate.y, $1.weight)
                }
        }
        let (split, records) = try splitter.split(layer)
        return (split, records, keptWhole)
    }
}
