import CGEOS

/// What ``Geometry/makeValid()`` changed, for reports.
public struct ValidityRepair: Sendable, Hashable {
    /// GEOS's reason the input was invalid (`GEOSisValidDetail_r`), nil when it was valid.
    public var reason: String?
    public var typeBefore: String
    public var typeAfter: String
    /// Planar areas (CRS units²) before and after; a bow-tie keeps both lobes, so the change
    /// is usually small, but a collapsed part can vanish.
    public var areaBefore: Double
    public var areaAfter: Double
}

extension Geometry {
    /// Whether the geometry is valid in the OGC sense (`GEOSisValid_r`).
    public func isValid() throws -> Bool {
        try context.predicate(GEOSisValid_r(handle, pointer), "validity check")
    }

    /// nil when valid, else GEOS's reason with its location, e.g.
    /// "Self-intersection at (2 2)" (`GEOSisValidDetail_r`).
    public func invalidityReason() throws -> String? {
        var reason: UnsafeMutablePointer<CChar>?
        var location: OpaquePointer?
        let result = GEOSisValidDetail_r(handle, pointer, 0, &reason, &location)
        defer {
            if let reason { GEOSFree_r(handle, reason) }
            if let location { GEOSGeom_destroy_r(handle, location) }
        }
        switch result {
        case 1: return nil
        case 0:
            var text = reason.map { String(cString: $0) } ?? "invalid"
            if let location {
                var x = 0.0, y = 0.0
                if GEOSGeomGetX_r(handle, location, &x) != 0, GEOSGeomGetY_r(handle, location, &y) != 0 {
                    text += " at (\(JSONText.number(x)) \(JSONText.number(y)))"
                }
            }
            return text
        default:
            throw GISError(.operation, operation: "validity check", message: context.takeError())
        }
    }

    /// A valid geometry of the same dimension, built with the "structure" method, which
    /// treats rings as area boundaries and drops collapsed parts
    /// (`GEOSMakeValidWithParams_r`, `GEOS_MAKE_VALID_STRUCTURE`).
    public func makeValid() throws -> Geometry {
        guard let params = GEOSMakeValidParams_create_r(handle) else {
            throw GISError(.operation, operation: "make valid", message: context.takeError())
        }
        defer { GEOSMakeValidParams_destroy_r(handle, params) }
        GEOSMakeValidParams_setMethod_r(handle, params, GEOS_MAKE_VALID_STRUCTURE)
        GEOSMakeValidParams_setKeepCollapsed_r(handle, params, 0)
        return try context.own(GEOSMakeValidWithParams_r(handle, pointer, params), "make valid")
    }

    /// ``makeValid()`` plus a record of what changed.
    public func repaired() throws -> (Geometry, ValidityRepair) {
        let reason = try invalidityReason()
        let fixed = reason == nil ? self : try makeValid()
        return (
            fixed,
            ValidityRepair(
                reason: reason, typeBefore: typeName, typeAfter: fixed.typeName,
                areaBefore: try area(), areaAfter: try fixed.area())
        )
    }

    /// `GEOSIntersection_r`.
    public func intersection(_ other: Geometry) throws -> Geometry {
        try context.own(GEOSIntersection_r(handle, pointer, other.pointer), "intersection")
    }

    /// `GEOSDifference_r`.
    public func difference(_ other: Geometry) throws -> Geometry {
        try context.own(GEOSDifference_r(handle, pointer, other.pointer), "difference")
    }

    /// `GEOSUnion_r`.
    public func union(_ other: Geometry) throws -> Geometry {
        try context.own(GEOSUnion_r(handle, pointer, other.pointer), "union")
    }

    /// Union of all parts of this geometry (`GEOSUnaryUnion_r`, cascaded overlay).
    public func unaryUnion() throws -> Geometry {
        try context.own(GEOSUnaryUnion_r(handle, pointer), "union")
    }

    /// Dissolve of a collection of polygons that form a clean coverage (edges matched
    /// exactly, no overlaps) by removing shared edges (`GEOSCoverageUnion_r`). Much faster
    /// than ``unaryUnion()``, and wrong on overlapping input: see ``Dissolve``.
    public func coverageUnion() throws -> Geometry {
        try context.own(GEOSCoverageUnion_r(handle, pointer), "coverage union")
    }

    /// `GEOSBoundary_r`: rings of a polygon, end points of a line.
    public func boundary() throws -> Geometry {
        try context.own(GEOSBoundary_r(handle, pointer), "boundary")
    }

    /// Buffer by `distance` CRS units, `quadrantSegments` segments per quarter circle
    /// (`GEOSBuffer_r`).
    public func buffer(_ distance: Double, quadrantSegments: Int = 8) throws -> Geometry {
        try context.own(GEOSBuffer_r(handle, pointer, distance, Int32(quadrantSegments)), "buffer")
    }

    /// Douglas–Peucker simplification that keeps rings simple and holes inside their shells
    /// (`GEOSTopologyPreserveSimplify_r`). Neighbouring polygons are simplified one at a time:
    /// shared edges may drift apart by up to `tolerance`.
    public func simplifiedPreservingTopology(_ tolerance: Double) throws -> Geometry {
        try context.own(GEOSTopologyPreserveSimplify_r(handle, pointer, tolerance), "simplify")
    }

