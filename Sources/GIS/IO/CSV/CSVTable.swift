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

    /// Parses CSV text. Works on UTF-8 bytes: the delimiter, quotes and line breaks are
    /// ASCII, so they never occur inside a multi-byte character.
    public static func parse(_ text: String, source: String = "<CSV>") throws -> CSVTable {
        var text = text
        return try text.withUTF8 { try parse(bytes: $0, source: source) }
    }

    static func parse(bytes: UnsafeBufferPointer<UInt8>, source: String) throws -> CSVTable {
        let quote = UInt8(ascii: "\""), lf = UInt8(ascii: "\n"), cr = UInt8(ascii: "\r")
        let firstLineEnd = bytes.firstIndex { $0 == lf || $0 == cr } ?? bytes.count
        let candidates: [UInt8] = [UInt8(ascii: ","), UInt8(ascii: ";"), UInt8(ascii: "\t")]
        let counts = candidates.map { d in bytes[0..<firstLineEnd].reduce(0) { $0 + ($1 == d ? 1 : 0) } }
        let best = counts.indices.max { counts[$0] < counts[$1] } ?? 0
        let delimiter = counts[best] > 0 ? candidates[best] : UInt8(ascii: ",")

        var records: [[String]] = []
        var lines: [Int] = []
        var record: [String] = []
        var field: [UInt8] = []
        var line = 1
        var recordLine = 1
        var i = 0
        var quoted = false
        func finishField() {
            record.append(String(decoding: field, as: UTF8.self))
            field.removeAll(keepingCapacity: true)
        }
        func finishRecord() {
            finishField()
            if !(record.count == 1 && record[0].isEmpty) {
                records.append(record)
                lines.append(recordLine)
            }
            record.removeAll(keepingCapacity: true)
        }
        while i < bytes.count {
            let b = bytes[i]
            if quoted {
                if b == quote {
                    if i + 1 < bytes.count && bytes[i + 1] == quote {
                        field.append(quote)
                        i += 2
                        continue
                    }
                    quoted = false
                } else {
                    if b == lf { line += 1 }
                    field.append(b)
                }
                i += 1
                continue
            }
            if b == quote && field.isEmpty {
                quoted = true
            } else if b == delimiter {
                finishField()
            } else if b == lf || b == cr {
                finishRecord()
                if b == cr && i + 1 < bytes.count && bytes[i + 1] == lf { i += 1 }
                line += 1
                recordLine = line
            } else {
                field.append(b)
            }
            i += 1
        }
        if quoted {
            throw GISError(
                .input, operation: "parse CSV", file: source, record: recordLine,
                message: "quoted field never closed (starts on line \(recordLine))")
        }
        if !field.isEmpty || !record.isEmpty { finishRecord() }
        guard let header = records.first else {
            throw GISError(.input, operation: "parse CSV", file: source, message: "empty file: no header row")
        }
        return CSVTable(
            header: header.map { $0.trimmingCharacters(in: .whitespaces) }, rows: Array(records.dropFirst()),
            lines: Array(lines.dropFirst()), notes: [])
    }
}
