import Foundation
import GIS

/// Where an oversized parroquia may be divided into circuito pieces (`--split`), as a table
/// (`Data/rules/divisible_parroquias.csv`, columns `scope,code[,source]`), one rule a row:
/// - `cabeceras` — every cabecera cantonal (a code ending in 50: the urban parroquias of INEC's
///   DPA layer);
/// - `canton`, a 4-digit code — every parroquia of that cantón (by its code's first 4 digits);
/// - `parroquia`, a 6-digit code — that parroquia;
/// - `all` — every parroquia (the rule before the table).
/// Any other oversized parroquia stays whole, and the proposal names it as an exception.
public struct DivisibleParroquias: Sendable {
    public var cabeceras = false
    public var everything = false
    public var cantons: Set<String> = []
    public var parroquias: Set<String> = []

    public init() {}

    /// Every parroquia may be divided.
    public static var all: DivisibleParroquias {
        var rule = DivisibleParroquias()
        rule.everything = true
        return rule
    }

    /// Whether the parroquia `code` (a DPA code, 6 digits) may be divided.
    public func contains(_ code: String) -> Bool {
        everything || parroquias.contains(code) || cantons.contains(String(code.prefix(4)))
            || (cabeceras && code.count == 6 && code.hasSuffix("50"))
    }

    /// Reads the table; errors name the file, line and field.
    public static func read(_ path: String) throws -> DivisibleParroquias {
        let table = try CSVTable.read(path)
        guard let scope = table.header.firstIndex(of: "scope"), let code = table.header.firstIndex(of: "code") else {
            throw WorkflowError("\(path): the table of divisible parroquias needs the columns 'scope' and 'code'")
        }
        var rule = DivisibleParroquias()
        for (r, row) in table.rows.enumerated() {
            let kind = scope < row.count ? row[scope].trimmingCharacters(in: .whitespaces) : ""
            let value = code < row.count ? row[code].trimmingCharacters(in: .whitespaces) : ""
            func bad(_ field: String, _ message: String) -> WorkflowError {
                WorkflowError("\(path): line \(table.lines[r]), field '\(field)': \(message)")
            }
            func digits(_ n: Int) -> Bool { value.count == n && value.allSatisfy { $0.isASCII && $0.isNumber } }
            switch kind {
            case "cabeceras": rule.cabeceras = true
            case "all": rule.everything = true
            case "canton":
                guard digits(4) else { throw bad("code", "a 4-digit cantón code, got '\(value)'") }
                rule.cantons.insert(value)
            case "parroquia":
                guard digits(6) else { throw bad("code", "a 6-digit parroquia code, got '\(value)'") }
                rule.parroquias.insert(value)
            default:
                throw bad("scope", "one of cabeceras, canton, parroquia, all; got '\(kind)'")
            }
        }
        return rule
    }
}
