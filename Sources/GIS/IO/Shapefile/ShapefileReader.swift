import CShapelib
import Foundation

/// Options for reading a shapefile.
public struct ShapefileReadOptions: Sendable {
    /// Overrides the `.cpg`/language-driver choice of text encoding.
    public var encoding: TextEncoding?
    /// CRS to use when there is no `.prj` (without one, a missing `.prj` is an error).
    public var assumedCRS: CRS?
    public init(encoding: TextEncoding? = nil, assumedCRS: CRS? = nil) {
        self.encoding = encoding
        self.assumedCRS = assumedCRS
    }
}

/// Reads ESRI shapefiles (`.shp` + `.shx` + `.dbf`, with `.prj` and `.cpg`) through shapelib.
///
/// Geometry: points, multipoints, polylines and polygons with several parts and holes (see
/// ``RingAssembly``); Z and M are dropped with a note; MultiPatch is refused. Attributes are
/// typed from the DBF field descriptors. Text is decoded by the `.cpg` file, else the DBF
/// language-driver byte, else as UTF-8 when every value is valid UTF-8 and Windows-1252
/// otherwise.
public enum ShapefileReader {
    /// The component file next to `base` with extension `ext` (either letter case).
    static func component(_ base: String, _ ext: String) -> String? {
        for candidate in [base + "." + ext, base + "." + ext.uppercased()]
        where FileManager.default.fileExists(atPath: candidate) {
            return candidate
        }
        return nil
    }

    /// The path without its `.shp` extension.
    static func basePath(_ path: String) -> String {
        let lower = path.lowercased()
        for ext in [".shp", ".shx", ".dbf"] where lower.hasSuffix(ext) {
            return String(path.dropLast(ext.count))
        }
        return path
    }

    public static func read(_ path: String, options: ShapefileReadOptions = .init()) throws -> Layer {
        let base = basePath(path)
        let shpPath = base + ".shp"
        func missing(_ ext: String, _ why: String) -> GISError {
            GISError(.input, operation: "open shapefile", file: base + "." + ext, message: why)
        }
        guard let shp = component(base, "shp") else { throw missing("shp", "file not found") }
        guard component(base, "shx") != nil else {
            throw missing("shx", "index file not found (a shapefile needs .shp, .shx and .dbf)")
        }
        guard let dbf = component(base, "dbf") else {
            throw missing("dbf", "attribute file not found (a shapefile needs .shp, .shx and .dbf)")
        }
        var notes: [String] = []
        let crs: CRS
        var crsInfo: CRSInfo? = nil
        if let prj = component(base, "prj") {
            guard let data = FileManager.default.contents(atPath: prj),
                let text = TextEncoding.utf8.decode(data) ?? TextEncoding.latin1.decode(data),
                !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty
            else {
                throw GISError(.input, operation: "read CRS", file: prj, message: "empty or unreadable .prj")
            }
            crs = CRS(text.trimmingCharacters(in: .whitespacesAndNewlines))
            let context = try ProjContext()
            do { crsInfo = try context.describe(crs, identifying: false) } catch let e as GISError {
                throw GISError(.input, operation: "read CRS", file: prj, message: e.message)
            }
        } else if let assumed = options.assumedCRS {
            crs = assumed
            notes.append("no .prj: CRS assumed to be \(assumed)")
        } else {
            throw missing("prj", "projection file not found; give the CRS explicitly (--crs EPSG:32717)")
        }

        let (kind, features, geometryNotes) = try readGeometries(shp)
        notes += geometryNotes
        let (fields, attributes, attributeNotes) = try readAttributes(
            dbf, cpg: component(base, "cpg"), override: options.encoding)
        notes += attributeNotes
        guard attributes.count == features.count else {
            throw GISError(
                .input, operation: "read shapefile", file: shpPath,
                message: "\(features.count) shapes but \(attributes.count) DBF records in \(dbf)")
        }
        if crsInfo == nil { crsInfo = try? ProjContext().describe(crs, identifying: false) }
        if let crsInfo, crsInfo.isGeographic {
            try checkGeographic(features, file: shpPath, crs: crsInfo)
        }
        let merged = zip(features, attributes).map { Feature(geometry: $0, attributes: $1) }
        return Layer(source: shp, kind: kind, crs: crs, fields: fields, features: merged, notes: notes)
    }

