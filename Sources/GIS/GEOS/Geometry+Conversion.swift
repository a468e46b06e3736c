import CGEOS

extension GeometryContext {
    /// Builds a GEOS geometry from its value form (`GEOSCoordSeq_copyFromBuffer_r`,
    /// `GEOSGeom_createPolygon_r`, `GEOSGeom_createCollection_r`). Throws GEOS's message when
    /// the value cannot be a geometry (a ring with fewer than 4 points, an open ring...).
    public func geometry(_ value: GeometryValue) throws -> Geometry {
        try own(try makeRaw(value), "build \(value.typeName)")
    }

    /// A point geometry (`GEOSGeom_createPointFromXY_r`).
    public func point(_ c: Coordinate) throws -> Geometry {
        try own(GEOSGeom_createPointFromXY_r(handle, c.x, c.y), "build Point")
    }

    /// An axis-aligned rectangle (`GEOSGeom_createRectangle_r`).
    public func rectangle(_ e: Envelope) throws -> Geometry {
        try own(GEOSGeom_createRectangle_r(handle, e.minX, e.minY, e.maxX, e.maxY), "build rectangle")
    }

    /// A collection made of clones of `parts` (`GEOSGeom_createCollection_r`).
    public func collection(_ parts: [Geometry]) throws -> Geometry {
        var raw: [OpaquePointer] = []
        do {
            for part in parts { raw.append(try part.cloneRaw()) }
        } catch {
            for p in raw { GEOSGeom_destroy_r(handle, p) }
            throw error
        }
        return Geometry(owning: try collectionRaw(raw, type: GEOS_GEOMETRYCOLLECTION), in: self)
    }

    private func coordSeq(_ coords: [Coordinate]) throws -> OpaquePointer {
        let seq: OpaquePointer? = coords.withUnsafeBytes { bytes in
            guard let base = bytes.baseAddress, !coords.isEmpty else {
                return GEOSCoordSeq_create_r(handle, 0, 2)
            }
            return GEOSCoordSeq_copyFromBuffer_r(
                handle, base.assumingMemoryBound(to: Double.self), UInt32(coords.count), 0, 0)
        }
        guard let seq else { throw GISError(.operation, operation: "coordinate sequence", message: takeError()) }
        return seq
    }

    private func ring(_ coords: [Coordinate]) throws -> OpaquePointer {
        let seq = try coordSeq(coords)  // ownership passes to the ring
        guard let r = GEOSGeom_createLinearRing_r(handle, seq) else {
            throw GISError(.operation, operation: "build ring", message: takeError())
        }
        return r
    }

    private func polygonRaw(_ p: PolygonValue) throws -> OpaquePointer {
        if p.exterior.isEmpty {
            guard let e = GEOSGeom_createEmptyPolygon_r(handle) else {
                throw GISError(.operation, operation: "build Polygon", message: takeError())
            }
            return e
        }
        let shell = try ring(p.exterior)
        var holes: [OpaquePointer?] = []
        do {
            for h in p.holes { holes.append(try ring(h)) }
        } catch {
            GEOSGeom_destroy_r(handle, shell)
            for h in holes { GEOSGeom_destroy_r(handle, h) }
            throw error
        }
        let poly = holes.withUnsafeMutableBufferPointer {
            GEOSGeom_createPolygon_r(handle, shell, $0.baseAddress, UInt32($0.count))
        }
        guard let poly else { throw GISError(.operation, operation: "build Polygon", message: takeError()) }
        return poly
    }

    /// Hands `parts` to GEOS, which owns them from the call on, even when it fails.
    private func collectionRaw(_ parts: [OpaquePointer], type: GEOSGeomTypes) throws
        -> OpaquePointer
    {
        var optionals: [OpaquePointer?] = parts
        let result = optionals.withUnsafeMutableBufferPointer {
            GEOSGeom_createCollection_r(handle, Int32(type.rawValue), $0.baseAddress, UInt32($0.count))
        }
        guard let result else {
            throw GISError(.operation, operation: "build collection", message: takeError())
        }
        return result
    }

