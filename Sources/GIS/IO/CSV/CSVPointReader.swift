import Foundation

/// Options for reading points from a CSV registry.
public struct CSVPointOptions: Sendable {
    /// Column names; nil = detect (`lon`, `lng`, `long`, `longitude`, `longitud`, `x`...).
    public var xColumn: String?
    public var yColumn: String?
    /// CRS of the coordinates (WGS 84 longitude/latitude unless told otherwise).
    public var crs: CRS
    /// Keep going past bad rows (they are listed in ``CSVPointResult/rejected``) instead of
    /// failing on the first one.
    public var skipBadRows: Bool

    public init(xColumn: String? = nil, yColumn: String? = nil, crs: CRS = .wgs84, skipBadRows: Bool = false) {
        self.xColumn = xColumn
        self.yColumn = yColumn
        self.crs = crs
        self.skipBadRows = skipBadRows
    }
}

/// A row that could not become a point, with its line number and why.
public struct RejectedRow: Sendable, Hashable, CustomStringConvertible {
    public var line: Int
    public var reason: String
    public var description: String { "line \(line): \(reason)" }
}

public struct CSVPointResult: Sendable {
    public var layer: Layer
    public var rejected: [RejectedRow]
}

/// Reads a CSV of point records (establishment registries) into a point layer.
///
/// Columns other than the coordinates are typed by their values: integer when every
/// non-empty value is an integer written without leading zeros (so codes such as `010150`
/// stay text), decimal likewise, else text. Coordinates must be finite numbers; in a
/// geographic CRS longitude must lie in [−180, 180] and latitude in [−90, 90].
public enum CSVPointReader {
    static let xNames = ["lon", "lng", "long", "longitude", "longitud", "x", "coord_x", "x_coord", "este", "easting"]
    static let yNames = ["lat", "latitude", "latitud", "y", "coord_y", "y_coord", "norte", "northing"]

    public static func read(_ path: String, options: CSVPointOptions = .init()) throws -> CSVPointResult {
        try points(from: try CSVTable.read(path), source: path, options: options)
    }

    static func column(_ header: [String], named: String?, candidates: [String], axis: String, source: String) throws
        -> Int
    {
        if let named {
            guard
                let i = header.firstIndex(where: { $0 == named })
                    ?? header.firstIndex(where: { $0.lowercased() == named.lowercased() })
            else {
                throw GISError(
                    .usage, operation: "find \(axis) column", file: source, field: named,
                    message: "no such column; the header has: \(header.joined(separator: ", "))")
            }
            return i
        }
        for c in candidates {
            if let i = header.firstIndex(where: { $0.lowercased() == c }) { return i }
        }
        throw GISError(
            .usage, operation: "find \(axis) column", file: source,
            message:
                "none of \(candidates.joined(separator: "/")) in the header (\(header.joined(separator: ", "))); name it with --\(axis)"
        )
    }

