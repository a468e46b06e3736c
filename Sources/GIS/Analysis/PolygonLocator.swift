/// Finds the polygon that holds a point, at national scale: an STRtree over the polygons'
/// envelopes narrows the candidates, prepared geometries answer `covers` (a point on a
/// shared border goes to the lowest-indexed polygon, so results do not depend on order).
public final class PolygonLocator {
    public let context: GeometryContext
    private let index: SpatialIndex
    private let prepared: [PreparedGeometry?]

    public init(_ polygons: LayerGeometries) throws {
        context = polygons.context
        index = try polygons.index()
        prepared = try polygons.geometries.map { g in try g.flatMap { $0.isEmpty ? nil : try PreparedGeometry($0) } }
    }

    /// Index of the polygon covering `c` (coordinates in the polygons' CRS), or nil.
    public func locate(_ c: Coordinate) throws -> Int? {
        let point = try context.point(c)
        for i in index.candidates(intersecting: point) {
            if let p = prepared[i], try p.covers(point) { return i }
        }
        return nil
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
