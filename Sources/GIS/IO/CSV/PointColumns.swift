import Foundation

/// Points read column by column: their coordinates and only the columns asked for, for files
/// of millions of points (population grids, census points) where a ``Layer`` — one attribute
/// array per feature — costs too much time and memory. A CSV (or `.csv.gz`) is parsed in
/// parallel straight from its bytes (``CSVScanner``, ``DecimalParser``); other formats go
/// through their layer. Rows are checked by the rules of ``CSVPointReader``.
public struct PointColumns: Sendable {
    public var source: String
    public var crs: CRS
    /// In the file's CRS.
    public var coordinates: [Coordinate]
    /// 1-based line (CSV) or record number of each point.
    public var records: [Int]
    /// Per requested numeric column: the value of each point (nil when empty).
    public var numbers: [[Double?]]
    /// Per requested text column: the value of each point.
    public var texts: [[String]]
    public var rejected: [RejectedRow]
    public var notes: [String]

    public var count: Int { coordinates.count }

    /// A row error (line counted from the start of a parsed piece).
    struct RowError: CSVLineError {
        var lineOffset: Int
        var field: String?
        var message: String
        /// Whether `skipBadRows` would have let the row go.
        var skippable: Bool
        func offset(by lines: Int) -> RowError {
            RowError(lineOffset: lineOffset + lines, field: field, message: message, skippable: skippable)
        }
    }

    /// One parsed piece of the file.
    struct Piece: Sendable {
        var coordinates: [Coordinate] = []
        var lines: [Int] = []
        var numbers: [[Double?]]
        var texts: [[String]]
        var rejected: [(Int, String)] = []
    }

    /// Reads `path`: a CSV (`.csv`, `.txt`, `.csv.gz`, `.txt.gz`) column by column, any other layer
    /// through ``LayerIO`` (point features only; others are skipped and counted in `notes`).
    /// `numeric` and `text` name the columns to keep; a value in a numeric column that is
    /// neither empty nor a number is an error naming the file, line and column.
    public static func read(
        _ path: String, options: CSVPointOptions = .init(), numeric: [String] = [], text: [String] = [],
        layerOptions: LayerReadOptions = .init()
    ) throws -> PointColumns {
        guard try LayerFormat(path: path) == .csv else {
            var layerOptions = layerOptions
            layerOptions.csv = options
            return try PointColumns(layer: try LayerIO.read(path, options: layerOptions), numeric: numeric, text: text)
        }
        let file = try FileBytes(path: path)
        return try CSVTable.withText(of: file) { bytes, notes in
            var columns = try parse(bytes, source: path, options: options, numeric: numeric, text: text)
            columns.notes = notes + columns.notes
            return columns
        }
    }