    private func makeRaw(_ value: GeometryValue) throws -> OpaquePointer {
        func checked(_ p: OpaquePointer?) throws -> OpaquePointer {
            guard let p else { throw GISError(.operation, operation: "build \(value.typeName)", message: takeError()) }
            return p
        }
        func collect(_ parts: [GeometryValue], _ type: GEOSGeomTypes) throws -> OpaquePointer {
            var raw: [OpaquePointer] = []
            do {
                for part in parts { raw.append(try makeRaw(part)) }
            } catch {
                for p in raw { GEOSGeom_destroy_r(handle, p) }
                throw error
            }
            return try collectionRaw(raw, type: type)
        }
        switch value {
        case .point(let c):
            return try checked(
                c.isFinite ? GEOSGeom_createPointFromXY_r(handle, c.x, c.y) : GEOSGeom_createEmptyPoint_r(handle))
        case .lineString(let cs):
            return try checked(GEOSGeom_createLineString_r(handle, try coordSeq(cs)))
        case .polygon(let p):
            return try polygonRaw(p)
        case .multiPoint(let cs):
            return try collect(cs.map { .point($0) }, GEOS_MULTIPOINT)
        case .multiLineString(let ls):
            return try collect(ls.map { .lineString($0) }, GEOS_MULTILINESTRING)
        case .multiPolygon(let ps):
            return try collect(ps.map { .polygon($0) }, GEOS_MULTIPOLYGON)
        case .collection(let gs):
            return try collect(gs, GEOS_GEOMETRYCOLLECTION)
        }
    }

    /// Reads WKT (`GEOSWKTReader_read_r`).
    public func geometry(wkt: String) throws -> Geometry {
        guard let reader = GEOSWKTReader_create_r(handle) else {
            throw GISError(.operation, operation: "WKT reader", message: takeError())
        }
        defer { GEOSWKTReader_destroy_r(handle, reader) }
        return try own(GEOSWKTReader_read_r(handle, reader, wkt), "read WKT")
    }

    /// Reads WKB or EWKB (`GEOSWKBReader_read_r`).
    public func geometry(wkb: [UInt8]) throws -> Geometry {
        guard let reader = GEOSWKBReader_create_r(handle) else {
            throw GISError(.operation, operation: "WKB reader", message: takeError())
        }
        defer { GEOSWKBReader_destroy_r(handle, reader) }
        return try own(GEOSWKBReader_read_r(handle, reader, wkb, wkb.count), "read WKB")
    }
}

extension Geometry {
    /// The value form (`GEOSCoordSeq_copyToBuffer_r` on every part).
    public func value() throws -> GeometryValue {
        try Self.value(of: pointer, handle: handle, context: context)
    }

    private static func coordinates(
        _ g: OpaquePointer, handle: OpaquePointer, context: GeometryContext
    ) throws -> [Coordinate] {
        guard let seq = GEOSGeom_getCoordSeq_r(handle, g) else {
            throw GISError(.operation, operation: "read coordinates", message: context.takeError())
        }
        var size: UInt32 = 0
        GEOSCoordSeq_getSize_r(handle, seq, &size)
        var out = [Coordinate](repeating: Coordinate(0, 0), count: Int(size))
        guard size > 0 else { return out }
        let ok = out.withUnsafeMutableBytes {
            GEOSCoordSeq_copyToBuffer_r(handle, seq, $0.baseAddress!.assumingMemoryBound(to: Double.self), 0, 0)
        }
        guard ok != 0 else {
            throw GISError(.operation, operation: "read coordinates", message: context.takeError())
        }
        return out
    }