    /// The part of the geometry inside a rectangle (`GEOSClipByRect_r`); fast, but the
    /// result may be invalid where the input was.
    public func clipped(to e: Envelope) throws -> Geometry {
        try context.own(GEOSClipByRect_r(handle, pointer, e.minX, e.minY, e.maxX, e.maxY), "clip")
    }

    /// Snaps coordinates to a grid of size `gridSize` (`GEOSGeom_setPrecision_r`).
    public func withPrecision(_ gridSize: Double) throws -> Geometry {
        try context.own(GEOSGeom_setPrecision_r(handle, pointer, gridSize, 0), "set precision")
    }

    /// Voronoi cells of this geometry's vertices, clipped to `envelope` when given
    /// (`GEOSVoronoiDiagram_r`).
    public func voronoiCells(envelope: Geometry? = nil) throws -> Geometry {
        try context.own(GEOSVoronoiDiagram_r(handle, pointer, envelope?.pointer, 0, 0), "voronoi")
    }

    /// The lines the two boundaries share (`GEOSIntersection_r` of `GEOSBoundary_r`s, each
    /// clipped first to the envelope the two have in common, which keeps the overlay small).
    /// A point contact gives a point (length 0); overlapping polygons give the boundary
    /// pieces that coincide.
    public func sharedBoundary(with other: Geometry) throws -> Geometry {
        try Geometry.sharedLine(try boundary(), envelope, try other.boundary(), other.envelope)
    }

    /// The intersection of two precomputed boundaries, each first clipped to the envelope
    /// the two features have in common (widened by a hair so edges on it stay in).
    static func sharedLine(_ a: Geometry, _ ea: Envelope, _ b: Geometry, _ eb: Envelope) throws -> Geometry {
        var common = Envelope(
            minX: max(ea.minX, eb.minX), minY: max(ea.minY, eb.minY),
            maxX: min(ea.maxX, eb.maxX), maxY: min(ea.maxY, eb.maxY))
        let margin = max(common.width, common.height, 1) * 1e-6
        common = Envelope(
            minX: common.minX - margin, minY: common.minY - margin,
            maxX: common.maxX + margin, maxY: common.maxY + margin)
        return try a.clipped(to: common).intersection(try b.clipped(to: common))
    }

    /// Planar length of ``sharedBoundary(with:)`` in CRS units.
    public func sharedBoundaryLength(with other: Geometry) throws -> Double {
        guard envelope.intersects(other.envelope) else { return 0 }
        return try sharedBoundary(with: other).length()
    }

    /// Whether the DE-9IM matrix of the two geometries matches `pattern`
    /// (`GEOSRelatePattern_r`; e.g. `FF*F*****`: they meet at most boundary to boundary).
    public func relates(_ other: Geometry, pattern: String) throws -> Bool {
        try context.predicate(GEOSRelatePattern_r(handle, pointer, other.pointer, pattern), "relate")
    }

    /// `GEOSisSimple_r`: a line that does not cross or touch itself (but at its ends).
    public func isSimple() throws -> Bool {
        try context.predicate(GEOSisSimple_r(handle, pointer), "is simple")
    }

    /// `GEOSIntersects_r`.
    public func intersects(_ other: Geometry) throws -> Bool {
        try context.predicate(GEOSIntersects_r(handle, pointer, other.pointer), "intersects")
    }

    /// `GEOSTouches_r`.
    public func touches(_ other: Geometry) throws -> Bool {
        try context.predicate(GEOSTouches_r(handle, pointer, other.pointer), "touches")
    }

    /// `GEOSContains_r`.
    public func contains(_ other: Geometry) throws -> Bool {
        try context.predicate(GEOSContains_r(handle, pointer, other.pointer), "contains")
    }

    /// `GEOSCovers_r`: like contains, but boundary points count.
    public func covers(_ other: Geometry) throws -> Bool {
        try context.predicate(GEOSCovers_r(handle, pointer, other.pointer), "covers")
    }

    /// `GEOSEqualsExact_r` with tolerance 0 (same vertices in the same order).
    public func equalsExactly(_ other: Geometry) throws -> Bool {
        try context.predicate(GEOSEqualsExact_r(handle, pointer, other.pointer, 0), "equals")
    }

    /// `GEOSEquals_r` (topological equality).
    public func equalsTopologically(_ other: Geometry) throws -> Bool {
        try context.predicate(GEOSEquals_r(handle, pointer, other.pointer), "equals")
    }
}

extension Geometry {
    /// The closest pair of points, one on each geometry (`GEOSNearestPoints_r`).
    public func nearestPoints(to other: Geometry) throws -> (Coordinate, Coordinate) {
        guard let seq = GEOSNearestPoints_r(handle, pointer, other.pointer) else {
            throw GISError(.operation, operation: "nearest points", message: context.takeError())
        }
        defer { GEOSCoordSeq_destroy_r(handle, seq) }
        var a = Coordinate(0, 0), b = Coordinate(0, 0)
        GEOSCoordSeq_getXY_r(handle, seq, 0, &a.x, &a.y)
        GEOSCoordSeq_getXY_r(handle, seq, 1, &b.x, &b.y)
        return (a, b)
    }
}
