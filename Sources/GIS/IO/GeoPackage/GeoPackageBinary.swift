/// The geometry blob of GeoPackage feature tables (OGC 12-128r18 §2.1.3,
/// "StandardGeoPackageBinary"): `GP`, version 0, flags (byte order, envelope kind, empty), the
/// srs_id, an envelope, then the geometry as ISO WKB (OGC 06-103r4 Simple Features §8.2).
///
/// Written: little-endian, with the xy envelope [minx, maxx, miny, maxy]. Read: either byte
/// order, any envelope kind, 2-D, Z, M and ZM types (ISO codes 1000–3007 and the EWKB flag bits;
/// Z and M are dropped and counted). Every count is checked against the bytes left before
/// anything is allocated, and collections nest at most ``maximumDepth`` deep, so a hostile blob
/// costs no more memory than its own size. O(size).
enum GeoPackageBinary {
    static let maximumDepth = 32

    struct Decoded {
        /// nil for an empty geometry (flag set, or an empty point).
        var geometry: GeometryValue?
        var srsID: Int32
        /// A Z or M ordinate was present and dropped.
        var droppedZM: Bool
    }

    // MARK: writing

    static func encode(_ g: GeometryValue, srsID: Int32) -> [UInt8] {
        var out: [UInt8] = [0x47, 0x50, 0, 0b0000_0011]
        append(UInt32(bitPattern: srsID), to: &out)
        let e = g.envelope
        for v in [e.minX, e.maxX, e.minY, e.maxY] { append(v, to: &out) }
        writeWKB(g, to: &out)
        return out
    }

    /// An empty geometry of the column's type (flag set, no envelope): how a null shape with a
    /// declared type is stored when a row must have a blob.
    static func encodeEmptyPoint(srsID: Int32) -> [UInt8] {
        var out: [UInt8] = [0x47, 0x50, 0, 0b0001_0001]
        append(UInt32(bitPattern: srsID), to: &out)
        out.append(1)
        append(UInt32(1), to: &out)
        append(Double.nan, to: &out)
        append(Double.nan, to: &out)
        return out
    }

    static func writeWKB(_ g: GeometryValue, to out: inout [UInt8]) {
        func header(_ type: UInt32) {
            out.append(1)
            append(type, to: &out)
        }
        func points(_ cs: [Coordinate]) {
            append(UInt32(cs.count), to: &out)
            for c in cs {
                append(c.x, to: &out)
                append(c.y, to: &out)
            }
        }
        func polygon(_ p: PolygonValue) {
            header(3)
            append(UInt32(p.rings.count), to: &out)
            for r in p.rings { points(r) }
        }
        switch g {
        case .point(let c):
            header(1)
            append(c.x, to: &out)
            append(c.y, to: &out)
        case .lineString(let cs):
            header(2)
            points(cs)
        case .polygon(let p): polygon(p)
        case .multiPoint(let cs):
            header(4)
            append(UInt32(cs.count), to: &out)
            for c in cs { writeWKB(.point(c), to: &out) }
        case .multiLineString(let ls):
            header(5)
            append(UInt32(ls.count), to: &out)
            for l in ls { writeWKB(.lineString(l), to: &out) }
        case .multiPolygon(let ps):
            header(6)
            append(UInt32(ps.count), to: &out)
            for p in ps { polygon(p) }
        case .collection(let gs):
            header(7)
            append(UInt32(gs.count), to: &out)
            for g in gs { writeWKB(g, to: &out) }
        }
    }

    static func append(_ v: UInt32, to out: inout [UInt8]) {
        withUnsafeBytes(of: v.littleEndian) { out.append(contentsOf: $0) }
    }
    static func append(_ v: Double, to out: inout [UInt8]) {
        withUnsafeBytes(of: v.bitPattern.littleEndian) { out.append(contentsOf: $0) }
    }

    // MARK: reading

    struct Malformed: Error {
        var message: String
    }

    /// Decodes a blob; throws ``Malformed`` with what is wrong.
    static func decode(_ bytes: [UInt8]) throws -> Decoded {
        guard bytes.count >= 8, bytes[0] == 0x47, bytes[1] == 0x50 else {
            throw Malformed(message: "not a GeoPackage geometry (no 'GP' header)")
        }
        guard bytes[2] == 0 else { throw Malformed(message: "GeoPackage binary version \(bytes[2]) (0 expected)") }
        let flags = bytes[3]
        guard flags & 0b0010_0000 == 0 else {
            throw Malformed(message: "an extended GeoPackage geometry (binary type 1) is not supported")
        }
        let little = flags & 1 == 1
        let envelopeKind = Int((flags >> 1) & 0b111)
        let envelopeBytes = [0, 32, 48, 48, 64]
        guard envelopeKind < envelopeBytes.count else {
            throw Malformed(message: "envelope contents indicator \(envelopeKind) (0–4 allowed)")
        }
        var reader = Reader(bytes: bytes, offset: 4, little: little)
        let srs = Int32(bitPattern: try reader.uint32())
        reader.offset += envelopeBytes[envelopeKind]
        guard reader.offset <= bytes.count else { throw Malformed(message: "truncated envelope") }
        if flags & 0b0001_0000 != 0 { return Decoded(geometry: nil, srsID: srs, droppedZM: false) }
        var dropped = false
        let g = try readWKB(&reader, depth: 0, droppedZM: &dropped)
        if case .point(let c)? = g, c.x.isNaN && c.y.isNaN {
            return Decoded(geometry: nil, srsID: srs, droppedZM: dropped)
        }
        return Decoded(geometry: g, srsID: srs, droppedZM: dropped)
    }

