import Foundation

/// A parsed CSV file (RFC 4180: quoted fields may hold commas, quotes and newlines). The
/// delimiter is `,` unless the header has more `;` or tabs. Text is UTF-8 (a BOM is
/// skipped); a file that is not valid UTF-8 is read as Windows-1252 and says so.
public struct CSVTable: Sendable {
    public var header: [String]
    public var rows: [[String]]
    /// 1-based line number where each row starts (quoted newlines make these differ from
    /// row indices).
    public var lines: [Int]
    public var notes: [String]

    public static func read(_ path: String) throws -> CSVTable {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw GISError(
                .input, operation: "open CSV", file: path,
                message: FileManager.default.fileExists(atPath: path) ? "unreadable" : "file not found")
        }
        var bytes = [UInt8](data)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        var notes: [String] = []
        let text: String
        if let utf8 = TextEncoding.utf8.decode(bytes) {
            text = utf8
        } else {
            text = TextEncoding.windows1252.decode(bytes) ?? ""
            notes.append("not valid UTF-8: read as Windows-1252")
        }
        var table = try parse(text, source: path)
        table.notes += notes
        return table
    }

    public static func parse(_ text: String, source: String = "<CSV>") throws -> CSVTable {
        let firstLine = text.prefix { $0 != "\n" && $0 != "\r\n" }
        let counts: [(Character, Int)] = [",", ";", "\t"].map { d in (d, firstLine.filter { $0 == d }.count) }
        let delimiter = counts.max { $0.1 < $1.1 }.map { $0.1 > 0 ? $0.0 : "," } ?? ","
        var records: [[String]] = []
        var lines: [Int] = []
        var field = ""
        var record: [String] = []
        var inQuotes = false
        var line = 1
        var recordLine = 1
        var atFieldStart = true
        var iterator = text.makeIterator()
        var pending: Character? = nil
        func endRecord() {
            record.append(field)
            field = ""
            if !(record.count == 1 && record[0].isEmpty) {
                records.append(record)
                lines.append(recordLine)
            }
            record = []
            atFieldStart = true
        }
        while let c = pending ?? iterator.next() {
            pending = nil
            if inQuotes {
                if c == "\"" {
                    if let next = iterator.next() {
                        if next == "\"" { field.append("\"") } else { inQuotes = false; pending = next }
                    } else {
                        inQuotes = false
                    }
                } else {
                    if c == "\n" || c == "\r\n" { line += 1 }
                    field.append(c)
                }
                continue
            }
            switch c {
            case "\"" where atFieldStart:
                inQuotes = true
                atFieldStart = false
            case delimiter:
                record.append(field)
                field = ""
                atFieldStart = true
            case "\n", "\r\n", "\r":
                endRecord()
                line += 1
                recordLine = line
            default:
                field.append(c)
                atFieldStart = false
            }
        }
        if inQuotes {
            throw GISError(
                .input, operation: "parse CSV", file: source, record: recordLine,
                message: "quoted field never closed (starts on line \(recordLine))")
        }
        if !field.isEmpty || !record.isEmpty { endRecord() }
        guard let header = records.first else {
            throw GISError(.input, operation: "parse CSV", file: source, message: "empty file: no header row")
        }
        return CSVTable(
            header: header.map { $0.trimmingCharacters(in: .whitespaces) }, rows: Array(records.dropFirst()),
            lines: Array(lines.dropFirst()), notes: [])
    }
}
