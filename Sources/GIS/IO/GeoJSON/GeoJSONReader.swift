import Foundation

/// Reads GeoJSON (RFC 7946): a FeatureCollection, a single Feature or a bare geometry.
///
/// The file is memory-mapped and features are parsed one at a time (see ``JSONScanner``).
/// Coordinates are WGS 84 longitude/latitude (§4); a legacy `crs` member (2008 draft) is
/// honoured with a note. Properties become typed fields: integers, decimals (integers
/// widen to decimals), booleans, text; a field with mixed kinds becomes text, nested
/// objects and arrays become their JSON text. Extra position values (altitude) are dropped
/// with a note.
public enum GeoJSONReader {
    public static func read(_ path: String) throws -> Layer {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped)
        } catch {
            throw GISError(
                .input, operation: "open GeoJSON", file: path,
                message: FileManager.default.fileExists(atPath: path) ? "unreadable" : "file not found")
        }
        return try data.withUnsafeBytes { raw in
            try parse(raw.bindMemory(to: UInt8.self), source: path)
        }
    }

    public static func parse(_ text: String, source: String = "<GeoJSON>") throws -> Layer {
        var bytes = Array(text.utf8)
        return try bytes.withUnsafeMutableBufferPointer { try parse(UnsafeBufferPointer($0), source: source) }
    }

    private struct Builder {
        let source: String
        var names: [String] = []
        var index: [String: Int] = [:]
        var rows: [[Int: JSONValue]] = []
        var geometries: [GeometryValue?] = []
        var droppedZ = 0
        var crs: CRS = .wgs84
        var notes: [String] = []

        mutating func add(feature: JSONValue, number: Int) throws {
            guard feature["type"]?.string == "Feature" else {
                throw GISError(
                    .input, operation: "read GeoJSON", file: source, record: number,
                    message: "not a Feature (type is \(feature["type"]?.serialized ?? "missing"))")
            }
            var row: [Int: JSONValue] = [:]
            if case .object(let members)? = feature["properties"] {
                for (k, v) in members {
                    let i: Int
                    if let existing = index[k] {
                        i = existing
                    } else {
                        i = names.count
                        names.append(k)
                        index[k] = i
                    }
                    row[i] = v
                }
            }
            rows.append(row)
            let g = feature["geometry"] ?? .null
            do {
                geometries.append(g == .null ? nil : try geometry(g))
            } catch let e as GISError {
                var located = e
                located.file = source
                located.record = number
                throw located
            }
        }

        mutating func positions(_ v: JSONValue) throws -> [Coordinate] {
            guard let a = v.array else {
                throw GISError(.input, operation: "read coordinates", message: "expected an array of positions")
            }
            var out: [Coordinate] = []
            out.reserveCapacity(a.count)
            for p in a { out.append(try position(p)) }
            return out
        }

        mutating func position(_ v: JSONValue) throws -> Coordinate {
            guard let a = v.array, a.count >= 2, case .number(let x, _) = a[0], case .number(let y, _) = a[1] else {
                throw GISError(
                    .input, operation: "read coordinates",
                    message: "a position needs two numbers, got \(v.serialized.prefix(60))")
            }
            guard x.isFinite, y.isFinite else {
                throw GISError(.input, operation: "read coordinates", message: "non-finite position")
            }
            if a.count > 2 { droppedZ += 1 }
            return Coordinate(x, y)
        }

        mutating func polygon(_ v: JSONValue) throws -> PolygonValue {
            guard let rings = v.array else {
                throw GISError(.input, operation: "read Polygon", message: "expected an array of rings")
            }
            var parsed = try rings.map { try positions($0) }
            guard !parsed.isEmpty else { return PolygonValue(exterior: []) }
            for i in parsed.indices { parsed[i] = Ring.closed(parsed[i]) }
            return PolygonValue(exterior: parsed[0], holes: Array(parsed.dropFirst()))
        }

        mutating func geometry(_ g: JSONValue) throws -> GeometryValue {
            let type = g["type"]?.string ?? ""
            if type == "GeometryCollection" {
                return .collection(try (g["geometries"]?.array ?? []).map { try geometry($0) })
            }
            guard let c = g["coordinates"] else {
                throw GISError(
                    .input, operation: "read geometry",
                    message: "\(type.isEmpty ? "geometry" : type) has no coordinates")
            }
            switch type {
            case "Point": return .point(try position(c))
            case "MultiPoint": return .multiPoint(try positions(c))
            case "LineString": return .lineString(try positions(c))
            case "MultiLineString": return .multiLineString(try (c.array ?? []).map { try positions($0) })
            case "Polygon": return .polygon(try polygon(c))
            case "MultiPolygon": return .multiPolygon(try (c.array ?? []).map { try polygon($0) })
            default: throw GISError(.input, operation: "read geometry", message: "unknown geometry type '\(type)'")
            }
        }

        mutating func readCRS(_ v: JSONValue) {
            guard let name = v["properties"]?["name"]?.string else { return }
            let upper = name.uppercased()
            if upper.hasSuffix("CRS84") || upper.hasSuffix("EPSG::4326") || upper == "EPSG:4326" { return }
            if let r = upper.range(of: "EPSG::") ?? upper.range(of: "EPSG:") {
                crs = CRS("EPSG:" + upper[r.upperBound...])
            } else {
                crs = CRS(name)
            }
            notes.append("legacy 'crs' member: coordinates read as \(crs), not WGS 84 (RFC 7946 §4)")
        }

        func layer() -> Layer {
            var fields: [Field] = []
            var columns: [[AttributeValue]] = []
            for (i, name) in names.enumerated() {
                let values = rows.map { $0[i] ?? .null }
                let (type, converted) = Self.typed(values)
                fields.append(Field(name, type))
                columns.append(converted)
            }
            let features = geometries.enumerated().map { r, g in
                Feature(geometry: g, attributes: columns.map { $0[r] })
            }
            let kinds = Set(geometries.compactMap { $0.map(GeoJSONReader.kind) })
            var notes = self.notes
            if droppedZ > 0 {
                notes.append("\(droppedZ) positions had more than two values; only longitude and latitude were kept")
            }
            return Layer(
                source: source, kind: kinds.count > 1 ? .mixed : (kinds.first ?? .none),
                crs: crs, fields: fields, features: features, notes: notes)
        }

        static func typed(_ values: [JSONValue]) -> (FieldType, [AttributeValue]) {
            var sawInt = false, sawDecimal = false, sawBool = false, sawText = false
            for v in values {
                switch v {
                case .null: break
                case .number(_, let isInt): if isInt { sawInt = true } else { sawDecimal = true }
                case .bool: sawBool = true
                default: sawText = true
                }
            }
            let kinds = [sawInt || sawDecimal, sawBool, sawText].filter { $0 }.count
            if kinds == 0 { return (.text, values.map { _ in .null }) }
            if kinds > 1 || sawText {
                return (
                    .text,
                    values.map { v in
                        switch v {
                        case .null: .null
                        case .string(let s): .text(s)
                        default: .text(v.serialized)
                        }
                    }
                )
            }
            if sawBool { return (.logical, values.map { if case .bool(let b) = $0 { .logical(b) } else { .null } }) }
            let allIntegral =
                !sawDecimal && values.allSatisfy { if case .number(let d, _) = $0 { abs(d) < 9.0e15 } else { true } }
            if allIntegral {
                return (.integer, values.map { if case .number(let d, _) = $0 { .integer(Int64(d)) } else { .null } })
            }
            return (.decimal, values.map { if case .number(let d, _) = $0 { .decimal(d) } else { .null } })
        }
    }

    static func kind(_ g: GeometryValue) -> GeometryKind {
        switch g {
        case .point: .point
        case .multiPoint: .multiPoint
        case .lineString, .multiLineString: .line
        case .polygon, .multiPolygon: .polygon
        case .collection: .mixed
        }
    }

    static func parse(_ bytes: UnsafeBufferPointer<UInt8>, source: String) throws -> Layer {
        var scanner = JSONScanner(bytes: bytes, source: source)
        var builder = Builder(source: source)
        guard scanner.peek() == UInt8(ascii: "{") else { throw scanner.error("GeoJSON must be a JSON object") }
        scanner.position += 1
        var members: [(String, JSONValue)] = []
        var first = true
        var sawFeatures = false
        while try scanner.nextElement(close: UInt8(ascii: "}"), first: first) {
            first = false
            let key = try scanner.parseString()
            try scanner.expect(UInt8(ascii: ":"))
            if key == "features" {
                sawFeatures = true
                try scanner.expect(UInt8(ascii: "["))
                var firstFeature = true
                var number = 0
                while try scanner.nextElement(close: UInt8(ascii: "]"), first: firstFeature) {
                    firstFeature = false
                    number += 1
                    let feature = try scanner.parseValue()
                    try builder.add(feature: feature, number: number)
                }
            } else {
                members.append((key, try scanner.parseValue()))
            }
        }
        let top = JSONValue.object(members)
        if let crs = top["crs"] { builder.readCRS(crs) }
        switch top["type"]?.string {
        case "FeatureCollection":
            guard sawFeatures else {
                throw GISError(
                    .input, operation: "read GeoJSON", file: source, message: "FeatureCollection without 'features'")
            }
        case "Feature":
            try builder.add(feature: top, number: 1)
        case let t?
        where ["Point", "MultiPoint", "LineString", "MultiLineString", "Polygon", "MultiPolygon", "GeometryCollection"]
            .contains(t):
            try builder.add(
                feature: .object([("type", .string("Feature")), ("properties", .null), ("geometry", top)]), number: 1)
        default:
            throw GISError(
                .input, operation: "read GeoJSON", file: source,
                message: "top-level 'type' must be FeatureCollection, Feature or a geometry type")
        }
        return builder.layer()
    }
}
