import Foundation

/// Writes layers into a new OGC GeoPackage 1.3 file (OGC 12-128r18), the format QGIS writes by
/// default: the required tables (`gpkg_spatial_ref_sys` with the layers' CRSs as EPSG codes and
/// OGC WKT, `gpkg_contents`, `gpkg_geometry_columns`), one feature table per layer
/// (`fid INTEGER PRIMARY KEY AUTOINCREMENT`, `geom`, the attributes typed TEXT, INTEGER, REAL,
/// BOOLEAN or DATE), geometries as GeoPackage binary with their envelope, and the spatial index
/// (the `gpkg_rtree_index` extension: an R*Tree per layer, filled, with the standard triggers so
/// an editor keeps it in step).
///
/// The file is built beside its destination and renamed into place when complete, so it appears
/// whole or not at all. `last_change` is `SOURCE_DATE_EPOCH` when set, else the epoch: the same
/// layers give the same bytes. O(vertices + features log features).
public enum GeoPackageWriter {
    public struct Report: Sendable, Equatable {
        /// Per layer, single geometries written as their multi type (a layer mixing Polygon and
        /// MultiPolygon is declared MULTIPOLYGON, as QGIS expects one type per layer).
        public var promotedToMulti: [String: Int] = [:]
        /// Fields renamed because SQLite compares column names case-insensitively or a name was
        /// taken by `fid`/`geom`.
        public var renamedFields: [String: [String: String]] = [:]
    }