    struct Reader {
        let bytes: [UInt8]
        var offset: Int
        var little: Bool

        var remaining: Int { bytes.count - offset }

        mutating func byte() throws -> UInt8 {
            guard offset < bytes.count else { throw Malformed(message: "truncated WKB") }
            defer { offset += 1 }
            return bytes[offset]
        }

        mutating func uint32() throws -> UInt32 {
            guard remaining >= 4 else { throw Malformed(message: "truncated WKB") }
            var v: UInt32 = 0
            for k in 0..<4 { v |= UInt32(bytes[offset + k]) << (8 * (little ? k : 3 - k)) }
            offset += 4
            return v
        }

        mutating func double() throws -> Double {
            guard remaining >= 8 else { throw Malformed(message: "truncated WKB") }
            var v: UInt64 = 0
            for k in 0..<8 { v |= UInt64(bytes[offset + k]) << (8 * (little ? k : 7 - k)) }
            offset += 8
            return Double(bitPattern: v)
        }

        /// A count whose items take at least `itemBytes` each, checked against the bytes left.
        mutating func count(itemBytes: Int) throws -> Int {
            let n = Int(try uint32())
            guard n <= remaining / max(1, itemBytes) else {
                throw Malformed(message: "a count of \(n) does not fit in the \(remaining) bytes left")
            }
            return n
        }
    }

    /// One WKB geometry; returns nil for nothing (never: kept optional for empty points).
    static func readWKB(_ r: inout Reader, depth: Int, droppedZM: inout Bool) throws -> GeometryValue? {
        guard depth <= maximumDepth else { throw Malformed(message: "collections nested deeper than \(maximumDepth)") }
        let order = try r.byte()
        guard order <= 1 else { throw Malformed(message: "WKB byte order \(order) (0 or 1 expected)") }
        let saved = r.little
        r.little = order == 1
        defer { r.little = saved }
        let raw = try r.uint32()
        // EWKB flags (PostGIS): Z 0x80000000, M 0x40000000, SRID 0x20000000.
        var hasZ = raw & 0x8000_0000 != 0, hasM = raw & 0x4000_0000 != 0
        if raw & 0x2000_0000 != 0 { _ = try r.uint32() }
        let code = raw & 0x0FFF_FFFF
        let base = code % 1000
        switch code / 1000 {
        case 0: break
        case 1: hasZ = true
        case 2: hasM = true
        case 3:
            hasZ = true
            hasM = true
        default: throw Malformed(message: "WKB geometry type \(code)")
        }
        let extra = (hasZ ? 1 : 0) + (hasM ? 1 : 0)
        if extra > 0 { droppedZM = true }
        let pointBytes = 8 * (2 + extra)
        func coordinate() throws -> Coordinate {
            let c = Coordinate(try r.double(), try r.double())
            for _ in 0..<extra { _ = try r.double() }
            return c
        }
        func coordinates() throws -> [Coordinate] {
            let n = try r.count(itemBytes: pointBytes)
            var cs: [Coordinate] = []
            cs.reserveCapacity(n)
            for _ in 0..<n { cs.append(try coordinate()) }
            return cs
        }
        func polygon() throws -> PolygonValue {
            let n = try r.count(itemBytes: 4)
            var rings: [[Coordinate]] = []
            for _ in 0..<n { rings.append(try coordinates()) }
            guard let exterior = rings.first else { return PolygonValue(exterior: []) }
            return PolygonValue(exterior: exterior, holes: Array(rings.dropFirst()))
        }
        func parts<T>(_ kind: UInt32, _ name: String, _ extract: (GeometryValue) -> T?) throws -> [T] {
            let n = try r.count(itemBytes: 9)
            var out: [T] = []
            for _ in 0..<n {
                let g = try readWKB(&r, depth: depth + 1, droppedZM: &droppedZM)
                guard let g, let part = extract(g) else {
                    throw Malformed(message: "a \(name) holds a part of another type")
                }
                out.append(part)
            }
            return out
        }
        switch base {
        case 1: return .point(try coordinate())
        case 2: return .lineString(try coordinates())
        case 3: return .polygon(try polygon())
        case 4:
            return .multiPoint(try parts(1, "MultiPoint") { if case .point(let c) = $0 { c } else { nil } })
        case 5:
            return .multiLineString(
                try parts(2, "MultiLineString") { if case .lineString(let l) = $0 { l } else { nil } })
        case 6:
            return .multiPolygon(try parts(3, "MultiPolygon") { if case .polygon(let p) = $0 { p } else { nil } })
        case 7:
            let n = try r.count(itemBytes: 9)
            var gs: [GeometryValue] = []
            for _ in 0..<n {
                if let g = try readWKB(&r, depth: depth + 1, droppedZM: &droppedZM) { gs.append(g) }
            }
            return .collection(gs)
        default:
            throw Malformed(message: "WKB geometry type \(code) is not a Simple Features type territorio reads")
        }
    }
}
