import Foundation
import GIS

/// How a run's tables (its `.csv` files) are written: the dialect, and whether each gets a
/// `.csvt` sidecar naming its column types for GDAL/QGIS.
public struct TableFormat: Sendable, Equatable {
    /// The CSV dialect.
    public enum Dialect: String, CaseIterable, Sendable {
        /// RFC 4180: UTF-8 without a byte-order mark, `,` between fields, `.` for decimals
        /// (what pandas, R, GDAL and scripts read by default).
        case rfc4180
        /// What a spreadsheet in a Spanish locale (Excel, LibreOffice) opens right with a
        /// double click: UTF-8 with a byte-order mark (so "educación" is not garbled), `;`
        /// between fields, `,` for decimals in numeric columns. Codes stay text.
        case esSpreadsheet = "es-spreadsheet"
    }

    public var dialect: Dialect
    /// Writes `NAME.csvt` beside every `NAME.csv` (GDAL's CSV driver and QGIS read it): one
    /// line of quoted types, `"String"` for codes such as `010150` so they keep their
    /// leading zero, `"Integer"` and `"Real"` for numbers.
    public var csvt: Bool

    public init(dialect: Dialect = .rfc4180, csvt: Bool = false) {
        self.dialect = dialect
        self.csvt = csvt
    }

    /// Whether tables are written as the commands make them (nothing to convert).
    public var isDefault: Bool { self == TableFormat() }
}

/// The type of a table column, as GDAL's `.csvt` names it.
public enum TableColumnType: String, Sendable {
    case string = "String", integer = "Integer", real = "Real"

    /// Column names that hold identifiers (DPA codes, AMIE codes, plan codes): text whatever
    /// their values look like, since a code such as 170150 is a name, not a quantity, and
    /// the national codes of provinces 01–09 lose their leading zero as numbers. Compared
    /// lowercased; also any name starting with `dpa_` or ending in `_id`, `_code` or
    /// `_codigo`.
    public static let identifierNames: Set<String> = [
        "unit", "id", "code", "codigo", "amie", "zona", "distrito", "circuito", "parroquia", "canton", "provincia",
        "parent", "establishment", "site", "area", "scope",
    ]

    /// Whether a column named `header` holds identifiers (``identifierNames``).
    public static func isIdentifier(_ header: String) -> Bool {
        let name = header.lowercased()
        return identifierNames.contains(name) || name.hasPrefix("dpa_") || name.hasSuffix("_id")
            || name.hasSuffix("_code") || name.hasSuffix("_codigo")
    }

    /// The type of column `header`: text for an identifier (``isIdentifier(_:)``), else
    /// ``of(_:)`` of its values.
    public static func of(header: String, values: some Sequence<String>) -> TableColumnType {
        isIdentifier(header) ? .string : of(values)
    }

    /// The narrowest type that holds every non-empty value: an integer has no leading zero
    /// (`010150` is a code, so text) and at most 18 digits; a real is a finite decimal with
    /// an optional exponent and no leading zero before another digit; anything else, or a
    /// column without values, is text. O(total length).
    public static func of(_ values: some Sequence<String>) -> TableColumnType {
        var type = TableColumnType.integer
        var seen = false
        for value in values where !value.isEmpty {
            seen = true
            switch classify(value) {
            case .string: return .string
            case .real: type = .real
            case .integer: break
            }
        }
        return seen ? type : .string
    }

    static func classify(_ value: String) -> TableColumnType {
        let bytes = Array(value.utf8)
        var i = 0
        if i < bytes.count, bytes[i] == UInt8(ascii: "-") { i += 1 }
        let integerStart = i
        while i < bytes.count, isDigit(bytes[i]) { i += 1 }
        let integerDigits = i - integerStart
        guard integerDigits > 0 else { return .string }
        // A leading zero followed by another digit marks a code.
        if integerDigits > 1, bytes[integerStart] == UInt8(ascii: "0") { return .string }
        if i == bytes.count { return integerDigits <= 18 ? .integer : .real }
        if bytes[i] == UInt8(ascii: ".") {
            i += 1
            let fractionStart = i
            while i < bytes.count, isDigit(bytes[i]) { i += 1 }
            guard i > fractionStart else { return .string }
        }
        if i < bytes.count, bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E") {
            i += 1
            if i < bytes.count, bytes[i] == UInt8(ascii: "-") || bytes[i] == UInt8(ascii: "+") { i += 1 }
            let exponentStart = i
            while i < bytes.count, isDigit(bytes[i]) { i += 1 }
            guard i > exponentStart else { return .string }
        }
        return i == bytes.count ? .real : .string
    }

    private static func isDigit(_ b: UInt8) -> Bool { b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") }
}

