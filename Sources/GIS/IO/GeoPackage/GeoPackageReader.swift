import Foundation

/// Reads feature layers from an OGC GeoPackage (1.0–1.4; OGC 12-128r18) file: the layer's
/// geometry column and CRS from `gpkg_geometry_columns` and `gpkg_spatial_ref_sys`, attributes
/// typed from the declared column types, geometries from the GeoPackage binary
/// (``GeoPackageBinary``). The integer primary key (the feature id) orders the features and is
/// not an attribute, as in GDAL. Opened read-only: the input is never modified.
public enum GeoPackageReader {
    /// `FILE.gpkg` or `FILE.gpkg:LAYER` (the layer of a multi-layer file).
    public static func split(_ path: String) -> (file: String, layer: String?) {
        if path.lowercased().hasSuffix(".gpkg") || FileManager.default.fileExists(atPath: path) { return (path, nil) }
        guard let r = path.range(of: ".gpkg:", options: [.caseInsensitive, .backwards]) else { return (path, nil) }
        let layer = String(path[r.upperBound...])
        return (String(path[..<r.upperBound].dropLast()), layer.isEmpty ? nil : layer)
    }

    /// The feature layers (tables) of a GeoPackage, in `gpkg_contents` order of name.
    public static func layers(_ path: String) throws -> [String] {
        let db = try open(path)
        return try featureTables(db)
    }

    static func open(_ path: String) throws -> SQLiteDatabase {
        guard FileManager.default.fileExists(atPath: path) else {
            throw GISError(.input, operation: "open GeoPackage", file: path, message: "no such file")
        }
        let db = try SQLiteDatabase(path: path, create: false)
        let tables = try db.rows("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'gpkg_contents'")
        guard !tables.isEmpty else {
            throw GISError(
                .input, operation: "open GeoPackage", file: path, message: "not a GeoPackage (no gpkg_contents table)")
        }
        return db
    }

    static func featureTables(_ db: SQLiteDatabase) throws -> [String] {
        try db.rows("SELECT table_name FROM gpkg_contents WHERE lower(data_type) = 'features' ORDER BY table_name")
            .compactMap { $0.first?.text }
    }

    /// Reads one feature layer: `layer`, or the file's only one (a file with several needs a name:
    /// `FILE.gpkg:LAYER`; the message lists them).
    public static func read(_ path: String, layer requested: String? = nil) throws -> Layer {
        let (file, named) = split(path)
        let db = try open(file)
        let tables = try featureTables(db)
        let name: String
        if let wanted = requested ?? named {
            guard
                let match = tables.first(where: { $0 == wanted })
                    ?? tables.first(where: { $0.lowercased() == wanted.lowercased() })
            else {
                throw GISError(
                    .usage, operation: "read GeoPackage", file: file,
                    message: "no feature layer '\(wanted)'; the file has: \(tables.joined(separator: ", "))")
            }
            name = match
        } else {
            guard tables.count == 1, let only = tables.first else {
                throw GISError(
                    .usage, operation: "read GeoPackage", file: file,
                    message: tables.isEmpty
                        ? "the file has no feature layer"
                        : "the file has \(tables.count) layers: name one as \(file):LAYER (\(tables.joined(separator: ", ")))"
                )
            }
            name = only
        }
        let source = "\(file):\(name)"
        let geometryRow = try db.rows(
            "SELECT column_name, geometry_type_name, srs_id FROM gpkg_geometry_columns WHERE table_name = ?",
            [.text(name)]
        ).first
        let geometryColumn = geometryRow?[0].text
        var notes: [String] = []
        let crs = try geometryRow.flatMap { $0[2].integer }.flatMap { try referenceSystem($0, db: db, source: source) }

        // Columns: the integer primary key is the feature id; the geometry column is the shape.
        let info = try db.rows("PRAGMA table_info(\(name.sqlIdentifier))")
        var fields: [Field] = []
        var selected: [String] = []
        var primaryKey: String?
        for column in info {
            guard column.count >= 6, let columnName = column[1].text else { continue }
            let declared = (column[2].text ?? "").uppercased()
            if column[5].integer == 1 && declared.hasPrefix("INT") && primaryKey == nil {
                primaryKey = columnName
                continue
            }
            if columnName == geometryColumn { continue }
            guard let type = fieldType(declared) else {
                notes.append("column '\(columnName)' (\(declared)) is not an attribute type and was left out")
                continue
            }
            var field = Field(columnName, type)
            if type == .text, let open = declared.firstIndex(of: "("), let close = declared.lastIndex(of: ")"),
                let width = Int(declared[declared.index(after: open)..<close]), width > 0
            {
                field.width = width
            }
            fields.append(field)
            selected.append(columnName)
        }
        let columns = ([geometryColumn].compactMap { $0 } + selected).map(\.sqlIdentifier)
        let order = primaryKey.map { " ORDER BY \($0.sqlIdentifier)" } ?? ""
        // The key (or rowid), then the geometry, then the attributes.
        let key = primaryKey.map(\.sqlIdentifier) ?? "rowid"
        let statement = try db.prepare(
            "SELECT \(([key] + columns).joined(separator: ", ")) FROM \(name.sqlIdentifier)\(order)")
        try statement.bind([])
        var features: [Feature] = []
        var droppedZM = 0
        let firstAttribute = geometryColumn == nil ? 1 : 2
        while try statement.step() {
            let row = statement.row()
            let record = Int(row.first?.integer ?? Int64(features.count + 1))
            var geometry: GeometryValue?
            if geometryColumn != nil {
                switch row[1] {
                case .null: geometry = nil
                case .blob(let bytes):
                    do {
                        let decoded = try GeoPackageBinary.decode(bytes)
                        geometry = decoded.geometry
                        if decoded.droppedZM { droppedZM += 1 }
                    } catch let e as GeoPackageBinary.Malformed {
                        throw GISError(
                            .input, operation: "read geometry", file: source, record: record, field: geometryColumn,
                            message: e.message)
                    }
                default:
                    throw GISError(
                        .input, operation: "read geometry", file: source, record: record, field: geometryColumn,
                        message: "not a geometry blob")
                }
            }
            var attributes: [AttributeValue] = []
            attributes.reserveCapacity(fields.count)
            for (k, field) in fields.enumerated() {
                attributes.append(try value(row[firstAttribute + k], as: field, record: record, source: source))
            }
            features.append(Feature(geometry: geometry, attributes: attributes))
        }
        if droppedZM > 0 { notes.append("\(droppedZM) geometries had Z or M values; they were dropped (2-D only)") }
        return Layer(
            source: source, kind: kind(of: features, declared: geometryRow?[1].text), crs: crs, fields: fields,
            features: features, notes: notes)
    }

