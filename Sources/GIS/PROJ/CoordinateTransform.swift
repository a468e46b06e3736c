import CPROJ

/// A coordinate operation between two CRSs (`proj_create_crs_to_crs`), normalised so that x
/// is longitude/easting and y latitude/northing on both sides
/// (`proj_normalize_for_visualization`). Check: EPSG:4326 (−78.5, −0.2) → EPSG:32717
/// (778274.6307, 9977872.7878).
public final class CoordinateTransform {
    public let source: CRS
    public let target: CRS
    /// True when source and target are the same CRS: transforms return their input.
    public let isIdentity: Bool
    let context: ProjContext
    /// Owned by `context` (kept alive by the reference above).
    private let pj: OpaquePointer?

    init(context: ProjContext, from source: CRS, to target: CRS) throws {
        self.context = context
        self.source = source
        self.target = target
        pj = try context.operation(from: source, to: target)
        isIdentity = pj == nil
    }

    /// Transforms coordinates in place in one call (`proj_trans_generic`). Throws naming the
    /// first coordinate PROJ could not transform (it returns infinity for those).
    public func apply(_ coordinates: inout [Coordinate]) throws {
        guard let pj, !coordinates.isEmpty else { return }
        let n = coordinates.count
        let stride = MemoryLayout<Coordinate>.stride
        coordinates.withUnsafeMutableBytes { bytes in
            let base = bytes.baseAddress!.assumingMemoryBound(to: Double.self)
            _ = proj_trans_generic(pj, PJ_FWD, base, stride, n, base + 1, stride, n, nil, 0, 0, nil, 0, 0)
        }
        if let bad = coordinates.firstIndex(where: { !$0.isFinite }) {
            throw GISError(
                .operation, operation: "transform \(source) → \(target)",
                message: "coordinate \(bad + 1) could not be transformed: \(context.takeMessage())")
        }
    }

    /// The transformed copy of one coordinate.
    public func apply(_ c: Coordinate) throws -> Coordinate {
        var one = [c]
        try apply(&one)
        return one[0]
    }

    /// The transformed copy of a geometry value: its coordinates are gathered into one buffer
    /// and transformed in a single batch.
    public func apply(_ value: GeometryValue) throws -> GeometryValue {
        guard !isIdentity else { return value }
        var flat: [Coordinate] = []
        flat.reserveCapacity(value.vertexCount)
        value.forEachCoordinate { flat.append($0) }
        try apply(&flat)
        var next = 0
        return value.mapCoordinates { _ in
            defer { next += 1 }
            return flat[next]
        }
    }
}

@available(*, unavailable, message: "bound to a single-threaded PROJ context")
extension CoordinateTransform: Sendable {}
