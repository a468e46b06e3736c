import CGEOS

/// An immutable geometry held by GEOS. Operations return new geometries, so a `Geometry` is a
/// value for its users; its GEOS memory is freed when the last reference goes
/// (`GEOSGeom_destroy_r`).
///
/// Coordinates are in whatever CRS the caller works in: ``area`` and ``length`` are planar, in
/// CRS units. For metres on the ellipsoid use ``GeodesicMeasure``.
public final class Geometry {
    public let context: GeometryContext
    let pointer: OpaquePointer

    init(owning pointer: OpaquePointer, in context: GeometryContext) {
        self.pointer = pointer
        self.context = context
    }

    deinit {
        GEOSGeom_destroy_r(context.handle, pointer)
    }

    var handle: OpaquePointer { context.handle }

    /// The OGC type name (`GEOSGeomType_r`).
    public var typeName: String {
        guard let s = GEOSGeomType_r(handle, pointer) else { return "Unknown" }
        defer { GEOSFree_r(handle, s) }
        return String(cString: s)
    }

    /// `GEOSisEmpty_r`.
    public var isEmpty: Bool { GEOSisEmpty_r(handle, pointer) == 1 }

    /// Number of vertices (`GEOSGetNumCoordinates_r`).
    public var vertexCount: Int { Int(GEOSGetNumCoordinates_r(handle, pointer)) }

    /// Number of parts of a collection, 1 for a single geometry (`GEOSGetNumGeometries_r`).
    public var partCount: Int { Int(GEOSGetNumGeometries_r(handle, pointer)) }

    /// Planar area in CRS units squared (`GEOSArea_r`).
    public func area() throws -> Double {
        try context.measure("area") { GEOSArea_r(handle, pointer, $0) }
    }

    /// Planar length (perimeter for polygons) in CRS units (`GEOSLength_r`).
    public func length() throws -> Double {
        try context.measure("length") { GEOSLength_r(handle, pointer, $0) }
    }

    /// Planar minimum distance (`GEOSDistance_r`).
    public func distance(to other: Geometry) throws -> Double {
        try context.measure("distance") { GEOSDistance_r(handle, pointer, other.pointer, $0) }
    }

    /// Bounding box (`GEOSGeom_getXMin_r` and siblings); empty for an empty geometry.
    public var envelope: Envelope {
        guard !isEmpty else { return .empty }
        var e = Envelope.empty
        _ = GEOSGeom_getXMin_r(handle, pointer, &e.minX)
        _ = GEOSGeom_getYMin_r(handle, pointer, &e.minY)
        _ = GEOSGeom_getXMax_r(handle, pointer, &e.maxX)
        _ = GEOSGeom_getYMax_r(handle, pointer, &e.maxY)
        return e
    }

    /// Centre of mass (`GEOSGetCentroid_r`); may fall outside a concave polygon.
    public func centroid() throws -> Geometry {
        try context.own(GEOSGetCentroid_r(handle, pointer), "centroid")
    }

    /// A point guaranteed to lie inside the geometry (`GEOSPointOnSurface_r`).
    public func pointOnSurface() throws -> Geometry {
        try context.own(GEOSPointOnSurface_r(handle, pointer), "point on surface")
    }

    /// The x,y of a point geometry (`GEOSGeomGetX_r`, `GEOSGeomGetY_r`).
    public func pointCoordinate() throws -> Coordinate {
        var c = Coordinate(0, 0)
        guard GEOSGeomGetX_r(handle, pointer, &c.x) != 0, GEOSGeomGetY_r(handle, pointer, &c.y) != 0
        else { throw GISError(.operation, operation: "point coordinate", message: context.takeError()) }
        return c
    }

    /// An independent copy (`GEOSGeom_clone_r`), used where GEOS takes ownership.
    func cloneRaw() throws -> OpaquePointer {
        guard let p = GEOSGeom_clone_r(handle, pointer) else {
            throw GISError(.operation, operation: "clone", message: context.takeError())
        }
        return p
    }
}

@available(*, unavailable, message: "GEOS geometries are bound to their single-threaded context")
extension Geometry: Sendable {}