    static func fieldType(_ declared: String) -> FieldType? {
        if declared.hasPrefix("BOOL") { return .logical }
        if declared.hasPrefix("DATETIME") { return .text }
        if declared.hasPrefix("DATE") { return .date }
        if declared.contains("INT") { return .integer }
        if declared.hasPrefix("REAL") || declared.hasPrefix("FLOAT") || declared.hasPrefix("DOUBLE")
            || declared.hasPrefix("NUMERIC")
        {
            return .decimal
        }
        if declared.hasPrefix("TEXT") || declared.hasPrefix("VARCHAR") || declared.hasPrefix("CHAR") || declared.isEmpty
        {
            return .text
        }
        return nil
    }

    /// A stored value as the field's type; a value of another type that converts exactly is
    /// taken (SQLite's typing is per value), anything else is an error naming the record.
    static func value(_ v: SQLiteDatabase.Value, as field: Field, record: Int, source: String) throws -> AttributeValue
    {
        func bad(_ what: String) -> GISError {
            GISError(
                .input, operation: "read attribute", file: source, record: record, field: field.name, message: what)
        }
        if case .null = v { return .null }
        switch field.type {
        case .text:
            switch v {
            case .text(let t): return .text(t)
            case .integer(let i): return .text(String(i))
            case .real(let d): return .text(String(d))
            default: throw bad("a blob in a text column")
            }
        case .integer:
            switch v {
            case .integer(let i): return .integer(i)
            case .real(let d) where d.isFinite && d == d.rounded() && abs(d) < 9e15: return .integer(Int64(d))
            case .text(let t): if let i = Int64(t.trimmingCharacters(in: .whitespaces)) { return .integer(i) }
            default: break
            }
            throw bad("not an integer")
        case .decimal:
            if let d = v.real { return .decimal(d) }
            if case .text(let t) = v, let d = Double(t.trimmingCharacters(in: .whitespaces)) { return .decimal(d) }
            throw bad("not a number")
        case .logical:
            if let i = v.integer, i == 0 || i == 1 { return .logical(i == 1) }
            throw bad("not a boolean (0 or 1)")
        case .date:
            if case .text(let t) = v {
                let parts = t.prefix(10).split(separator: "-")
                if parts.count == 3, let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]),
                    (1...12).contains(m), (1...31).contains(d)
                {
                    return .date(DateValue(year: y, month: m, day: d))
                }
            }
            throw bad("not a date (YYYY-MM-DD)")
        }
    }

    /// The CRS of an srs_id: `EPSG:code` for the EPSG organisation, else the stored WKT; nil for
    /// the undefined systems (−1, 0) and undefined definitions.
    static func referenceSystem(_ id: Int64, db: SQLiteDatabase, source: String) throws -> CRS? {
        guard
            let row = try db.rows(
                "SELECT organization, organization_coordsys_id, definition FROM gpkg_spatial_ref_sys WHERE srs_id = ?",
                [.integer(id)]
            ).first
        else {
            throw GISError(
                .input, operation: "read CRS", file: source, message: "srs_id \(id) is not in gpkg_spatial_ref_sys")
        }
        if row[0].text?.uppercased() == "EPSG", let code = row[1].integer, code > 0 { return CRS("EPSG:\(code)") }
        guard let definition = row[2].text, definition.lowercased() != "undefined", !definition.isEmpty else {
            return nil
        }
        return CRS(definition)
    }

    static func kind(of features: [Feature], declared: String?) -> GeometryKind {
        var kinds = Set<GeometryKind>()
        for f in features {
            switch f.geometry {
            case .point?: kinds.insert(.point)
            case .multiPoint?: kinds.insert(.multiPoint)
            case .lineString?, .multiLineString?: kinds.insert(.line)
            case .polygon?, .multiPolygon?: kinds.insert(.polygon)
            case .collection?: kinds.insert(.mixed)
            case nil: break
            }
        }
        if kinds == [.point, .multiPoint] { return .multiPoint }
        if kinds.count == 1, let k = kinds.first { return k }
        if kinds.isEmpty {
            switch declared?.uppercased() {
            case "POINT": return .point
            case "MULTIPOINT": return .multiPoint
            case "LINESTRING", "MULTILINESTRING": return .line
            case "POLYGON", "MULTIPOLYGON": return .polygon
            default: return .none
            }
        }
        return .mixed
    }
}
