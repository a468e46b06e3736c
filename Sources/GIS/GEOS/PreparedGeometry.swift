import CGEOS

/// A geometry pre-indexed for repeated predicates against many others (`GEOSPrepare_r`).
///
/// Keeps its base geometry alive: GEOS requires the base to outlive the prepared form.
public final class PreparedGeometry {
    public let base: Geometry
    let pointer: OpaquePointer

    /// `GEOSPrepare_r`.
    public init(_ base: Geometry) throws {
        guard let p = GEOSPrepare_r(base.context.handle, base.pointer) else {
            throw GISError(.operation, operation: "prepare geometry", message: base.context.takeError())
        }
        self.base = base
        self.pointer = p
    }

    deinit {
        GEOSPreparedGeom_destroy_r(base.context.handle, pointer)
    }

    private var handle: OpaquePointer { base.context.handle }

    /// `GEOSPreparedContains_r`.
    public func contains(_ g: Geometry) throws -> Bool {
        try base.context.predicate(GEOSPreparedContains_r(handle, pointer, g.pointer), "prepared contains")
    }

    /// `GEOSPreparedCovers_r`: a point on the boundary counts as covered.
    public func covers(_ g: Geometry) throws -> Bool {
        try base.context.predicate(GEOSPreparedCovers_r(handle, pointer, g.pointer), "prepared covers")
    }

    /// `GEOSPreparedIntersects_r`.
    public func intersects(_ g: Geometry) throws -> Bool {
        try base.context.predicate(
            GEOSPreparedIntersects_r(handle, pointer, g.pointer), "prepared intersects")
    }

    /// `GEOSPreparedOverlaps_r`: interiors meet and neither contains the other.
    public func overlaps(_ g: Geometry) throws -> Bool {
        try base.context.predicate(GEOSPreparedOverlaps_r(handle, pointer, g.pointer), "prepared overlaps")
    }

    /// `GEOSPreparedDistance_r`.
    public func distance(to g: Geometry) throws -> Double {
        try base.context.measure("prepared distance") {
            GEOSPreparedDistance_r(handle, pointer, g.pointer, $0)
        }
    }
}

@available(*, unavailable, message: "bound to a single-threaded GEOS context")
extension PreparedGeometry: Sendable {}
