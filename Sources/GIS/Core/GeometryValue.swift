/// A polygon as plain coordinates: one exterior ring and any number of holes.
///
/// Rings are closed (first coordinate == last). Orientation is not normalised here; writers
/// orient rings as their format requires (see ``Ring/signedArea(_:)``).
public struct PolygonValue: Sendable, Hashable {
    public var exterior: [Coordinate]
    public var holes: [[Coordinate]]

    public init(exterior: [Coordinate], holes: [[Coordinate]] = []) {
        self.exterior = exterior
        self.holes = holes
    }

    public var rings: [[Coordinate]] { [exterior] + holes }
}

/// The Sendable value form of a geometry (Simple Features types, 2-D).
///
/// Used for I/O, caches and for crossing task boundaries; geometric operations happen on
/// the GEOS-backed ``Geometry``, made with ``GeometryContext/geometry(_:)``.
public indirect enum GeometryValue: Sendable, Hashable {
    case point(Coordinate)
    case multiPoint([Coordinate])
    case lineString([Coordinate])
    case multiLineString([[Coordinate]])
    case polygon(PolygonValue)
    case multiPolygon([PolygonValue])
    case collection([GeometryValue])

    /// The OGC type name (`MultiPolygon`...), as GeoJSON and WKT spell it.
    public var typeName: String {
        switch self {
        case .point: "Point"
        case .multiPoint: "MultiPoint"
        case .lineString: "LineString"
        case .multiLineString: "MultiLineString"
        case .polygon: "Polygon"
        case .multiPolygon: "MultiPolygon"
        case .collection: "GeometryCollection"
        }
    }

    /// Number of vertices, counting closing vertices of rings.
    /// Every position, in order (rings of polygons included).
    public var allCoordinates: [Coordinate] {
        switch self {
        case .point(let c): [c]
        case .multiPoint(let p): p
        case .lineString(let l): l
        case .multiLineString(let ls): ls.flatMap { $0 }
        case .polygon(let p): p.rings.flatMap { $0 }
        case .multiPolygon(let ps): ps.flatMap { $0.rings.flatMap { $0 } }
        case .collection(let gs): gs.flatMap(\.allCoordinates)
        }
    }

    public var vertexCount: Int {
        switch self {
        case .point: 1
        case .multiPoint(let p): p.count
        case .lineString(let l): l.count
        case .multiLineString(let ls): ls.reduce(0) { $0 + $1.count }
        case .polygon(let p): p.rings.reduce(0) { $0 + $1.count }
        case .multiPolygon(let ps): ps.reduce(0) { $0 + $1.rings.reduce(0) { $0 + $1.count } }
        case .collection(let gs): gs.reduce(0) { $0 + $1.vertexCount }
        }
    }

    public var isEmpty: Bool {
        switch self {
        case .point(let c): !c.isFinite
        case .multiPoint(let p): p.isEmpty
        case .lineString(let l): l.isEmpty
        case .multiLineString(let ls): ls.allSatisfy(\.isEmpty)
        case .polygon(let p): p.exterior.isEmpty
        case .multiPolygon(let ps): ps.allSatisfy { $0.exterior.isEmpty }
        case .collection(let gs): gs.allSatisfy(\.isEmpty)
        }
    }

    /// Calls `body` with every coordinate, in storage order.
    public func forEachCoordinate(_ body: (Coordinate) throws -> Void) rethrows {
        switch self {
        case .point(let c): try body(c)
        case .multiPoint(let cs), .lineString(let cs): for c in cs { try body(c) }
        case .multiLineString(let ls): for l in ls { for c in l { try body(c) } }
        case .polygon(let p): for r in p.rings { for c in r { try body(c) } }
        case .multiPolygon(let ps): for p in ps { for r in p.rings { for c in r { try body(c) } } }
        case .collection(let gs): for g in gs { try g.forEachCoordinate(body) }
        }
    }

    /// A copy with every coordinate replaced by `transform(coordinate)`.
    public func mapCoordinates(_ transform: (Coordinate) throws -> Coordinate) rethrows
        -> GeometryValue
    {
        switch self {
        case .point(let c): return .point(try transform(c))
        case .multiPoint(let cs): return .multiPoint(try cs.map(transform))
        case .lineString(let cs): return .lineString(try cs.map(transform))
        case .multiLineString(let ls): return .multiLineString(try ls.map { try $0.map(transform) })
        case .polygon(let p): return .polygon(try p.mapCoordinates(transform))
        case .multiPolygon(let ps): return .multiPolygon(try ps.map { try $0.mapCoordinates(transform) })
        case .collection(let gs): return .collection(try gs.map { try $0.mapCoordinates(transform) })
        }
    }

    public var envelope: Envelope {
        var e = Envelope.empty
        forEachCoordinate { e.extend($0) }
        return e
    }

    /// Polygons of a polygonal value (empty for other types).
    public var polygons: [PolygonValue] {
        switch self {
        case .polygon(let p): [p]
        case .multiPolygon(let ps): ps
        case .collection(let gs): gs.flatMap(\.polygons)
        default: []
        }
    }
}

extension PolygonValue {
    public func mapCoordinates(_ transform: (Coordinate) throws -> Coordinate) rethrows
        -> PolygonValue
    {
        PolygonValue(
            exterior: try exterior.map(transform), holes: try holes.map { try $0.map(transform) })
    }
}

/// Planar ring helpers used by readers and writers (orientation, containment).
public enum Ring {
    /// Shoelace signed area: positive when counter-clockwise (in x-right, y-up axes).
    public static func signedArea(_ ring: [Coordinate]) -> Double {
        guard ring.count >= 3 else { return 0 }
        var sum = 0.0
        let origin = ring[0]  // subtracting an origin keeps precision with UTM-sized numbers
        for i in 0..<(ring.count - 1) {
            let a = ring[i]
            let b = ring[i + 1]
            sum += (a.x - origin.x) * (b.y - origin.y) - (b.x - origin.x) * (a.y - origin.y)
        }
        return sum / 2
    }

    /// The ring oriented counter-clockwise (`ccw == true`) or clockwise.
    public static func oriented(_ ring: [Coordinate], counterClockwise ccw: Bool) -> [Coordinate] {
        let isCCW = signedArea(ring) > 0
        return isCCW == ccw ? ring : ring.reversed()
    }

    /// Even–odd ray-casting test; points exactly on the boundary may go either way.
    public static func contains(_ ring: [Coordinate], _ p: Coordinate) -> Bool {
        var inside = false
        var j = ring.count - 1
        for i in 0..<ring.count {
            let a = ring[i]
            let b = ring[j]
            if (a.y > p.y) != (b.y > p.y) {
                let xCross = (b.x - a.x) * (p.y - a.y) / (b.y - a.y) + a.x
                if p.x < xCross { inside.toggle() }
            }
            j = i
        }
        return inside
    }

    /// A closed copy of `ring` (appends the first coordinate when it differs from the last).
    public static func closed(_ ring: [Coordinate]) -> [Coordinate] {
        guard let first = ring.first, let last = ring.last, first != last else { return ring }
        return ring + [first]
    }
}
