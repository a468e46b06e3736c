import Foundation

/// An error at a record whose line is counted from the start of a parsed piece; the
/// scanner adds the lines before the piece as it goes up.
public protocol CSVLineError: Error {
    var lineOffset: Int { get }
    func offset(by lines: Int) -> Self
}

/// One record of a CSV file, as byte ranges into the file (nothing copied).
public struct CSVRecord {
    let bytes: UnsafeBufferPointer<UInt8>
    /// Per field: start and end of its raw bytes, and whether it needs unquoting. The first
    /// `count` entries are this record's: the arrays are reused from record to record
    /// (overwritten, never emptied, so no record pays for clearing them).
    var starts: [Int] = []
    var ends: [Int] = []
    var quoted: [Bool] = []
    /// 0-based line break count from the start of the scanned range to the record's start.
    public internal(set) var lineOffset = 0

    public internal(set) var count = 0

    /// Starts the next record.
    @inline(__always)
    mutating func reset() { count = 0 }

    /// Appends a field's byte range.
    @inline(__always)
    mutating func add(start: Int, end: Int, quoted isQuoted: Bool) {
        if count < starts.count {
            starts[count] = start
            ends[count] = end
            quoted[count] = isQuoted
        } else {
            starts.append(start)
            ends.append(end)
            quoted.append(isQuoted)
        }
        count += 1
    }

    /// The field's bytes when it is plain (unquoted); nil for a quoted field.
    @inline(__always)
    public func plain(_ i: Int) -> UnsafeBufferPointer<UInt8>? {
        quoted[i] ? nil : UnsafeBufferPointer(rebasing: bytes[starts[i]..<ends[i]])
    }

    /// The field's value as bytes, with RFC 4180 quoting undone exactly as ``CSVTable`` does
    /// (a quote opens a quoted field only as its first byte; `""` inside is one quote; bytes
    /// after the closing quote are kept).
    public func value(_ i: Int) -> [UInt8] {
        guard quoted[i] else { return Array(bytes[starts[i]..<ends[i]]) }
        var out: [UInt8] = []
        var k = starts[i] + 1
        let end = ends[i]
        var inQuotes = true
        while k < end {
            let b = bytes[k]
            if inQuotes && b == CSVScanner.quote {
                if k + 1 < end && bytes[k + 1] == CSVScanner.quote {
                    out.append(b)
                    k += 2
                    continue
                }
                inQuotes = false
            } else {
                out.append(b)
            }
            k += 1
        }
        return out
    }

    /// The field's number (see ``DecimalParser``), or nil.
    @inline(__always)
    public func number(_ i: Int, comma: Bool = false) -> Double? {
        if let p = plain(i) { return DecimalParser.parse(p, comma: comma) }
        let v = value(i)
        return v.withUnsafeBufferPointer { DecimalParser.parse($0, comma: comma) }
    }

    /// The field as UTF-8 text.
    public func text(_ i: Int) -> String {
        if let p = plain(i) { return String(decoding: p, as: UTF8.self) }
        return String(decoding: value(i), as: UTF8.self)
    }

    /// Whether the field is empty (an empty quoted field `""` included).
    public func isEmpty(_ i: Int) -> Bool { ends[i] == starts[i] || (quoted[i] && ends[i] - starts[i] == 2) }
}

/// Splits CSV bytes into records and fields (RFC 4180, with the tolerances of ``CSVTable``:
/// line breaks are LF, CR or CRLF; a blank line is no record), in parallel chunks.
///
/// Chunks are cut at the first line break after an even split of the bytes and parsed
/// speculatively at once; a quoted field holding a line break can make a cut fall inside a
/// record, so the chunks are then checked in order: a chunk whose start is not where the
/// previous one really ended is parsed again from there. The records and their line numbers
/// are therefore exactly those of a sequential parse, whatever the quoting.
public struct CSVScanner {
    static let quote = UInt8(ascii: "\"")
    static let lf = UInt8(ascii: "\n")
    static let cr = UInt8(ascii: "\r")

    public let bytes: UnsafeBufferPointer<UInt8>
    public let delimiter: UInt8

    public init(bytes: UnsafeBufferPointer<UInt8>, delimiter: UInt8) {
        self.bytes = bytes
        self.delimiter = delimiter
    }

    /// The delimiter of a file: `,` unless its first line has more `;` or tabs.
    public static func delimiter(of bytes: UnsafeBufferPointer<UInt8>) -> UInt8 {
        var counts = [0, 0, 0]
        let candidates: [UInt8] = [UInt8(ascii: ","), UInt8(ascii: ";"), UInt8(ascii: "\t")]
        for b in bytes {
            if b == lf || b == cr { break }
            if let k = candidates.firstIndex(of: b) { counts[k] += 1 }
        }
        let best = counts.indices.max { counts[$0] < counts[$1] } ?? 0
        return counts[best] > 0 ? candidates[best] : UInt8(ascii: ",")
    }

    /// An unclosed quote: where the record began (line breaks from the scanned range's start).
    public struct UnclosedQuote: CSVLineError {
        public var lineOffset: Int
        public func offset(by lines: Int) -> UnclosedQuote { UnclosedQuote(lineOffset: lineOffset + lines) }