/// Rewrites the tables of a folder in a ``TableFormat``: each `.csv` is read back (RFC 4180,
/// as the commands wrote it), its column types inferred from every row, and written again in
/// the dialect, with its `.csvt` when asked. O(size of the tables).
public enum TableConversion {
    /// Every `.csv` under `folder` (sorted, sub-folders included).
    public static func apply(_ format: TableFormat, toFolder folder: String) throws {
        guard !format.isDefault else { return }
        let names = ((try? FileManager.default.subpathsOfDirectory(atPath: folder)) ?? [])
            .filter { $0.lowercased().hasSuffix(".csv") }.sorted()
        for name in names { try apply(format, toFile: folder + "/" + name) }
    }

    /// One table: rewritten in place (atomically), plus its sidecar.
    public static func apply(_ format: TableFormat, toFile path: String) throws {
        guard !format.isDefault else { return }
        guard let bytes = FileManager.default.contents(atPath: path) else {
            throw GISError(.output, operation: "convert table", file: path, message: "cannot be read back")
        }
        try write(converted([UInt8](bytes), format: format, source: path), to: path)
    }

    /// An RFC 4180 table (as the commands make it) in `format`: its text, and its `.csvt`
    /// line when asked. `identifiers` names more columns that hold codes (text whatever they
    /// look like) beyond ``TableColumnType/identifierNames``.
    public static func converted(
        _ csv: [UInt8], format: TableFormat, source: String, identifiers: Set<String> = []
    ) throws -> (table: [UInt8], csvt: String?) {
        guard !format.isDefault else { return (csv, nil) }
        let table = try CSVTable.parse(csv, source: source)
        let types = table.header.enumerated().map { c, header in
            identifiers.contains(header)
                ? .string
                : TableColumnType.of(header: header, values: table.rows.lazy.map { c < $0.count ? $0[c] : "" })
        }
        return (
            format.dialect == .esSpreadsheet ? spreadsheetText(table, types: types) : csv,
            format.csvt ? csvt(types) : nil
        )
    }

    /// Writes a converted table to `path` and its sidecar beside it: the sidecar first, and
    /// removed again if the table cannot be written, so both appear or neither.
    public static func write(_ converted: (table: [UInt8], csvt: String?), to path: String) throws {
        let sidecar = sidecarPath(path)
        if let csvt = converted.csvt { try AtomicFile.write(csvt, to: sidecar) }
        do {
            try AtomicFile.write(Data(converted.table), to: path)
        } catch {
            if converted.csvt != nil { unlink(sidecar) }
            throw error
        }
    }

    /// `NAME.csvt` for `NAME.csv` (`.CSVT` for `.CSV`; appended to any other name).
    public static func sidecarPath(_ path: String) -> String {
        if path.hasSuffix(".csv") { return String(path.dropLast(4)) + ".csvt" }
        if path.hasSuffix(".CSV") { return String(path.dropLast(4)) + ".CSVT" }
        return path + ".csvt"
    }

    /// GDAL's `.csvt` line: the quoted types, comma-separated.
    public static func csvt(_ types: [TableColumnType]) -> String {
        types.map { "\"\($0.rawValue)\"" }.joined(separator: ",") + "\n"
    }

    /// The table as a Spanish-locale spreadsheet reads it: byte-order mark, `;` between
    /// fields, decimal comma in real columns, fields holding `;`, a quote or a line break
    /// quoted (RFC 4180 rules with `;` for `,`), CRLF line ends.
    public static func spreadsheetText(_ table: CSVTable, types: [TableColumnType]) -> [UInt8] {
        var out: [UInt8] = [0xEF, 0xBB, 0xBF]
        func field(_ value: String, _ type: TableColumnType?) {
            let text = type == .real ? value.replacingOccurrences(of: ".", with: ",") : value
            CSVText.append(field: text, to: &out, delimiter: UInt8(ascii: ";"))
        }
        func line(_ values: [String], typed: Bool) {
            for (c, value) in values.enumerated() {
                if c > 0 { out.append(UInt8(ascii: ";")) }
                field(value, typed && c < types.count ? types[c] : nil)
            }
            out.append(contentsOf: [0x0D, 0x0A])
        }
        line(table.header, typed: false)
        for row in table.rows { line(row, typed: true) }
        return out
    }
}
