import GIS

/// A file of weighted points (a CSV of lon/lat points, or any layer: polygons count by their
/// interior point), read once for both uses: population points that weight split pieces and
/// candidate or population points for placement. A weight that is missing, negative or not a
/// number is an error naming the file and record.
struct WeightedPointsFile {
    struct Point {
        var name: String
        /// In the file's CRS, and in the target CRS.
        var source: Coordinate
        var target: Coordinate
        var weight: Double
    }

    /// `idColumn` names the points (default: a column `id` when there is one, else the row).
    static func read(_ path: String, weightColumn: String?, to crs: CRS, idColumn: String? = nil) throws -> [Point] {
        try readWithCRS(path, weightColumn: weightColumn, to: crs, idColumn: idColumn).points
    }

    /// The points and the CRS of the file (the CRS of `source`).
    static func readWithCRS(_ path: String, weightColumn: String?, to crs: CRS, idColumn: String? = nil) throws
        -> (points: [Point], crs: CRS)
    {
        if try LayerFormat(path: path) == .csv { return try readCSV(path, weightColumn: weightColumn, to: crs, idColumn: idColumn) }
        let layer = try LayerIO.read(path)
        let id = try idColumn.map { try layer.requireField($0) } ?? layer.fieldIndex("id")
        let weight = try weightColumn.map { try layer.requireField($0) }
        let context = GeometryContext()
        let transform = try ProjContext().transform(from: layer.crs ?? .wgs84, to: crs)
        var out: [Point] = []
        for (k, f) in layer.features.enumerated() {
            guard let g = f.geometry else { continue }
            let w = weight.map { f.attributes[$0].number ?? -1 } ?? 1
            guard w >= 0, w.isFinite else {
                throw GISError(
                    .input, operation: "read weighted points", file: path, record: k + 1, field: weightColumn,
                    message: "the weight must be a non-negative number")
            }
            let (c, target) = try atRecord(path, k + 1) {
                let c: Coordinate
                if case .point(let p) = g { c = p } else { c = try context.geometry(g).pointOnSurface().pointCoordinate() }
                return (c, try transform.apply(c))
            }
            out.append(
                Point(
                    name: id.map { f.attributes[$0].description } ?? "\(path) row \(k + 1)", source: c,
                    target: target, weight: w))
        }
        return (out, layer.crs ?? .wgs84)
    }

    /// A CSV (or `.csv.gz`) of points, read column-wise in parallel (``PointColumns``) and
    /// transformed on all cores: the path for files of millions of points. Errors name the
    /// file and line.
    static func readCSV(_ path: String, weightColumn: String?, to crs: CRS, idColumn: String?) throws
        -> (points: [Point], crs: CRS)
    {
        let idName = try idColumn ?? (CSVTable.headerFields(path).contains("id") ? "id" : nil)
        let columns = try PointColumns.read(
            path, numeric: weightColumn.map { [$0] } ?? [], text: idName.map { [$0] } ?? [])
        var targets = columns.coordinates
        try CoordinateTransform.applyInParallel(
            &targets, from: columns.crs, to: crs, context: try ProjContext(), file: path,
            record: { columns.records[$0] })
        var out: [Point] = []
        out.reserveCapacity(columns.count)
        for k in 0..<columns.count {
            let w = weightColumn == nil ? 1 : columns.numbers[0][k] ?? -1
            guard w >= 0, w.isFinite else {
                throw GISError(
                    .input, operation: "read weighted points", file: path, record: columns.records[k],
                    field: weightColumn, message: "the weight must be a non-negative number")
            }
            out.append(
                Point(
                    name: idName == nil ? "\(path) row \(k + 1)" : columns.texts[0][k], source: columns.coordinates[k],
                    target: targets[k], weight: w))
        }
        return (out, columns.crs)
    }
}
