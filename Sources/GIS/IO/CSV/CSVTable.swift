import Foundation

/// A parsed CSV file (RFC 4180: quoted fields may hold commas, quotes and newlines). The
/// delimiter is `,` unless the header has more `;` or tabs. Text is UTF-8 (a BOM is
/// skipped); a file that is not valid UTF-8 is read as Windows-1252 and says so. A file
/// ending in `.gz` is decompressed as it is read (``FileBytes``); records are split in
/// parallel (``CSVScanner``).
public struct CSVTable: Sendable {
    public var header: [String]
    public var rows: [[String]]
    /// 1-based line number where each row starts (quoted newlines make these differ from
    /// row indices).
    public var lines: [Int]
    public var notes: [String]

    public static func read(_ path: String) throws -> CSVTable {
        let file = try FileBytes(path: path)
        return try withText(of: file) { bytes, notes in
            var table = try parse(bytes: bytes, source: path)
            table.notes += notes
            return table
        }
    }

    /// Parses CSV text held in memory (UTF-8; a BOM is skipped), named `source` in errors.
    public static func parse(_ text: [UInt8], source: String) throws -> CSVTable {
        try text.withUnsafeBufferPointer { all in
            let bom = all.count >= 3 && all[0] == 0xEF && all[1] == 0xBB && all[2] == 0xBF
            let bytes = UnsafeBufferPointer(rebasing: all[(bom ? 3 : 0)...])
            guard UTF8Validation.isValid(bytes) else {
                throw GISError(.input, operation: "parse CSV", file: source, message: "not valid UTF-8")
            }
            return try parse(bytes: bytes, source: source)
        }
    }

    /// Runs `body` on a file's text as UTF-8 bytes, BOM removed; a file that is not valid
    /// UTF-8 is converted from Windows-1252 first, and `notes` says so.
    public static func withText<R>(
        of file: FileBytes, _ body: (UnsafeBufferPointer<UInt8>, _ notes: [String]) throws -> R
    ) throws -> R {
        try file.withBytes { all in
            let bom = all.count >= 3 && all[0] == 0xEF && all[1] == 0xBB && all[2] == 0xBF
            let bytes = UnsafeBufferPointer(rebasing: all[(bom ? 3 : 0)...])
            if UTF8Validation.isValid(bytes) { return try body(bytes, []) }
            var text = TextEncoding.windows1252.decode(bytes) ?? ""
            return try text.withUTF8 { try body($0, ["not valid UTF-8: read as Windows-1252"]) }
        }
    }

    /// The header fields of a CSV file (trimmed), without parsing the rest.
    public static func headerFields(_ path: String) throws -> [String] {
        let file = try FileBytes(path: path)
        return try withText(of: file) { bytes, _ in
            try header(CSVScanner(bytes: bytes, delimiter: CSVScanner.delimiter(of: bytes)), source: path).fields
        }
    }

    /// Parses CSV text.
    public static func parse(_ text: String, source: String = "<CSV>", minimumChunkBytes: Int = 1 << 20) throws
        -> CSVTable
    {
        var text = text
        return try text.withUTF8 { try parse(bytes: $0, source: source, minimumChunkBytes: minimumChunkBytes) }
    }

    /// The header record: its fields (trimmed), where the data starts and the line breaks
    /// before it; an unclosed quote in it is a ``GISError`` naming `source`.
    static func header(_ scanner: CSVScanner, source: String) throws -> (fields: [String], dataStart: Int, lines: Int) {
        var header: [String]? = nil
        var position = 0
        var lines = 0
        // The first non-blank record; blank lines before it are skipped.
        while header == nil && position < scanner.bytes.count {
            let start = position
            let (end, breaks): (Int, Int)
            do {
                (end, breaks) = try scanner.parse(from: start, limit: start + 1) { record in
                    header = (0..<record.count).map { record.text($0).trimmingCharacters(in: .whitespaces) }
                }
            } catch let e as CSVScanner.UnclosedQuote {
                throw e.offset(by: lines).error(in: source)
            }
            position = end
            lines += breaks
        }
        guard let header else {
            throw GISError(.input, operation: "parse CSV", file: source, message: "empty file: no header row")
        }
        return (header, position, lines)
    }

    /// Parses CSV held as UTF-8 bytes (delimiter, quotes and line breaks are ASCII, so they
    /// never occur inside a multi-byte character).
    static func parse(bytes: UnsafeBufferPointer<UInt8>, source: String, minimumChunkBytes: Int = 1 << 20) throws
        -> CSVTable
    {
        let scanner = CSVScanner(bytes: bytes, delimiter: CSVScanner.delimiter(of: bytes))
        do {
            let head = try header(scanner, source: source)
            let pieces = try CSVScanner.offsettingLines(by: head.lines) {
                try scanner.parallel(
                    from: head.dataStart, chunks: max(2, ProcessInfo.processInfo.activeProcessorCount * 2),
                    minimumChunkBytes: minimumChunkBytes
                ) {
                    scanner, start, limit in
                    var rows: [[String]] = []
                    var lines: [Int] = []
                    let (end, breaks) = try scanner.parse(from: start, limit: limit) { record in
                        rows.append((0..<record.count).map { record.text($0) })
                        lines.append(record.lineOffset)
                    }
                    return ((rows, lines), end, breaks)
                }
            }
            var rows: [[String]] = []
            var lines: [Int] = []
            for (piece, before) in pieces {
                rows += piece.0
                lines += piece.1.map { 1 + head.lines + before + $0 }
            }
            return CSVTable(header: head.fields, rows: rows, lines: lines, notes: [])
        } catch let e as CSVScanner.UnclosedQuote {
            throw e.error(in: source)
        }
    }
}