        /// The error a user reads, its line counted from the start of `file`.
        public func error(in file: String) -> GISError {
            GISError(
                .input, operation: "parse CSV", file: file, record: lineOffset + 1,
                message: "quoted field never closed (starts on line \(lineOffset + 1))")
        }
    }

    /// Parses the records that start in `start..<limit` (a record may run past `limit`),
    /// calling `visit` for each non-blank one. Returns where the last record ended and the
    /// line breaks crossed.
    public func parse(
        from start: Int, limit: Int, _ visit: (CSVRecord) throws -> Void
    ) throws -> (end: Int, lineBreaks: Int) {
        let n = bytes.count
        var record = CSVRecord(bytes: bytes)
        var i = start
        var lines = 0
        while i < n && i < limit {
            record.reset()
            record.lineOffset = lines
            var atEnd = false
            while true {
                let fieldStart = i
                var isQuoted = false
                if i < n && bytes[i] == Self.quote {
                    isQuoted = true
                    i += 1
                    while true {
                        guard i < n else { throw UnclosedQuote(lineOffset: record.lineOffset) }
                        let b = bytes[i]
                        if b == Self.quote {
                            if i + 1 < n && bytes[i + 1] == Self.quote {
                                i += 2
                                continue
                            }
                            i += 1
                            break
                        }
                        if b == Self.lf { lines += 1 }
                        i += 1
                    }
                }
                while i < n {
                    let b = bytes[i]
                    if b == delimiter || b == Self.lf || b == Self.cr { break }
                    i += 1
                }
                record.add(start: fieldStart, end: i, quoted: isQuoted)
                if i >= n {
                    atEnd = true
                    break
                }
                let b = bytes[i]
                i += 1
                if b == delimiter { continue }
                if b == Self.cr && i < n && bytes[i] == Self.lf { i += 1 }
                lines += 1
                break
            }
            if !(record.count == 1 && record.isEmpty(0)) { try visit(record) }
            if atEnd { break }
        }
        return (i, lines)
    }

    /// Runs `body`, adding `lines` to the line of a ``CSVLineError`` it throws.
    public static func offsettingLines<R>(by lines: Int, _ body: () throws -> R) throws -> R {
        do { return try body() } catch let e as any CSVLineError { throw e.offset(by: lines) }
    }

    /// The speculative start of a chunk cut near `position`: just after the first line break
    /// at or after `position − 1`.
    func cut(near position: Int) -> Int {
        var k = max(0, position - 1)
        while k < bytes.count && bytes[k] != Self.lf && bytes[k] != Self.cr { k += 1 }
        guard k < bytes.count else { return bytes.count }
        if bytes[k] == Self.cr && k + 1 < bytes.count && bytes[k + 1] == Self.lf { return k + 2 }
        return k + 1
    }

    /// Parses every record from `start` on, in up to `chunks` parallel pieces, giving each
    /// piece's result from `parsePiece` (called again for a piece re-parsed after a bad cut)
    /// in file order, with the line break count before the piece. A ``CSVLineError`` comes
    /// out with its line counted from `start`.
    public func parallel<Piece: Sendable>(
        from start: Int, chunks requested: Int, minimumChunkBytes: Int = 1 << 20,
        _ parsePiece:
            @Sendable (_ scanner: CSVScanner, _ start: Int, _ limit: Int) throws -> (
                piece: Piece, end: Int, lineBreaks: Int
            )
    ) throws -> [(piece: Piece, linesBefore: Int)] {
        let n = bytes.count
        let chunks = max(1, min(requested, (n - start) / max(1, minimumChunkBytes) + 1))
        var cuts = [start]
        for c in 1..<max(1, chunks) { cuts.append(max(cuts[c - 1], cut(near: start + (n - start) * c / chunks))) }
        cuts.append(n)
        let results = TaskSlots<Result<(piece: Piece, end: Int, lineBreaks: Int), Error>>(count: chunks)
        nonisolated(unsafe) let scanner = self
        let frozen = cuts
        DispatchQueue.concurrentPerform(iterations: chunks) { c in
            results.set(c, Result { try parsePiece(scanner, frozen[c], frozen[c + 1]) })
        }
        let speculative = results.values
        var out: [(piece: Piece, linesBefore: Int)] = []
        var position = start
        var lines = 0
        for c in 0..<chunks {
            // A bad cut (a line break inside quotes): parse this piece again from where the
            // previous one really ended. Otherwise its own result (or error) stands.
            let result: (piece: Piece, end: Int, lineBreaks: Int)
            do {
                result =
                    position == cuts[c]
                    ? try (speculative[c] ?? .failure(UnclosedQuote(lineOffset: 0))).get()
                    : try parsePiece(self, position, max(position, cuts[c + 1]))
            } catch let e as any CSVLineError {
                throw e.offset(by: lines)
            }
            out.append((result.piece, lines))
            position = result.end
            lines += result.lineBreaks
        }
        return out
    }
}

@available(*, unavailable, message: "points into memory owned elsewhere")
extension CSVScanner: Sendable {}