    public static func points(from table: CSVTable, source: String, options: CSVPointOptions) throws -> CSVPointResult {
        let xi = try column(table.header, named: options.xColumn, candidates: xNames, axis: "x", source: source)
        let yi = try column(table.header, named: options.yColumn, candidates: yNames, axis: "y", source: source)
        let geographic = (try? ProjContext().describe(options.crs).isGeographic) ?? true
        var rejected: [RejectedRow] = []
        var kept: [(Coordinate, [String])] = []
        for (r, row) in table.rows.enumerated() {
            let line = table.lines[r]
            func reject(_ why: String) throws {
                let bad = RejectedRow(line: line, reason: why)
                guard options.skipBadRows else {
                    throw GISError(
                        .input, operation: "read point", file: source, record: line,
                        message: why + " (use --skip-bad-rows to list such rows and go on)")
                }
                rejected.append(bad)
            }
            guard row.count == table.header.count else {
                try reject("\(row.count) fields where the header has \(table.header.count)")
                continue
            }
            let xs = trimmed(row[xi])
            let ys = trimmed(row[yi])
            guard let x = number(xs), x.isFinite else {
                try reject("\(table.header[xi]) '\(xs)' is not a finite number")
                continue
            }
            guard let y = number(ys), y.isFinite else {
                try reject("\(table.header[yi]) '\(ys)' is not a finite number")
                continue
            }
            if geographic && (abs(x) > 180 || abs(y) > 90) {
                try reject("(\(xs), \(ys)) is outside longitude [-180, 180] / latitude [-90, 90]")
                continue
            }
            kept.append((Coordinate(x, y), row))
        }
        let attributeColumns = table.header.indices.filter { $0 != xi && $0 != yi }
        var fields: [Field] = []
        var columns: [[AttributeValue]] = []
        // Columns are typed independently: on all cores.
        let frozen = kept
        let typed = parallelMap(attributeColumns, grain: 1) { c in inferColumn(frozen.map { $0.1[c] }) }
        for (k, c) in attributeColumns.enumerated() {
            fields.append(Field(table.header[c], typed[k].0))
            columns.append(typed[k].1)
        }
        let features = kept.enumerated().map { r, item in
            Feature(geometry: .point(item.0), attributes: columns.map { $0[r] })
        }
        var notes = table.notes
        if !rejected.isEmpty { notes.append("\(rejected.count) rows rejected (bad coordinates or field count)") }
        let layer = Layer(
            source: source, kind: .point, crs: options.crs, fields: fields, features: features, notes: notes)
        return CSVPointResult(layer: layer, rejected: rejected)
    }

    /// `s` without the white space `CharacterSet.whitespaces` trims at its ends; Foundation
    /// is asked only when an end is not a plain ASCII character.
    @inline(__always)
    static func trimmed(_ s: String) -> String {
        guard let first = s.utf8.first, let last = s.utf8.last else { return s }
        func plain(_ b: UInt8) -> Bool { b < 0x80 && b != 0x20 && b != 0x09 }
        return plain(first) && plain(last) ? s : s.trimmingCharacters(in: .whitespaces)
    }

    /// A coordinate: a decimal point or comma (``DecimalParser``, as `Double(String)` reads).
    @inline(__always)
    static func number(_ s: String) -> Double? {
        var s = s
        return s.withUTF8 { DecimalParser.parse($0, comma: true) }
    }

    /// Types a column by its values (see the type rule above).
    static func inferColumn(_ raw: [String]) -> (FieldType, [AttributeValue]) {
        // Byte tests: every character they accept is ASCII, so bytes and characters agree.
        func isDigit(_ b: UInt8) -> Bool { b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") }
        func plainInteger(_ s: Substring) -> Bool {
            var digits = s.utf8[...]
            if digits.first == UInt8(ascii: "-") { digits = digits.dropFirst() }
            guard !digits.isEmpty, digits.count <= 18, digits.allSatisfy(isDigit) else { return false }
            return digits.count == 1 || digits.first != UInt8(ascii: "0")
        }
        func plainDecimal(_ s: Substring) -> Bool {
            let allowed = s.utf8.allSatisfy { b in
                isDigit(b) || b == UInt8(ascii: "-") || b == UInt8(ascii: ".") || b == UInt8(ascii: "e")
                    || b == UInt8(ascii: "E") || b == UInt8(ascii: "+")
            }
            guard allowed, Double(s) != nil else { return false }
            var digits = s.utf8[...]
            if digits.first == UInt8(ascii: "-") { digits = digits.dropFirst() }
            return !(digits.count > 1 && digits.first == UInt8(ascii: "0") && digits.dropFirst().first != UInt8(ascii: "."))
        }
        let trimmed = raw.map { Self.trimmed($0)[...] }
        let present = trimmed.filter { !$0.isEmpty }
        if !present.isEmpty && present.allSatisfy(plainInteger) {
            return (.integer, trimmed.map { $0.isEmpty ? .null : .integer(Int64($0) ?? 0) })
        }
        if !present.isEmpty && present.allSatisfy(plainDecimal) {
            return (.decimal, trimmed.map { $0.isEmpty ? .null : .decimal(Double($0) ?? .nan) })
        }
        return (.text, raw.map { $0.isEmpty ? .null : .text($0) })
    }
}
