import CSQLite
import Foundation

/// `SQLITE_TRANSIENT`: SQLite copies a bound text or blob before the call returns.
private let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

/// A connection to one SQLite file (`sqlite3_open_v2`), for the GeoPackage reader and writer.
/// Errors carry SQLite's own message (`sqlite3_errmsg`) and name the file. Single-threaded, like
/// the GEOS and PROJ contexts.
final class SQLiteDatabase {
    let path: String
    private let handle: OpaquePointer

    /// Opens read-only (`create == false`) or creates a new file.
    init(path: String, create: Bool) throws {
        self.path = path
        var db: OpaquePointer?
        let flags = create ? SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE : SQLITE_OPEN_READONLY
        let status = sqlite3_open_v2(path, &db, flags | SQLITE_OPEN_NOMUTEX, nil)
        guard status == SQLITE_OK, let db else {
            let message = db.map { String(cString: sqlite3_errmsg($0)) } ?? String(cString: sqlite3_errstr(status))
            sqlite3_close(db)
            throw GISError(create ? .output : .input, operation: "open GeoPackage", file: path, message: message)
        }
        handle = db
    }

    deinit { sqlite3_close(handle) }

    func error(_ operation: String, kind: GISError.Kind = .input) -> GISError {
        GISError(kind, operation: operation, file: path, message: String(cString: sqlite3_errmsg(handle)))
    }

    /// Runs one or more statements without results (`sqlite3_exec`).
    func execute(_ sql: String, kind: GISError.Kind = .output) throws {
        var message: UnsafeMutablePointer<CChar>?
        guard sqlite3_exec(handle, sql, nil, nil, &message) == SQLITE_OK else {
            let text = message.map { String(cString: $0) } ?? "unknown error"
            sqlite3_free(message)
            throw GISError(kind, operation: "run SQL", file: path, message: text)
        }
    }

    func prepare(_ sql: String) throws -> Statement {
        var statement: OpaquePointer?
        guard sqlite3_prepare_v2(handle, sql, -1, &statement, nil) == SQLITE_OK, let statement else {
            throw error("prepare SQL")
        }
        return Statement(database: self, handle: statement)
    }

    /// The rows of a query, each as an array of ``Value``.
    func rows(_ sql: String, _ arguments: [Value] = []) throws -> [[Value]] {
        let s = try prepare(sql)
        try s.bind(arguments)
        var out: [[Value]] = []
        while try s.step() { out.append(s.row()) }
        return out
    }

    /// A column value as SQLite stores it.
    enum Value: Equatable {
        case null
        case integer(Int64)
        case real(Double)
        case text(String)
        case blob([UInt8])

        var text: String? { if case .text(let t) = self { t } else { nil } }
        var integer: Int64? {
            switch self {
            case .integer(let i): i
            default: nil
            }
        }
        var real: Double? {
            switch self {
            case .real(let d): d
            case .integer(let i): Double(i)
            default: nil
            }
        }
    }

    /// A prepared statement (`sqlite3_stmt`), finalised when released.
    final class Statement {
        let database: SQLiteDatabase
        let handle: OpaquePointer

        init(database: SQLiteDatabase, handle: OpaquePointer) {
            self.database = database
            self.handle = handle
        }

        deinit { sqlite3_finalize(handle) }

        func bind(_ values: [Value]) throws {
            sqlite3_reset(handle)
            sqlite3_clear_bindings(handle)
            for (i, v) in values.enumerated() {
                let k = Int32(i + 1)
                let status: Int32
                switch v {
                case .null: status = sqlite3_bind_null(handle, k)
                case .integer(let n): status = sqlite3_bind_int64(handle, k, n)
                case .real(let d): status = sqlite3_bind_double(handle, k, d)
                case .text(let t): status = sqlite3_bind_text(handle, k, t, -1, transient)
                case .blob(let b):
                    status = b.withUnsafeBytes {
                        sqlite3_bind_blob(handle, k, $0.baseAddress, Int32(b.count), transient)
                    }
                }
                guard status == SQLITE_OK else { throw database.error("bind value", kind: .output) }
            }
        }

        /// Advances to the next row; false when there is none (`sqlite3_step`).
        func step() throws -> Bool {
            switch sqlite3_step(handle) {
            case SQLITE_ROW: return true
            case SQLITE_DONE: return false
            default: throw database.error("read rows")
            }
        }

        /// Runs an insert or update with `values`.
        func run(_ values: [Value]) throws {
            try bind(values)
            guard sqlite3_step(handle) == SQLITE_DONE else { throw database.error("write row", kind: .output) }
        }

        func row() -> [Value] {
            (0..<sqlite3_column_count(handle)).map { column($0) }
        }

        func column(_ i: Int32) -> Value {
            switch sqlite3_column_type(handle, i) {
            case SQLITE_INTEGER: return .integer(sqlite3_column_int64(handle, i))
            case SQLITE_FLOAT: return .real(sqlite3_column_double(handle, i))
            case SQLITE_TEXT:
                guard let p = sqlite3_column_text(handle, i) else { return .text("") }
                let n = Int(sqlite3_column_bytes(handle, i))
                return .text(String(decoding: UnsafeBufferPointer(start: p, count: n), as: UTF8.self))
            case SQLITE_BLOB:
                let n = Int(sqlite3_column_bytes(handle, i))
                guard n > 0, let p = sqlite3_column_blob(handle, i) else { return .blob([]) }
                return .blob(Array(UnsafeRawBufferPointer(start: p, count: n)))
            default: return .null
            }
        }

        /// Declared type of result column `i` (`sqlite3_column_decltype`), upper-cased.
        func declaredType(_ i: Int32) -> String {
            sqlite3_column_decltype(handle, i).map { String(cString: $0).uppercased() } ?? ""
        }

        func columnName(_ i: Int32) -> String {
            sqlite3_column_name(handle, i).map { String(cString: $0) } ?? ""
        }

        var columnCount: Int32 { sqlite3_column_count(handle) }
    }
}

extension String {
    /// An SQL identifier in double quotes (embedded quotes doubled).
    var sqlIdentifier: String { "\"" + replacingOccurrences(of: "\"", with: "\"\"") + "\"" }
    /// An SQL text literal in single quotes.
    var sqlLiteral: String { "'" + replacingOccurrences(of: "'", with: "''") + "'" }
}