    /// A geographic CRS over coordinates beyond ±180/±90 is a wrong .prj (projected metres
    /// labelled as degrees): refused, naming the first record.
    static func checkGeographic(_ features: [GeometryValue?], file: String, crs: CRSInfo) throws {
        for (i, g) in features.enumerated() {
            guard let g else { continue }
            if let c = g.allCoordinates.first(where: { abs($0.x) > 180.000001 || abs($0.y) > 90.000001 }) {
                throw GISError(
                    .input, operation: "read shapefile", file: file, record: i + 1,
                    message:
                        "coordinates (\(c.x), \(c.y)) do not fit the geographic CRS \(crs.identifier ?? crs.name) of the .prj (longitude within ±180, latitude within ±90): the .prj is likely wrong (projected metres?), or the axes are swapped"
                )
            }
        }
    }

    // MARK: geometry

    private static func readGeometries(_ path: String) throws -> (GeometryKind, [GeometryValue?], [String]) {
        var hooks = ShapelibHooks.make()
        _ = ShapelibHooks.takeMessage()
        guard let handle = SHPOpenLL(path, "rb", &hooks) else {
            throw GISError(
                .input, operation: "open shapefile", file: path,
                message: ShapelibHooks.takeMessage() ?? "not a readable shapefile (bad header or .shx)")
        }
        defer { SHPClose(handle) }
        var count: Int32 = 0
        var type: Int32 = 0
        SHPGetInfo(handle, &count, &type, nil, nil)
        let kind: GeometryKind
        switch type {
        case SHPT_POINT, SHPT_POINTZ, SHPT_POINTM: kind = .point
        case SHPT_MULTIPOINT, SHPT_MULTIPOINTZ, SHPT_MULTIPOINTM: kind = .multiPoint
        case SHPT_ARC, SHPT_ARCZ, SHPT_ARCM: kind = .line
        case SHPT_POLYGON, SHPT_POLYGONZ, SHPT_POLYGONM: kind = .polygon
        case SHPT_NULL: kind = .none
        default:
            throw GISError(
                .input, operation: "read shapefile", file: path,
                message: "shape type \(type) (\(typeName(type))) is not supported")
        }
        var notes: [String] = []
        if [SHPT_POINTZ, SHPT_ARCZ, SHPT_POLYGONZ, SHPT_MULTIPOINTZ].contains(type) {
            notes.append("Z values ignored (\(typeName(type)) read as 2-D)")
        } else if [SHPT_POINTM, SHPT_ARCM, SHPT_POLYGONM, SHPT_MULTIPOINTM].contains(type) {
            notes.append("M values ignored (\(typeName(type)) read as 2-D)")
        }
        var reoriented = 0, degenerate = 0, closed = 0, nonFinite = 0, nulls = 0
        var geometries: [GeometryValue?] = []
        geometries.reserveCapacity(Int(count))
        for i in 0..<count {
            guard let object = SHPReadObject(handle, i) else {
                throw GISError(
                    .input, operation: "read shape", file: path, record: Int(i) + 1,
                    message: ShapelibHooks.takeMessage() ?? "record is corrupt or lies past the end of the file")
            }
            defer { SHPDestroyObject(object) }
            let o = object.pointee
            if o.nSHPType != SHPT_NULL, o.nSHPType != type, family(o.nSHPType) != family(type) {
                throw GISError(
                    .input, operation: "read shape", file: path, record: Int(i) + 1,
                    message:
                        "record holds shape type \(o.nSHPType) (\(typeName(o.nSHPType))) in a \(typeName(type)) file: the .shp is corrupt or does not match its .shx"
                )
            }
            if o.nSHPType == SHPT_NULL || o.nVertices == 0 {
                nulls += 1
                geometries.append(nil)
                continue
            }
            guard let xs = o.padfX, let ys = o.padfY else {
                throw GISError(
                    .input, operation: "read shape", file: path, record: Int(i) + 1, message: "no coordinates")
            }
            let coords = (0..<Int(o.nVertices)).map { Coordinate(xs[$0], ys[$0]) }
            if coords.contains(where: { !$0.isFinite }) {
                nonFinite += 1
                geometries.append(nil)
                continue
            }
            var parts: [[Coordinate]] = []
            let starts = (0..<Int(o.nParts)).map { Int(o.panPartStart[$0]) } + [coords.count]
            for p in 0..<Int(max(0, o.nParts)) {
                let lo = min(max(0, starts[p]), coords.count)
                let hi = min(max(lo, starts[p + 1]), coords.count)
                parts.append(Array(coords[lo..<hi]))
            }
            if parts.isEmpty { parts = [coords] }
            switch kind {
            case .point: geometries.append(.point(coords[0]))
            case .multiPoint: geometries.append(.multiPoint(coords))
            case .line: geometries.append(parts.count == 1 ? .lineString(parts[0]) : .multiLineString(parts))
            case .polygon:
                let assembled = RingAssembly.assemble(parts)
                reoriented += assembled.reoriented
                degenerate += assembled.degenerate
                closed += assembled.closed
                switch assembled.polygons.count {
                case 0: geometries.append(nil)
                case 1: geometries.append(.polygon(assembled.polygons[0]))
                default: geometries.append(.multiPolygon(assembled.polygons))
                }
            default: geometries.append(nil)
            }
        }
        if reoriented > 0 {
            notes.append("\(reoriented) rings had the wrong orientation for their role and were read by containment")
        }
        if degenerate > 0 { notes.append("\(degenerate) rings with fewer than 4 positions dropped") }
        if closed > 0 { notes.append("\(closed) unclosed rings closed") }
        if nonFinite > 0 { notes.append("\(nonFinite) shapes with non-finite coordinates read as null geometry") }
        if count > 0, kind != .none, nulls == Int(count) {
            throw GISError(
                .input, operation: "read shapefile", file: path,
                message:
                    "all \(count) records are null shapes in a \(typeName(type)) file: the .shp is corrupt or does not match its .shx"
            )
        }
        if nulls > 0 { notes.append("\(nulls) null shapes (records without geometry)") }
        return (kind, geometries, notes)
    }

