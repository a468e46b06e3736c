/// Finds the polygon that holds a point, at national scale. `locate` answers GEOS's `covers`
/// exactly through a ``PolygonPointIndex`` (no GEOS object per point; a point on a shared
/// border goes to the lowest-indexed polygon, so results do not depend on order); `nearest`
/// uses the STRtree over the polygons' envelopes and GEOS prepared distances.
public final class PolygonLocator {
    public let context: GeometryContext
    /// The exact point-in-polygon index (Sendable: usable from other tasks).
    public let pointIndex: PolygonPointIndex
    private let index: SpatialIndex
    private let prepared: [PreparedGeometry?]

    public init(_ polygons: LayerGeometries) throws {
        context = polygons.context
        index = try polygons.index()
        prepared = try polygons.geometries.map { g in try g.flatMap { $0.isEmpty ? nil : try PreparedGeometry($0) } }
        pointIndex = PolygonPointIndex(try polygons.geometries.map { g in try g.flatMap { $0.isEmpty ? nil : try $0.value() } })
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
        let point = try context.point(c)
        guard let i = try index.nearest(to: point), let p = prepared[i] else { return nil }
        return (i, try p.distance(to: point))
    }
}

@available(*, unavailable, message: "bound to a single-threaded GEOS context")
extension PolygonLocator: Sendable {}
