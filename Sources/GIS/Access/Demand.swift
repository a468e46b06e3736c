import Foundation

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
        /// weight. The form for millions of points. With `unitColumn`, `texts[index]` names
        /// each point's unit (a code of the units' id field, field `name` of the file): the
        /// points are not located, and a code that is not a unit is an error naming the record.
        case columns(PointColumns, weightColumn: Int, unitColumn: (index: Int, name: String)? = nil)
        /// Points allocated to the polygons holding them; a polygon without points keeps its
        /// own figure at an interior point. `numbers[weightColumn]` of the points is the weight.
        case both(polygons: Layer, field: String, id: String, points: PointColumns, weightColumn: Int)
    }

    /// `points` sorted by (x, y, population[, unit]). Equal keys are equal values, so the
    /// result does not depend on the input order. Large inputs are cut into one contiguous part
    /// per core, each sorted by ``sortedRun(_:)`` on its own core, then merged pairwise:
    /// O(n) per part plus O(n log p) for the merges.
    static func canonicalOrder<P: CanonicalPoint>(_ points: [P]) -> [P] {
        let n = points.count
        let parts = min(ProcessInfo.processInfo.activeProcessorCount, n / 65_536)
        guard parts >= 2 else { return sortedRun(points[...]) }
        let size = (n + parts - 1) / parts
        var runs = parallelMap(Array(0..<parts), grain: 1) { p in
            sortedRun(points[(p * size)..<min(n, (p + 1) * size)])
        }
        while runs.count > 2 {
            let pairs = stride(from: 0, to: runs.count, by: 2).map { $0 }
            let frozen = runs
            runs = parallelMap(pairs, grain: 1) { i in
                i + 1 < frozen.count ? merged(frozen[i], frozen[i + 1]) : frozen[i]
            }
        }
        if runs.count == 2 { return mergedInParallel(runs[0], runs[1]) }
        return runs[0]
    }

    /// One part in the canonical order: a radix sort on x (``RadixOrder``, O(n)), then each run
    /// of equal x sorted by the rest of the key.
    static func sortedRun<P: CanonicalPoint>(_ points: ArraySlice<P>) -> [P] {
        let part = Array(points)
        let order = RadixOrder.ascending(part.map(\.location.x))
        var out = order.map { part[Int($0)] }
        var start = 0
        while start < out.count {
            var end = start + 1
            while end < out.count && out[end].location.x == out[start].location.x { end += 1 }
            if end - start > 1 { out[start..<end].sort { P.precedes($0, $1) } }
            start = end
        }
        return out
    }

    /// ``merged(_:_:)`` cut into one piece per core by merge-path partitioning (Green,
    /// McColl & Bader, "GPU merge path", ICS 2012): for an output position k, a binary search
    /// finds how many of the first k outputs come from `a` (ties from `a` first, as in
    /// ``merged(_:_:)``), so each core merges its own range of the output. Same result, O(n / p
    /// + log n) time.
    static func mergedInParallel<P: CanonicalPoint>(_ a: [P], _ b: [P]) -> [P] {
        let total = a.count + b.count
        let pieces = max(1, ProcessInfo.processInfo.activeProcessorCount)
        guard pieces > 1, total >= 1 << 16 else { return merged(a, b) }
        /// How many of the first `k` outputs come from `a`.
        func split(_ k: Int) -> Int {
            var lo = max(0, k - b.count), hi = min(k, a.count)
            // The largest i in lo...hi with a[i − 1] not after b[k − i] (a goes first on ties).
            while lo < hi {
                let i = (lo + hi + 1) / 2
                if P.precedes(b[k - i], a[i - 1]) { hi = i - 1 } else { lo = i }
            }
            return lo
        }
        let cuts = (0...pieces).map { p in
            let k = p == pieces ? total : total / pieces * p
            return (k, split(k))
        }
        return [P](unsafeUninitializedCapacity: total) { output, count in
            nonisolated(unsafe) let target = output
            DispatchQueue.concurrentPerform(iterations: pieces) { p in
                guard let base = target.baseAddress else { return }
                var i = cuts[p].1, j = cuts[p].0 - cuts[p].1
                for k in cuts[p].0..<cuts[p + 1].0 {
                    if j < b.count && (i >= a.count || P.precedes(b[j], a[i])) {
                        (base + k).initialize(to: b[j])
                        j += 1
                    } else {
                        (base + k).initialize(to: a[i])
                        i += 1
                    }
                }
            }
            count = total
        }
    }

    /// Two sorted parts merged into one (ties from `a` first). O(n).
    static func merged<P: CanonicalPoint>(_ a: [P], _ b: [P]) -> [P] {
        var out: [P] = []
        out.reserveCapacity(a.count + b.count)
        var i = 0, j = 0
        while i < a.count && j < b.count {
            if P.precedes(b[j], a[i]) {
                out.append(b[j])
                j += 1
            } else {
                out.append(a[i])
                i += 1
            }
        }
        out.append(contentsOf: a[i...])
        out.append(contentsOf: b[j...])
        return out
    }

    /// Builds the demand and assigns every point to the unit of `units` that covers it (with
    /// `unitLocator` when the caller already built one on `units`), or to the unit its record
    /// names (``Source/columns(_:weightColumn:unitColumn:)`` with a unit column).
    public static func build(
        _ source: Source, units: Layer, unitID: String, context: GeometryContext, proj: ProjContext,
        unitLocator: PolygonLocator? = nil
    ) throws -> Demand {
        var report = PopulationReport()
        var located: [WeightedLocation] = []  // lon/lat, population
        var assigned: [AssignedLocation]? = nil  // the same with the unit the input names
        let unitIndex = try units.requireField(unitID)
        let unitIDs = units.features.map { $0.attributes[unitIndex].description }

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
                        "\(columns.source) record \(columns.records[i]) (\(value.map { JSONText.number($0) } ?? "null"))"
                    )
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
            for (c, n, _) in try interiorPoints(layer, field: field, id: id) {
                located.append(WeightedLocation(location: c, weight: n))
            }
        case .points(let layer, let weightField):
            let (points, weights) = try lonLatPoints(try columns(layer, weightField: weightField), weightColumn: 0)
            located = parallelMap(count: points.count, grain: 1 << 16) {
                WeightedLocation(location: points[$0], weight: weights[$0])
            }
        case .columns(let columns, let weightColumn, nil):
            let (points, weights) = try lonLatPoints(columns, weightColumn: weightColumn)
            located = parallelMap(count: points.count, grain: 1 << 16) {
                WeightedLocation(location: points[$0], weight: weights[$0])
            }
        case .columns(let columns, let weightColumn, let unitColumn?):
            let (points, weights) = try lonLatPoints(columns, weightColumn: weightColumn)
            let named = try namedUnits(columns, unitColumn, unitIDs: unitIDs, unitID: unitID, units: units.source)
            assigned = parallelMap(count: points.count, grain: 1 << 16) {
                AssignedLocation(location: points[$0], weight: weights[$0], unit: named[$0])
            }
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
            located = zip(points, weights).map { WeightedLocation(location: $0, weight: $1) }
            let interior = try interiorPoints(polygons, field: field, id: id)
            let idIndex = try polygons.requireField(id)
            for (i, f) in polygons.features.enumerated() where !hasPoints.contains(i) {
                let name = f.attributes[idIndex].description
                guard let item = interior.first(where: { $0.2 == name }) else { continue }
                located.append(WeightedLocation(location: item.0, weight: item.1))
                report.fallbackPolygons.append(name)
            }
        }

        // Canonical order (position, then population), so results never depend on the order
        // of the input records; then each point's unit, from the input or by location.
        let points: [DemandPoint]
        // (Each input array is let go once ordered: millions of points are held once.)
        if assigned != nil {
            let canonical = Self.canonicalOrder(assigned ?? [])
            assigned = nil
            points = parallelMap(count: canonical.count, grain: 1 << 16) { k in
                DemandPoint(
                    location: canonical[k].location, population: canonical[k].weight, unit: Int(canonical[k].unit))
            }
        } else {
            let canonical = Self.canonicalOrder(located)
            located = []
            var inUnitCRS = parallelMap(count: canonical.count, grain: 1 << 16) { canonical[$0].location }
            do {
                try CoordinateTransform.applyInParallel(
                    &inUnitCRS, from: .wgs84, to: units.crs ?? .wgs84, context: proj)
            } catch var error as GISError {
                let c = canonical[(error.record ?? 1) - 1].location
                error.record = nil
                error.message = "population at (\(c.x), \(c.y)): \(error.message)"
                throw error
            }
            let owners = (unitLocator ?? PolygonLocator(layer: units, context: context)).locateAll(inUnitCRS)
            points = parallelMap(count: canonical.count, grain: 1 << 16) { k in
                DemandPoint(
                    location: canonical[k].location, population: canonical[k].weight,
                    unit: owners[k] >= 0 ? Int(owners[k]) : nil)
            }
        }
        // The sums in point order, as one pass over a raw buffer.
        var perUnit = [Double](repeating: 0, count: unitIDs.count)
        points.withUnsafeBufferPointer { points in
            for p in points {
                report.input += p.population
                if let u = p.unit {
                    report.counted += p.population
                    perUnit[u] += p.population
                } else {
                    report.outsidePoints += 1
                    report.outsidePopulation += p.population
                }
            }
        }
        var demand = Demand(points: points, unitIDs: unitIDs, report: report)
        demand.report.emptyUnits = unitIDs.indices.filter { perUnit[$0] == 0 }.map { unitIDs[$0] }
        return demand
    }

    /// The unit index of every point of `columns` from the codes in its unit column (ASCII
    /// blanks at the ends ignored), matched against `unitIDs` (the first unit of a repeated
    /// code); a code that is no unit is an error naming the file, record and field.
    /// O(n) hash lookups, on all cores.
    static func namedUnits(
        _ columns: PointColumns, _ unitColumn: (index: Int, name: String), unitIDs: [String], unitID: String,
        units: String
    ) throws -> [Int32] {
        guard columns.texts.indices.contains(unitColumn.index) else {
            throw GISError(
                .usage, operation: "read population", file: columns.source,
                message: "the unit column \(unitColumn.name) was not read")
        }
        var firstOf: [String: Int32] = [:]
        for (i, id) in unitIDs.enumerated() where firstOf[id] == nil { firstOf[id] = Int32(i) }
        let index = firstOf
        let codes = columns.texts[unitColumn.index]
        let found = parallelMap(count: codes.count, grain: 1 << 14) { k -> Int32 in
            index[String(codes[k].trimmingASCIIBlanks)] ?? -1
        }
        if let k = found.firstIndex(of: -1) {
            let code = String(codes[k].trimmingASCIIBlanks)
            throw GISError(
                .input, operation: "read population", file: columns.source, record: columns.records[k],
                field: unitColumn.name,
                message: code.isEmpty
                    ? "the point names no unit"
                    : "'\(code)' is not a unit: no \(unitID) of \(units) has that code")
        }
        return found
    }
}

extension String {
    /// The string without ASCII spaces and tabs at its ends (a CSV field's padding).
    var trimmingASCIIBlanks: Substring {
        let blank: (UInt8) -> Bool = { $0 == 0x20 || $0 == 0x09 }
        let bytes = utf8
        guard let first = bytes.firstIndex(where: { !blank($0) }), let last = bytes.lastIndex(where: { !blank($0) })
        else { return self[endIndex...] }
        return self[first...last]
    }
}
