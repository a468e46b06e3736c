/// One place where people live, with how many, in longitude/latitude.
public struct DemandPoint: Sendable, Hashable {
    public var location: Coordinate
    public var population: Double
    /// Index of the analysis unit holding it; nil when it lies outside every unit.
    public var unit: Int?

    public init(location: Coordinate, population: Double, unit: Int?) {
        self.location = location
        self.population = population
        self.unit = unit
    }
}

/// Where the population went, so that what enters equals what is counted or the difference
/// is named.
public struct PopulationReport: Sendable {
    /// People read from the population sources.
    public var input = 0.0
    /// People on demand points inside an analysis unit.
    public var counted = 0.0
    /// Points (and people) outside every analysis unit.
    public var outsidePoints = 0
    public var outsidePopulation = 0.0
    /// Population polygons that had no point and used their own figure at an interior point.
    public var fallbackPolygons: [String] = []
    /// Population points that fell in no population polygon (kept, located directly in units).
    public var pointsOutsidePolygons = 0
    /// Analysis units with no people at all.
    public var emptyUnits: [String] = []
    /// Records whose population was null, negative or not a number (counted as 0).
    public var badValues: [String] = []

    public var balanced: Bool { abs(input - counted - outsidePopulation) <= 1e-6 * max(1, input) }
}

/// The people of a study: weighted points in longitude/latitude, each assigned to an analysis
/// unit (circuito, parroquia, distrito...).
public struct Demand: Sendable {
    public var points: [DemandPoint]
    public var unitIDs: [String]
    public var report: PopulationReport

    /// Population per analysis unit.
    public var unitPopulation: [Double] {
        var out = [Double](repeating: 0, count: unitIDs.count)
        for p in points { if let u = p.unit { out[u] += p.population } }
        return out
    }

    /// Where population comes from.
    public enum Source {
        /// Polygons with a population field: one point per polygon at `GEOSPointOnSurface_r`.
        case polygons(Layer, field: String, id: String)
        /// Weighted points (population grid cells, census points) of a layer.
        case points(Layer, weight: String)
        /// Weighted points read column-wise (``PointColumns``); `numbers[weightColumn]` is the
        /// weight. The form for millions of points.
        case columns(PointColumns, weightColumn: Int)
        /// Points allocated to the polygons holding them; a polygon without points keeps its
        /// own figure at an interior point. `numbers[weightColumn]` of the points is the weight.
        case both(polygons: Layer, field: String, id: String, points: PointColumns, weightColumn: Int)
    }

    /// `points` sorted by (x, y, population): a radix sort on x, then each run of equal x
    /// sorted by (y, population) — the same order as sorting by the tuple, in linear time.
    static func canonicalOrder(_ points: [(Coordinate, Double)]) -> [(Coordinate, Double)] {
        let order = RadixOrder.ascending(points.map(\.0.x))
        var out = order.map { points[Int($0)] }
        var start = 0
        while start < out.count {
            var end = start + 1
            while end < out.count && out[end].0.x == out[start].0.x { end += 1 }
            if end - start > 1 { out[start..<end].sort { ($0.0.y, $0.1) < ($1.0.y, $1.1) } }
            start = end
        }
        return out
    }

