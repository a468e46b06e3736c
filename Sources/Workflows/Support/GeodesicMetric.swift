import GIS
import Planning

/// Geodesic distances for the planning module: GeographicLib's `geod_inverse` through the
/// GIS module (Karney 2013, doi:10.1007/s00190-012-0578-z).
public struct GeodesicMetric: DistanceMetric {
    let geodesic = Geodesic()

    public init() {}

    public func metres(_ a: GeoPoint, _ b: GeoPoint) -> Double {
        geodesic.distance(Coordinate(a.lon, a.lat), Coordinate(b.lon, b.lat))
    }
}
