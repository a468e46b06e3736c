import CPROJ

/// Distances and areas on the WGS 84 ellipsoid, through the GeographicLib routines bundled
/// with PROJ (`geod_inverse`, `geod_polygonarea`; Karney, "Algorithms for geodesics",
/// J. Geodesy 87, 2013, doi:10.1007/s00190-012-0578-z). Accurate to nanometres anywhere,
/// Galápagos included, so no projection is chosen for lengths and areas.
///
/// Coordinates are longitude/latitude in degrees.
public struct Geodesic: Sendable {
    private let geod: geod_geodesic

    /// WGS 84: a = 6 378 137 m, f = 1/298.257223563.
    public init(equatorialRadius a: Double = 6_378_137, flattening f: Double = 1 / 298.257223563) {
        var g = geod_geodesic()
        geod_init(&g, a, f)
        geod = g
    }

    /// Geodesic distance in metres (`geod_inverse`, asked for the distance only, so the
    /// azimuths are not computed).
    public func distance(_ a: Coordinate, _ b: Coordinate) -> Double {
        var s12 = 0.0
        withUnsafePointer(to: geod) { g in geod_inverse(g, a.y, a.x, b.y, b.x, &s12, nil, nil) }
        return s12
    }

    /// Signed ring area in m², positive when counter-clockwise (`geod_polygonarea`). The
    /// closing vertex, when present, is ignored.
    public func ringArea(_ ring: [Coordinate]) -> Double {
        var points = ring
        if points.count > 1, points.first == points.last { points.removeLast() }
        guard points.count >= 3 else { return 0 }
        var lats = points.map(\.y)
        var lons = points.map(\.x)
        var g = geod
        var area = 0.0
        var perimeter = 0.0
        geod_polygonarea(&g, &lats, &lons, Int32(points.count), &area, &perimeter)
        return area
    }

    /// Length of a path in metres (sum of geodesic segment lengths).
    public func pathLength(_ path: [Coordinate]) -> Double {
        guard path.count > 1 else { return 0 }
        var total = 0.0
        for i in 1..<path.count { total += distance(path[i - 1], path[i]) }
        return total
    }

    /// Area in m² of the polygonal parts: |exterior| − Σ|holes| per polygon.
    public func area(_ value: GeometryValue) -> Double {
        value.polygons.reduce(0) { total, p in
            total + abs(ringArea(p.exterior)) - p.holes.reduce(0) { $0 + abs(ringArea($1)) }
        }
    }

    /// Length in metres: lines' lengths, or polygons' perimeters (all rings).
    public func length(_ value: GeometryValue) -> Double {
        switch value {
        case .point, .multiPoint: 0
        case .lineString(let l): pathLength(l)
        case .multiLineString(let ls): ls.reduce(0) { $0 + pathLength($1) }
        case .polygon(let p): p.rings.reduce(0) { $0 + pathLength($1) }
        case .multiPolygon(let ps): ps.reduce(0) { t, p in t + p.rings.reduce(0) { $0 + pathLength($1) } }
        case .collection(let gs): gs.reduce(0) { $0 + length($1) }
        }
    }
}

/// Geodesic measures of geometries given in any CRS: coordinates are first transformed to
/// WGS 84 longitude/latitude, then measured on the ellipsoid. This is the project's answer to
/// "which metric CRS for Ecuador": none for measures (UTM 17S inflates Galápagos by ~1 %),
/// a projected CRS only for operations that need planar metres (buffer, simplify), chosen
/// by ``MetricFrame``.
public final class GeodesicMeasure {
    public let crs: CRS
    private let toLonLat: CoordinateTransform
    public let geodesic = Geodesic()

    public init(crs: CRS, context: ProjContext) throws {
        self.crs = crs
        toLonLat = try context.transform(from: crs, to: .wgs84)
    }

    public func area(_ value: GeometryValue) throws -> Double {
        geodesic.area(try toLonLat.apply(value))
    }

    public func length(_ value: GeometryValue) throws -> Double {
        geodesic.length(try toLonLat.apply(value))
    }

    public func lonLat(_ c: Coordinate) throws -> Coordinate {
        try toLonLat.apply(c)
    }
}

@available(*, unavailable, message: "bound to a single-threaded PROJ context")
extension GeodesicMeasure: Sendable {}
