/// Finds the polygon that holds a point, at national scale. `locate` answers GEOS's `covers`
/// exactly through a ``PolygonPointIndex`` (no GEOS object per point; a point on a shared
/// border goes to the lowest-indexed polygon, so results do not depend on order); `nearest`
/// uses an STRtree over the polygons' envelopes and GEOS prepared distances, built on first
/// use (most runs never need it).
public final class PolygonLocator {
    public let context: GeometryContext
    /// The exact point-in-polygon index (Sendable: usable from other tasks).
    public let pointIndex: PolygonPointIndex
    private let values: [GeometryValue?]
    private let source: String?
    private var built: LayerGeometries?
    private var nearestParts: (index: SpatialIndex, prepared: [PreparedGeometry?])?

    /// From a layer's polygons (coordinates in the layer's CRS).
    public init(layer: Layer, context: GeometryContext) {
        self.context = context
        values = layer.features.map(\.geometry)
        source = layer.source
        pointIndex = PolygonPointIndex(values)
    }

    /// From polygons already built in GEOS.
    public init(_ polygons: LayerGeometries) throws {
        context = polygons.context
        source = nil
        built = polygons
        values = try polygons.geometries.map { g in try g.flatMap { $0.isEmpty ? nil : try $0.value() } }
        pointIndex = PolygonPointIndex(values)
    }

    /// Index of the polygon covering `c` (coordinates in the polygons' CRS), or nil.
    public func locate(_ c: Coordinate) throws -> Int? {
        pointIndex.locate(c)
    }

    /// `locate` for many points on all cores, in input order (−1 for none).
    public func locateAll(_ points: [Coordinate]) -> [Int32] {
        pointIndex.locateAll(points)
    }

    /// The nearest polygon and its planar distance (CRS units), for points that fall
    /// outside every polygon.
    public func nearest(_ c: Coordinate) throws -> (index: Int, distance: Double)? {
        if nearestParts == nil {
            let geometries = try built?.geometries
                ?? values.enumerated().map { i, v in
                    try atRecord(source, i + 1) { try v.map { try context.geometry($0) } }
                }
            let polygons = built ?? LayerGeometries(geometries: geometries, context: context)
            nearestParts = (
                try polygons.index(),
                try geometries.map { g in try g.flatMap { $0.isEmpty ? nil : try PreparedGeometry($0) } }
            )
        }
        guard let (index, prepared) = nearestParts else { return nil }
        let point = try context.point(c)
        guard let i = try index.nearest(to: point), let p = prepared[i] else { return nil }
        return (i, try p.distance(to: point))
    }
}

@available(*, unavailable, message: "bound to a single-threaded GEOS context")
extension PolygonLocator: Sendable {}