    /// Names a GeoPackage table may take here: letters, digits and `_`, starting with a letter,
    /// not reserved (`gpkg_`, `rtree_`, `sqlite_`), at most 63 characters.
    public static func validTableName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, name.count <= 63,
            first.properties.isAlphabetic && first.isASCII
        else { return false }
        let lower = name.lowercased()
        guard !["gpkg_", "rtree_", "sqlite_"].contains(where: lower.hasPrefix) else { return false }
        return name.unicodeScalars.allSatisfy {
            $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "_")
        }
    }

    /// Writes `layers` (table name, layer) to `path`, replacing any file there.
    @discardableResult
    public static func write(_ layers: [(name: String, layer: Layer)], to path: String, context: ProjContext) throws
        -> Report
    {
        var seen = Set<String>()
        for (name, _) in layers {
            guard validTableName(name) else {
                throw GISError(
                    .usage, operation: "write GeoPackage", file: path,
                    message: "'\(name)' cannot name a layer (letters, digits and _, starting with a letter, at most 63)"
                )
            }
            guard seen.insert(name.lowercased()).inserted else {
                throw GISError(
                    .usage, operation: "write GeoPackage", file: path, message: "two layers are named '\(name)'")
            }
        }
        try AtomicFile.ensureFolder(of: path)
        let temporary = AtomicFile.temporaryPath(for: path)
        var report = Report()
        do {
            let db = try SQLiteDatabase(path: temporary, create: true)
            try db.execute(
                """
                PRAGMA application_id = 1196444487;
                PRAGMA user_version = 10300;
                PRAGMA journal_mode = OFF;
                PRAGMA synchronous = OFF;
                BEGIN;
                \(Self.schema)
                """)
            var srsIDs: [String: Int64] = [:]
            for (name, layer) in layers {
                let srs = try spatialReference(layer.crs, in: db, known: &srsIDs, context: context)
                try writeLayer(layer, name: name, srsID: srs, into: db, report: &report)
            }
            try db.execute("COMMIT;")
        } catch {
            unlink(temporary)
            if let e = error as? GISError {
                throw GISError(
                    e.kind, operation: e.operation, file: path, record: e.record, field: e.field, message: e.message)
            }
            throw error
        }
        try AtomicFile.commit(temporary, to: path)
        return report
    }

    /// The required tables and the three required spatial reference systems (§1.1.2.1.2).
    static let schema = """
        CREATE TABLE gpkg_spatial_ref_sys (srs_name TEXT NOT NULL, srs_id INTEGER PRIMARY KEY,
          organization TEXT NOT NULL, organization_coordsys_id INTEGER NOT NULL, definition TEXT NOT NULL,
          description TEXT);
        CREATE TABLE gpkg_contents (table_name TEXT NOT NULL PRIMARY KEY, data_type TEXT NOT NULL,
          identifier TEXT UNIQUE, description TEXT DEFAULT '',
          last_change DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
          min_x DOUBLE, min_y DOUBLE, max_x DOUBLE, max_y DOUBLE, srs_id INTEGER,
          CONSTRAINT fk_gc_r_srs_id FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys(srs_id));
        CREATE TABLE gpkg_geometry_columns (table_name TEXT NOT NULL, column_name TEXT NOT NULL,
          geometry_type_name TEXT NOT NULL, srs_id INTEGER NOT NULL, z TINYINT NOT NULL, m TINYINT NOT NULL,
          CONSTRAINT pk_geom_cols PRIMARY KEY (table_name, column_name),
          CONSTRAINT uk_gc_table_name UNIQUE (table_name),
          CONSTRAINT fk_gc_tn FOREIGN KEY (table_name) REFERENCES gpkg_contents(table_name),
          CONSTRAINT fk_gc_srs FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys (srs_id));
        CREATE TABLE gpkg_extensions (table_name TEXT, column_name TEXT, extension_name TEXT NOT NULL,
          definition TEXT NOT NULL, scope TEXT NOT NULL,
          CONSTRAINT ge_tce UNIQUE (table_name, column_name, extension_name));
        INSERT INTO gpkg_spatial_ref_sys VALUES ('Undefined cartesian SRS', -1, 'NONE', -1, 'undefined',
          'undefined cartesian coordinate reference system');
        INSERT INTO gpkg_spatial_ref_sys VALUES ('Undefined geographic SRS', 0, 'NONE', 0, 'undefined',
          'undefined geographic coordinate reference system');
        INSERT INTO gpkg_spatial_ref_sys VALUES ('WGS 84 geodetic', 4326, 'EPSG', 4326,
          'GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563,AUTHORITY["EPSG","7030"]],AUTHORITY["EPSG","6326"]],PRIMEM["Greenwich",0,AUTHORITY["EPSG","8901"]],UNIT["degree",0.0174532925199433,AUTHORITY["EPSG","9122"]],AXIS["Latitude",NORTH],AXIS["Longitude",EAST],AUTHORITY["EPSG","4326"]]',
          'longitude/latitude coordinates in decimal degrees on the WGS 84 spheroid');
        """

    /// The srs_id of `crs`, adding its row when new: its EPSG code when PROJ identifies one,
    /// else a private id from 100000; a layer without CRS is "undefined cartesian" (−1).
    static func spatialReference(
        _ crs: CRS?, in db: SQLiteDatabase, known: inout [String: Int64], context: ProjContext
    ) throws -> Int64 {
        guard let crs else { return -1 }
        if let id = known[crs.definition] { return id }
        let info = try context.describe(crs, identifying: true)
        let definition = info.ogcWKT ?? crs.definition
        var id: Int64
        var organization = "NONE"
        if let identifier = info.identifier, identifier.uppercased().hasPrefix("EPSG:"),
            let code = Int64(identifier.dropFirst(5)), code > 0
        {
            id = code
            organization = "EPSG"
        } else {
            id = 100_000 + Int64(known.count)
        }
        known[crs.definition] = id
        if id != 4326 {
            let exists = try db.rows("SELECT 1 FROM gpkg_spatial_ref_sys WHERE srs_id = ?", [.integer(id)])
            if exists.isEmpty {
                try db.prepare("INSERT INTO gpkg_spatial_ref_sys VALUES (?, ?, ?, ?, ?, NULL)").run([
                    .text(info.name), .integer(id), .text(organization), .integer(id), .text(definition),
                ])
            }
        }
        return id
    }

    /// The declared geometry type of a layer and whether single parts are promoted to multi.
    static func geometryType(_ layer: Layer) -> (name: String, promote: Bool) {
        let types = Set(layer.features.compactMap { $0.geometry?.typeName })
        if types.count == 1, let only = types.first { return (only.uppercased(), false) }
        if types == ["Polygon", "MultiPolygon"] { return ("MULTIPOLYGON", true) }
        if types == ["LineString", "MultiLineString"] { return ("MULTILINESTRING", true) }
        if types == ["Point", "MultiPoint"] { return ("MULTIPOINT", true) }
        return ("GEOMETRY", false)
    }

    static func sqlType(_ f: Field) -> String {
        switch f.type {
        case .text: f.width.map { "TEXT(\($0))" } ?? "TEXT"
        case .integer: "INTEGER"
        case .decimal: "REAL"
        case .logical: "BOOLEAN"
        case .date: "DATE"
        }
    }

    static func writeLayer(
        _ layer: Layer, name: String, srsID: Int64, into db: SQLiteDatabase, report: inout Report
    ) throws {
        let (typeName, promote) = geometryType(layer)
        // Column names: unique ignoring case, never fid or geom.
        var taken: Set<String> = ["fid", "geom"]
        var columns: [String] = []
        var renamed: [String: String] = [:]
        for f in layer.fields {
            var candidate = f.name.isEmpty ? "field" : f.name
            var k = 2
            while taken.contains(candidate.lowercased()) {
                candidate = (f.name.isEmpty ? "field" : f.name) + "_\(k)"
                k += 1
            }
            if candidate != f.name { renamed[f.name] = candidate }
            taken.insert(candidate.lowercased())
            columns.append(candidate)
        }
        if !renamed.isEmpty { report.renamedFields[name] = renamed }
        let table = name.sqlIdentifier
        let definitions = zip(layer.fields, columns).map { "\($1.sqlIdentifier) \(sqlType($0))" }
        try db.execute(
            "CREATE TABLE \(table) (fid INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, geom \(typeName)"
                + definitions.map { ", " + $0 }.joined() + ");")
        let rtree = "rtree_\(name)_geom"
        try db.execute("CREATE VIRTUAL TABLE \(rtree.sqlIdentifier) USING rtree(id, minx, maxx, miny, maxy);")
        let placeholders = Array(repeating: "?", count: layer.fields.count + 2).joined(separator: ", ")
        let insert = try db.prepare(
            "INSERT INTO \(table) (fid, geom" + columns.map { ", " + $0.sqlIdentifier }.joined()
                + ") VALUES (\(placeholders))")
        let index = try db.prepare("INSERT INTO \(rtree.sqlIdentifier) VALUES (?, ?, ?, ?, ?)")
        var extent = Envelope.empty
        var promoted = 0
        for (i, f) in layer.features.enumerated() {
            let fid = Int64(i + 1)
            var values: [SQLiteDatabase.Value] = [.integer(fid)]
            if var g = f.geometry, !g.isEmpty {
                if promote {
                    switch g {
                    case .polygon(let p): g = .multiPolygon([p]); promoted += 1
                    case .lineString(let l): g = .multiLineString([l]); promoted += 1
                    case .point(let c): g = .multiPoint([c]); promoted += 1
                    default: break
                    }
                }
                let e = g.envelope
                guard e.minX.isFinite, e.minY.isFinite, e.maxX.isFinite, e.maxY.isFinite else {
                    throw GISError(
                        .input, operation: "write GeoPackage", record: i + 1, message: "a coordinate is not finite")
                }
                extent.extend(e)
                values.append(.blob(GeoPackageBinary.encode(g, srsID: Int32(clamping: srsID))))
                try index.run([.integer(fid), .real(e.minX), .real(e.maxX), .real(e.minY), .real(e.maxY)])
            } else {
                values.append(.null)
            }
            for (k, v) in f.attributes.enumerated() where k < layer.fields.count {
                let value: SQLiteDatabase.Value =
                    switch v {
                    case .null: .null
                    case .text(let t): .text(t)
                    case .integer(let n): .integer(n)
                    case .decimal(let d): d.isFinite ? .real(d) : .null
                    case .logical(let b): .integer(b ? 1 : 0)
                    case .date(let d): .text(d.description)
                    }
                values.append(value)
            }
            while values.count < layer.fields.count + 2 { values.append(.null) }
            try insert.run(values)
        }
        if promoted > 0 { report.promotedToMulti[name] = promoted }
        let lastChange = Self.lastChange()
        let e = extent.isEmpty ? nil : extent
        try db.prepare("INSERT INTO gpkg_contents VALUES (?, 'features', ?, '', ?, ?, ?, ?, ?, ?)").run([
            .text(name), .text(name), .text(lastChange),
            e.map { .real($0.minX) } ?? .null, e.map { .real($0.minY) } ?? .null,
            e.map { .real($0.maxX) } ?? .null, e.map { .real($0.maxY) } ?? .null, .integer(srsID),
        ])
        try db.prepare("INSERT INTO gpkg_geometry_columns VALUES (?, 'geom', ?, ?, 0, 0)").run([
            .text(name), .text(typeName), .integer(srsID),
        ])
        try db.prepare(
            "INSERT INTO gpkg_extensions VALUES (?, 'geom', 'gpkg_rtree_index', 'http://www.geopackage.org/spec120/#extension_rtree', 'write-only')"
        ).run([.text(name)])
        try db.execute(rtreeTriggers(table: name, column: "geom", id: "fid"))
    }

    /// `last_change`: `SOURCE_DATE_EPOCH` (reproducible builds' convention) or the epoch.
    static func lastChange() -> String {
        let seconds = ProcessInfo.processInfo.environment["SOURCE_DATE_EPOCH"].flatMap { Int64($0) } ?? 0
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd'T'HH:mm:ss.SSS'Z'"
        let clamped = max(0, min(seconds, 253_402_300_799))  // up to 9999-12-31
        return formatter.string(from: Date(timeIntervalSince1970: TimeInterval(clamped)))
    }

    /// The six triggers of the R*Tree extension (OGC 12-128r18, Annex F.3), which keep the index
    /// in step when an editor changes the table (they call the ST_ functions editors register).
    static func rtreeTriggers(table t: String, column c: String, id i: String) -> String {
        let r = "rtree_\(t)_\(c)"
        let T = t.sqlIdentifier, C = c.sqlIdentifier, R = r.sqlIdentifier, I = i.sqlIdentifier
        let values = "NEW.\(I), ST_MinX(NEW.\(C)), ST_MaxX(NEW.\(C)), ST_MinY(NEW.\(C)), ST_MaxY(NEW.\(C))"
        return """
            CREATE TRIGGER \("\(r)_insert".sqlIdentifier) AFTER INSERT ON \(T)
              WHEN (new.\(C) NOT NULL AND NOT ST_IsEmpty(NEW.\(C)))
            BEGIN INSERT OR REPLACE INTO \(R) VALUES (\(values)); END;
            CREATE TRIGGER \("\(r)_update1".sqlIdentifier) AFTER UPDATE OF \(C) ON \(T)
              WHEN OLD.\(I) = NEW.\(I) AND (NEW.\(C) NOTNULL AND NOT ST_IsEmpty(NEW.\(C)))
            BEGIN INSERT OR REPLACE INTO \(R) VALUES (\(values)); END;
            CREATE TRIGGER \("\(r)_update2".sqlIdentifier) AFTER UPDATE OF \(C) ON \(T)
              WHEN OLD.\(I) = NEW.\(I) AND (NEW.\(C) ISNULL OR ST_IsEmpty(NEW.\(C)))
            BEGIN DELETE FROM \(R) WHERE id = OLD.\(I); END;
            CREATE TRIGGER \("\(r)_update3".sqlIdentifier) AFTER UPDATE ON \(T)
              WHEN OLD.\(I) != NEW.\(I) AND (NEW.\(C) NOTNULL AND NOT ST_IsEmpty(NEW.\(C)))
            BEGIN DELETE FROM \(R) WHERE id = OLD.\(I); INSERT OR REPLACE INTO \(R) VALUES (\(values)); END;
            CREATE TRIGGER \("\(r)_update4".sqlIdentifier) AFTER UPDATE ON \(T)
              WHEN OLD.\(I) != NEW.\(I) AND (NEW.\(C) ISNULL OR ST_IsEmpty(NEW.\(C)))
            BEGIN DELETE FROM \(R) WHERE id IN (OLD.\(I), NEW.\(I)); END;
            CREATE TRIGGER \("\(r)_delete".sqlIdentifier) AFTER DELETE ON \(T)
              WHEN old.\(C) NOT NULL
            BEGIN DELETE FROM \(R) WHERE id = OLD.\(I); END;
            """
    }
}
