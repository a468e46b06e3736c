/// A geometry GEOS finds invalid, with its reason.
public struct InvalidGeometry: Sendable, Hashable {
    /// 0-based feature index.
    public var index: Int
    public var reason: String
}

/// Two features whose interiors overlap, with the overlap's geodesic area.
public struct Overlap: Sendable, Hashable {
    public var a: Int
    public var b: Int
    /// m²
    public var area: Double
    /// Mean width of the overlap in metres, area ÷ half its perimeter: a sliver left by
    /// coordinate rounding is centimetres wide, a real overlap metres to kilometres.
    public var meanWidth: Double
}

/// What is wrong with a polygon layer's geometry: null and empty geometries, invalid ones
/// (`GEOSisValidDetail_r`), and overlaps between features (STRtree candidates, then
/// `GEOSIntersection_r` area; invalid inputs are made valid first for that step only).
public struct LayerDiagnostics: Sendable {
    public var nullGeometries: [Int] = []
    public var emptyGeometries: [Int] = []
    public var invalid: [InvalidGeometry] = []
    public var overlaps: [Overlap] = []
    /// Overlaps narrower than the sliver width: the trace of coordinate rounding (a GeoJSON
    /// written with 6 decimals moves vertices by up to 5 cm), listed apart from real overlaps.
    public var slivers: [Overlap] = []
    public var overlapArea: Double { overlaps.reduce(0) { $0 + $1.area } }
    public var sliverArea: Double { slivers.reduce(0) { $0 + $1.area } }
    /// No empty or invalid geometry and no overlap wider than a sliver.
    public var isClean: Bool { nullGeometries.isEmpty && emptyGeometries.isEmpty && invalid.isEmpty && overlaps.isEmpty }

    /// Overlaps with mean width under `sliverWidth` metres go to ``slivers``.
    public static func check(
        _ layer: Layer, context: GeometryContext = GeometryContext(), measure: GeodesicMeasure,
        overlaps checkOverlaps: Bool = true, sliverWidth: Double = 0.5
    ) throws -> LayerDiagnostics {
        var d = LayerDiagnostics()
        let built = try LayerGeometries(layer, context: context)
        var usable: [Geometry?] = []
        for (i, g) in built.geometries.enumerated() {
            guard let g else {
                d.nullGeometries.append(i)
                usable.append(nil)
                continue
            }
            if g.isEmpty {
                d.emptyGeometries.append(i)
                usable.append(nil)
                continue
            }
            try atRecord(layer.source, i + 1) {
                if let reason = try g.invalidityReason() {
                    d.invalid.append(InvalidGeometry(index: i, reason: reason))
                    usable.append(try g.makeValid())
                } else {
                    usable.append(g)
                }
            }
        }
        guard checkOverlaps, layer.kind == .polygon else { return d }
        let index = try SpatialIndex(usable, in: context)
        for (i, gi) in usable.enumerated() {
            guard let gi else { continue }
            let prepared = try PreparedGeometry(gi)
            for j in index.candidates(intersecting: gi) where j > i {
                guard let gj = usable[j], try prepared.intersects(gj) else { continue }
                let shared = try gi.intersection(gj)
                guard try shared.area() > 0 else { continue }
                let value = try shared.value()
                let area = try measure.area(value)
                let perimeter = try measure.length(value)
                let overlap = Overlap(a: i, b: j, area: area, meanWidth: perimeter > 0 ? 2 * area / perimeter : 0)
                if overlap.meanWidth < sliverWidth { d.slivers.append(overlap) } else { d.overlaps.append(overlap) }
            }
        }
        return d
    }
}