    /// Builds the demand and assigns every point to the unit of `units` that covers it (with
    /// `unitLocator` when the caller already built one on `units`).
    public static func build(
        _ source: Source, units: Layer, unitID: String, context: GeometryContext, proj: ProjContext,
        unitLocator: PolygonLocator? = nil
    ) throws -> Demand {
        var report = PopulationReport()
        var located: [(Coordinate, Double)] = []  // lon/lat, population

        func weight(_ layer: Layer, _ field: Int, _ record: Int, _ label: String) -> Double {
            let value = layer.features[record].attributes[field]
            guard let v = value.number, v.isFinite, v >= 0 else {
                report.badValues.append("\(label) (\(value.isNull ? "null" : value.description))")
                return 0
            }
            return v
        }
        /// The points in longitude/latitude with their weights and record numbers, transformed
        /// on all cores.
        func lonLatPoints(_ columns: PointColumns, weightColumn: Int) throws -> (
            points: [Coordinate], weights: [Double]
        ) {
            guard columns.numbers.indices.contains(weightColumn) else {
                throw GISError(
                    .usage, operation: "read population", file: columns.source, message: "no weight column was read")
            }
            var points = columns.coordinates
            try CoordinateTransform.applyInParallel(
                &points, from: columns.crs, to: .wgs84, context: proj, file: columns.source,
                record: { columns.records[$0] })
            var weights = [Double](repeating: 0, count: points.count)
            for (i, value) in columns.numbers[weightColumn].enumerated() {
                guard let v = value, v.isFinite, v >= 0 else {
                    report.badValues.append(
                        "\(columns.source) record \(columns.records[i]) (\(value.map { JSONText.number($0) } ?? "null"))")
                    continue
                }
                weights[i] = v
            }
            return (points, weights)
        }
        func columns(_ layer: Layer, weightField: String) throws -> PointColumns {
            let w = try layer.requireField(weightField)
            guard [.integer, .decimal].contains(layer.fields[w].type) else {
                throw GISError(
                    .input, operation: "read population", file: layer.source, field: weightField,
                    message: "population must be numeric, the field holds \(layer.fields[w].type.rawValue)")
            }
            return try PointColumns(layer: layer, numeric: [weightField])
        }
        func interiorPoints(_ layer: Layer, field: String, id: String) throws -> [(Coordinate, Double, String)] {
            let p = try layer.requireField(field)
            let idIndex = try layer.requireField(id)
            guard [.integer, .decimal].contains(layer.fields[p].type) else {
                throw GISError(
                    .input, operation: "read population", file: layer.source, field: field,
                    message: "population must be numeric, the field holds \(layer.fields[p].type.rawValue)")
            }
            let toLonLat = try proj.transform(from: layer.crs ?? .wgs84, to: .wgs84)
            var out: [(Coordinate, Double, String)] = []
            for (i, f) in layer.features.enumerated() {
                let name = f.attributes[idIndex].description
                let people = weight(layer, p, i, "\(name)")
                guard let g = f.geometry, !g.isEmpty else {
                    report.badValues.append("\(name) (no geometry: \(people) people not placed)")
                    report.input += people
                    report.outsidePopulation += people
                    continue
                }
                let inside = try atRecord(layer.source, i + 1) {
                    try toLonLat.apply(try context.geometry(g).pointOnSurface().pointCoordinate())
                }
                out.append((inside, people, name))
            }
            return out
        }

        switch source {
        case .polygons(let layer, let field, let id):
            for (c, n, _) in try interiorPoints(layer, field: field, id: id) { located.append((c, n)) }
        case .points(let layer, let weightField):
            let (points, weights) = try lonLatPoints(try columns(layer, weightField: weightField), weightColumn: 0)
            located = Array(zip(points, weights))
        case .columns(let columns, let weightColumn):
            let (points, weights) = try lonLatPoints(columns, weightColumn: weightColumn)
            located = Array(zip(points, weights))
        case .both(let polygons, let field, let id, let columns, let weightColumn):
            let (points, weights) = try lonLatPoints(columns, weightColumn: weightColumn)
            var inPolygonCRS = points
            try CoordinateTransform.applyInParallel(
                &inPolygonCRS, from: .wgs84, to: polygons.crs ?? .wgs84, context: proj, file: columns.source,
                record: { columns.records[$0] })
            let locator = PolygonLocator(layer: polygons, context: context)
            var hasPoints = Set<Int>()
            for u in locator.locateAll(inPolygonCRS) {
                if u >= 0 { hasPoints.insert(Int(u)) } else { report.pointsOutsidePolygons += 1 }
            }
            located = Array(zip(points, weights))
            let interior = try interiorPoints(polygons, field: field, id: id)
            let idIndex = try polygons.requireField(id)
            for (i, f) in polygons.features.enumerated() where !hasPoints.contains(i) {
                let name = f.attributes[idIndex].description
                guard let item = interior.first(where: { $0.2 == name }) else { continue }
                located.append((item.0, item.1))
                report.fallbackPolygons.append(name)
            }
        }

        // Canonical order (position, then population), so results never depend on the order
        // of the input records.
        located = Self.canonicalOrder(located)

        // Assign to analysis units.
        let unitIndex = try units.requireField(unitID)
        let unitIDs = units.features.map { $0.attributes[unitIndex].description }
        var inUnitCRS = located.map(\.0)
        do {
            try CoordinateTransform.applyInParallel(&inUnitCRS, from: .wgs84, to: units.crs ?? .wgs84, context: proj)
        } catch var error as GISError {
            let c = located[(error.record ?? 1) - 1].0
            error.record = nil
            error.message = "population at (\(c.x), \(c.y)): \(error.message)"
            throw error
        }
        let owners = (unitLocator ?? PolygonLocator(layer: units, context: context)).locateAll(inUnitCRS)
        var points: [DemandPoint] = []
        points.reserveCapacity(located.count)
        for (k, (c, n)) in located.enumerated() {
            report.input += n
            let u = owners[k] >= 0 ? Int(owners[k]) : nil
            if u == nil {
                report.outsidePoints += 1
                report.outsidePopulation += n
            } else {
                report.counted += n
            }
            points.append(DemandPoint(location: c, population: n, unit: u))
        }
        var demand = Demand(points: points, unitIDs: unitIDs, report: report)
        let perUnit = demand.unitPopulation
        demand.report.emptyUnits = unitIDs.indices.filter { perUnit[$0] == 0 }.map { unitIDs[$0] }
        return demand
    }
}