    static func parse(
        _ bytes: UnsafeBufferPointer<UInt8>, source: String, options: CSVPointOptions, numeric: [String],
        text: [String], minimumChunkBytes: Int = 1 << 20
    ) throws -> PointColumns {
        let scanner = CSVScanner(bytes: bytes, delimiter: CSVScanner.delimiter(of: bytes))
        let head = try CSVTable.header(scanner, source: source)
        let header = head.fields
        let xi = try CSVPointReader.column(
            header, named: options.xColumn, candidates: CSVPointReader.xNames, axis: "x", source: source)
        let yi = try CSVPointReader.column(
            header, named: options.yColumn, candidates: CSVPointReader.yNames, axis: "y", source: source)
        func find(_ name: String) throws -> Int {
            guard
                let i = header.firstIndex(of: name)
                    ?? header.firstIndex(where: { $0.lowercased() == name.lowercased() })
            else {
                throw GISError(
                    .usage, operation: "find column", file: source, field: name,
                    message: "no such column; the header has: \(header.joined(separator: ", "))")
            }
            return i
        }
        let numericColumns = try numeric.map(find)
        let textColumns = try text.map(find)
        let geographic = (try? ProjContext().describe(options.crs).isGeographic) ?? true
        let skip = options.skipBadRows
        let width = header.count
        let pieces: [(piece: Piece, linesBefore: Int)]
        do {
            pieces = try CSVScanner.offsettingLines(by: head.lines) {
                try scanner.parallel(
                    from: head.dataStart, chunks: max(2, ProcessInfo.processInfo.activeProcessorCount * 4),
                    minimumChunkBytes: minimumChunkBytes
                ) { scanner, start, limit in
                    var piece = Piece(
                        numbers: numericColumns.map { _ in [] }, texts: textColumns.map { _ in [] })
                    func reject(_ line: Int, _ why: String, field: String? = nil) throws {
                        guard skip else {
                            throw RowError(lineOffset: line, field: field, message: why, skippable: true)
                        }
                        piece.rejected.append((line, why))
                    }
                    let (end, breaks) = try scanner.parse(from: start, limit: limit) { record in
                        let line = record.lineOffset
                        guard record.count == width else {
                            try reject(line, "\(record.count) fields where the header has \(width)")
                            return
                        }
                        guard let x = record.number(xi, comma: true), x.isFinite else {
                            try reject(
                                line,
                                "\(header[xi]) '\(record.text(xi).trimmingCharacters(in: .whitespaces))' is not a finite number",
                                field: header[xi])
                            return
                        }
                        guard let y = record.number(yi, comma: true), y.isFinite else {
                            try reject(
                                line,
                                "\(header[yi]) '\(record.text(yi).trimmingCharacters(in: .whitespaces))' is not a finite number",
                                field: header[yi])
                            return
                        }
                        if geographic && (abs(x) > 180 || abs(y) > 90) {
                            try reject(
                                line,
                                "(\(record.text(xi).trimmingCharacters(in: .whitespaces)), \(record.text(yi).trimmingCharacters(in: .whitespaces))) is outside longitude [-180, 180] / latitude [-90, 90]"
                            )
                            return
                        }
                        for (k, c) in numericColumns.enumerated() {
                            if let v = record.number(c) {
                                piece.numbers[k].append(v)
                            } else if record.text(c).trimmingCharacters(in: .whitespaces).isEmpty {
                                piece.numbers[k].append(nil)
                            } else {
                                // A bad number is an error even with skipBadRows: the column is data.
                                throw RowError(
                                    lineOffset: line, field: header[c], message: "'\(record.text(c))' is not a number",
                                    skippable: false)
                            }
                        }
                        for (k, c) in textColumns.enumerated() { piece.texts[k].append(record.text(c)) }
                        piece.coordinates.append(Coordinate(x, y))
                        piece.lines.append(line)
                    }
                    return (piece, end, breaks)
                }
            }
        } catch let e as CSVScanner.UnclosedQuote {
            throw e.error(in: source)
        } catch let e as RowError {
            throw GISError(
                .input, operation: "read point", file: source, record: e.lineOffset + 1, field: e.field,
                message: e.message + (e.skippable ? " (use --skip-bad-rows to list such rows and go on)" : ""))
        }
        var out = PointColumns(
            source: source, crs: options.crs, numbers: numericColumns.count, texts: textColumns.count)
        // Joined on all cores: a million points' columns are tens of megabytes.
        out.coordinates = parallelJoined(pieces.map(\.piece.coordinates))
        let bases = pieces.map { 1 + head.lines + $0.linesBefore }
        out.records = parallelJoined(pieces.map(\.piece.lines)) { p, line in bases[p] + line }
        for k in out.numbers.indices { out.numbers[k] = parallelJoined(pieces.map { $0.piece.numbers[k] }) }
        for k in out.texts.indices { out.texts[k] = parallelJoined(pieces.map { $0.piece.texts[k] }) }
        for (p, piece) in pieces.enumerated() {
            out.rejected += piece.piece.rejected.map { RejectedRow(line: bases[p] + $0.0, reason: $0.1) }
        }
        if !out.rejected.isEmpty {
            out.notes.append("\(out.rejected.count) rows rejected (bad coordinates or field count)")
        }
        return out
    }

    init(source: String, crs: CRS, numbers: Int, texts: Int) {
        self.source = source
        self.crs = crs
        coordinates = []
        records = []
        self.numbers = Array(repeating: [], count: numbers)
        self.texts = Array(repeating: [], count: texts)
        rejected = []
        notes = []
    }

    /// The point features of a layer, with the named fields (numbers from numeric fields; a
    /// numeric column that holds text is an error).
    public init(layer: Layer, numeric: [String] = [], text: [String] = []) throws {
        let numberFields = try numeric.map { name -> Int in
            let i = try layer.requireField(name)
            guard [.integer, .decimal].contains(layer.fields[i].type) else {
                throw GISError(
                    .input, operation: "read points", file: layer.source, field: name,
                    message: "the field must be numeric, it holds \(layer.fields[i].type.rawValue)")
            }
            return i
        }
        let textFields = try text.map { try layer.requireField($0) }
        source = layer.source
        crs = layer.crs ?? .wgs84
        coordinates = []
        records = []
        numbers = numberFields.map { _ in [] }
        texts = textFields.map { _ in [] }
        rejected = []
        notes = layer.notes
        var skipped = 0
        for (r, f) in layer.features.enumerated() {
            guard case .point(let c)? = f.geometry else {
                skipped += 1
                continue
            }
            coordinates.append(c)
            records.append(r + 1)
            for (k, i) in numberFields.enumerated() { numbers[k].append(f.attributes[i].number) }
            for (k, i) in textFields.enumerated() { texts[k].append(f.attributes[i].description) }
        }
        if skipped > 0 { notes.append("\(skipped) features without point geometry skipped") }
    }
}