    private static func polygon(
        _ g: OpaquePointer, handle: OpaquePointer, context: GeometryContext
    ) throws -> PolygonValue {
        guard GEOSisEmpty_r(handle, g) == 0 else { return PolygonValue(exterior: []) }
        guard let shell = GEOSGetExteriorRing_r(handle, g) else {
            throw GISError(.operation, operation: "exterior ring", message: context.takeError())
        }
        let holeCount = GEOSGetNumInteriorRings_r(handle, g)
        var holes: [[Coordinate]] = []
        for i in 0..<max(0, holeCount) {
            guard let h = GEOSGetInteriorRingN_r(handle, g, i) else { continue }
            holes.append(try coordinates(h, handle: handle, context: context))
        }
        return PolygonValue(exterior: try coordinates(shell, handle: handle, context: context), holes: holes)
    }

    private static func value(
        of g: OpaquePointer, handle: OpaquePointer, context: GeometryContext
    ) throws -> GeometryValue {
        let type = GEOSGeomTypeId_r(handle, g)
        func parts() -> [OpaquePointer] {
            (0..<max(0, GEOSGetNumGeometries_r(handle, g))).compactMap { GEOSGetGeometryN_r(handle, g, $0) }
        }
        switch type {
        case Int32(GEOS_POINT.rawValue):
            if GEOSisEmpty_r(handle, g) == 1 { return .point(Coordinate(.nan, .nan)) }
            return .point(try coordinates(g, handle: handle, context: context)[0])
        case Int32(GEOS_LINESTRING.rawValue), Int32(GEOS_LINEARRING.rawValue):
            return .lineString(try coordinates(g, handle: handle, context: context))
        case Int32(GEOS_POLYGON.rawValue):
            return .polygon(try polygon(g, handle: handle, context: context))
        case Int32(GEOS_MULTIPOINT.rawValue):
            return .multiPoint(try parts().map { try coordinates($0, handle: handle, context: context)[0] })
        case Int32(GEOS_MULTILINESTRING.rawValue):
            return .multiLineString(try parts().map { try coordinates($0, handle: handle, context: context) })
        case Int32(GEOS_MULTIPOLYGON.rawValue):
            return .multiPolygon(try parts().map { try polygon($0, handle: handle, context: context) })
        default:
            return .collection(try parts().map { try value(of: $0, handle: handle, context: context) })
        }
    }

    /// WKT text (`GEOSWKTWriter_write_r`); `decimals` fixes the rounding, nil keeps full
    /// precision.
    public func wkt(decimals: Int? = nil) throws -> String {
        guard let writer = GEOSWKTWriter_create_r(handle) else {
            throw GISError(.operation, operation: "WKT writer", message: context.takeError())
        }
        defer { GEOSWKTWriter_destroy_r(handle, writer) }
        GEOSWKTWriter_setTrim_r(handle, writer, 1)
        if let decimals { GEOSWKTWriter_setRoundingPrecision_r(handle, writer, Int32(decimals)) }
        guard let s = GEOSWKTWriter_write_r(handle, writer, pointer) else {
            throw GISError(.operation, operation: "write WKT", message: context.takeError())
        }
        defer { GEOSFree_r(handle, s) }
        return String(cString: s)
    }

    /// ISO WKB, little-endian (`GEOSWKBWriter_write_r`).
    public func wkb() throws -> [UInt8] {
        guard let writer = GEOSWKBWriter_create_r(handle) else {
            throw GISError(.operation, operation: "WKB writer", message: context.takeError())
        }
        defer { GEOSWKBWriter_destroy_r(handle, writer) }
        GEOSWKBWriter_setByteOrder_r(handle, writer, Int32(GEOS_WKB_NDR.rawValue))
        var size = 0
        guard let bytes = GEOSWKBWriter_write_r(handle, writer, pointer, &size) else {
            throw GISError(.operation, operation: "write WKB", message: context.takeError())
        }
        defer { GEOSFree_r(handle, bytes) }
        return Array(UnsafeBufferPointer(start: bytes, count: size))
    }
}