    /// The geometry family of a shape type (point, arc, polygon, multipoint), Z and M alike.
    static func family(_ type: Int32) -> Int32 {
        switch type {
        case SHPT_POINT, SHPT_POINTZ, SHPT_POINTM: SHPT_POINT
        case SHPT_ARC, SHPT_ARCZ, SHPT_ARCM: SHPT_ARC
        case SHPT_POLYGON, SHPT_POLYGONZ, SHPT_POLYGONM: SHPT_POLYGON
        case SHPT_MULTIPOINT, SHPT_MULTIPOINTZ, SHPT_MULTIPOINTM: SHPT_MULTIPOINT
        default: type
        }
    }

    static func typeName(_ type: Int32) -> String {
        SHPTypeName(type).map { String(cString: $0) } ?? "unknown"
    }

    // MARK: attributes

    private static func readAttributes(_ path: String, cpg: String?, override: TextEncoding?) throws
        -> ([Field], [[AttributeValue]], [String])
    {
        var hooks = ShapelibHooks.make()
        _ = ShapelibHooks.takeMessage()
        guard let dbf = DBFOpenLL(path, "rb", &hooks) else {
            throw GISError(
                .input, operation: "open DBF", file: path,
                message: ShapelibHooks.takeMessage() ?? "not a readable dBASE file")
        }
        defer { DBFClose(dbf) }
        var notes: [String] = []
        // Encoding: explicit > .cpg > language driver > detect.
        var encoding = override
        if encoding == nil, let cpg {
            let label = (try? String(contentsOfFile: cpg, encoding: .utf8)) ?? ""
            encoding = TextEncoding(label: label)
            if encoding == nil {
                notes.append(
                    "unknown code page '\(label.trimmingCharacters(in: .whitespacesAndNewlines))' in \(cpg); text decoded by detection"
                )
            }
        }
        if encoding == nil { encoding = TextEncoding(dbfLanguageDriver: Int(dbf.pointee.iLanguageDriver)) }

        let fieldCount = Int(DBFGetFieldCount(dbf))
        let recordCount = Int(DBFGetRecordCount(dbf))
        // What the header claims must fit in the file: a truncated file or a corrupt count is
        // refused before anything is allocated for it.
        var info = stat()
        if stat(path, &info) == 0 {
            let header = Int(dbf.pointee.nHeaderLength), record = Int(dbf.pointee.nRecordLength)
            let (claimed, overflow) = record.multipliedReportingOverflow(by: recordCount)
            if recordCount < 0 || overflow || header + claimed > Int(info.st_size) {
                throw GISError(
                    .input, operation: "read DBF", file: path,
                    message:
                        "the header claims \(recordCount) records of \(record) bytes after a \(header)-byte header, but the file holds \(info.st_size) bytes: it is truncated or corrupt"
                )
            }
        }
        var fields: [Field] = []
        for f in 0..<fieldCount {
            var nameBuffer = [CChar](repeating: 0, count: 16)
            var width: Int32 = 0
            var decimals: Int32 = 0
            _ = DBFGetFieldInfo(dbf, Int32(f), &nameBuffer, &width, &decimals)
            let nameBytes = nameBuffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
            let name = (encoding ?? .windows1252).decode(nameBytes) ?? String(decoding: nameBytes, as: UTF8.self)
            let code = UInt8(bitPattern: DBFGetNativeFieldType(dbf, Int32(f)))
            let type: FieldType
            switch code {
            case UInt8(ascii: "N"), UInt8(ascii: "F"):
                type = decimals == 0 && width <= 18 ? .integer : .decimal
            case UInt8(ascii: "L"): type = .logical
            case UInt8(ascii: "D"): type = .date
            default: type = .text
            }
            fields.append(Field(name, type, width: Int(width), decimals: Int(decimals)))
        }

        // Raw bytes first (shapelib reuses its buffer: copy at once), decode after, so the
        // detection can look at every text value.
        var raw: [[[UInt8]?]] = []
        raw.reserveCapacity(recordCount)
        for r in 0..<recordCount {
            var row: [[UInt8]?] = []
            row.reserveCapacity(fieldCount)
            for f in 0..<fieldCount {
                if DBFIsAttributeNULL(dbf, Int32(r), Int32(f)) != 0 {
                    row.append(nil)
                    continue
                }
                guard let s = DBFReadStringAttribute(dbf, Int32(r), Int32(f)) else {
                    throw GISError(
                        .input, operation: "read DBF", file: path, record: r + 1, field: fields[f].name,
                        message: ShapelibHooks.takeMessage() ?? "record could not be read (truncated file?)")
                }
                row.append(Array(UnsafeRawBufferPointer(start: s, count: strlen(s))))
            }
            raw.append(row)
        }
        if encoding == nil {
            let allUTF8 = raw.allSatisfy { row in
                row.allSatisfy { bytes in
                    guard let bytes, !bytes.allSatisfy({ $0 < 0x80 }) else { return true }
                    return String(validating: bytes, as: UTF8.self) != nil
                }
            }
            let detected: TextEncoding = allUTF8 ? .utf8 : .windows1252
            encoding = detected
            notes.append("no .cpg or language driver: text read as \(detected.rawValue) by detection")
        }
        let decoder = encoding ?? .windows1252
        var rows: [[AttributeValue]] = []
        rows.reserveCapacity(recordCount)
        for (r, row) in raw.enumerated() {
            var values: [AttributeValue] = []
            values.reserveCapacity(fieldCount)
            for (f, bytes) in row.enumerated() {
                guard let bytes else {
                    values.append(.null)
                    continue
                }
                let field = fields[f]
                func bad(_ what: String) -> GISError {
                    GISError(.input, operation: "read DBF", file: path, record: r + 1, field: field.name, message: what)
                }
                if field.type == .text {
                    // DBF pads text with spaces; the byte 0x20 is a space in every encoding read.
                    let kept = bytes[..<(bytes.lastIndex { $0 != 0x20 }.map { $0 + 1 } ?? 0)]
                    guard let text = decoder.decode(kept) else { throw bad("text is not valid \(decoder.rawValue)") }
                    values.append(.text(text))
                    continue
                }
                guard let trimmed = Self.trimmedValue(bytes, decoder) else {
                    throw bad("text is not valid \(decoder.rawValue)")
                }
                switch field.type {
                case .text:
                    break  // read above, untrimmed at its start
                case .integer:
                    if let i = Int64(trimmed) {
                        values.append(.integer(i))
                    } else if let d = Double(trimmed), d == d.rounded(), abs(d) < 9.0e15 {
                        values.append(.integer(Int64(d)))
                    } else {
                        throw bad("'\(trimmed)' is not an integer")
                    }
                case .decimal:
                    guard let d = Double(trimmed) else { throw bad("'\(trimmed)' is not a number") }
                    values.append(.decimal(d))
                case .logical:
                    switch trimmed.uppercased() {
                    case "T", "Y": values.append(.logical(true))
                    case "F", "N": values.append(.logical(false))
                    default: values.append(.null)
                    }
                case .date:
                    let digits = Array(trimmed.utf8)
                    guard digits.count == 8, digits.allSatisfy({ $0 >= 48 && $0 <= 57 }),
                        let y = Int(trimmed.prefix(4)), let m = Int(trimmed.dropFirst(4).prefix(2)),
                        let d = Int(trimmed.suffix(2)), (1...12).contains(m), (1...31).contains(d)
                    else { throw bad("'\(trimmed)' is not a YYYYMMDD date") }
                    values.append(.date(DateValue(year: y, month: m, day: d)))
                }
            }
            rows.append(values)
        }
        return (fields, rows, notes)
    }

    /// A non-text DBF value decoded without the white space `CharacterSet.whitespaces` trims
    /// at its ends: plain ASCII spaces and tabs are cut from the bytes, and Foundation is asked
    /// only when an end is not ASCII. Nil when the bytes are not valid in `decoder`.
    static func trimmedValue(_ bytes: [UInt8], _ decoder: TextEncoding) -> String? {
        func blank(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 }
        guard let first = bytes.firstIndex(where: { !blank($0) }), let last = bytes.lastIndex(where: { !blank($0) })
        else { return "" }
        guard let text = decoder.decode(bytes[first...last]) else { return nil }
        return bytes[first] < 0x80 && bytes[last] < 0x80 ? text : text.trimmingCharacters(in: .whitespaces)
    }
}
