import Foundation
import GIS

/// Joins the columns of a CSV table onto a layer's features by a key (an attribute join, as
/// QGIS's "Join attributes by field value"): the way a result table (coverage per parroquia,
/// the official distrito of each parroquia) is mapped on the units' polygons.
public struct TableJoin: Sendable, Hashable {
    /// The CSV table (rfc4180 or the es-spreadsheet dialect: `;` and decimal commas).
    public var table: String
    /// The layer's key field.
    public var layerKey: String
    /// The table's key column (default: the same name as the layer's, case-insensitively).
    public var tableKey: String?

    public init(table: String, layerKey: String, tableKey: String? = nil) {
        self.table = table
        self.layerKey = layerKey
        self.tableKey = tableKey
    }

    /// Parses `FIELD` or `LAYER_FIELD=TABLE_COLUMN` (the `--join-on` option).
    public init(table: String, on text: String) throws {
        let parts = text.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        guard let first = parts.first, !first.isEmpty, parts.count == 1 || !parts[1].isEmpty else {
            throw WorkflowError("--join-on must be FIELD or LAYER_FIELD=TABLE_COLUMN, got '\(text)'")
        }
        self.init(table: table, layerKey: first, tableKey: parts.count == 2 ? parts[1] : nil)
    }

    /// What the join matched.
    public struct Report: Sendable, Hashable {
        public var matchedFeatures = 0
        public var unmatchedFeatures = 0
        /// Table rows whose key no feature has.
        public var unusedRows = 0
        public var addedFields: [String] = []
    }

    /// The layer with the table's other columns added (a column named like an existing field
    /// replaces it). A column is a decimal field when every non-empty cell is a number (a
    /// decimal comma is read as a point in a `;`-separated table), text otherwise. Keys are
    /// compared as text, trimmed. A key repeated in the table is an error naming both lines.
    public func apply(to layer: Layer) throws -> (Layer, Report) {
        let csv = try CSVTable.read(table)
        let layerIndex = try layer.requireField(layerKey)
        let wanted = tableKey ?? layerKey
        guard
            let keyColumn = csv.header.firstIndex(of: wanted)
                ?? csv.header.firstIndex(where: { $0.lowercased() == wanted.lowercased() })
        else {
            throw GISError(
                .usage, operation: "join table", file: table, field: wanted,
                message: "no such column; the table has: \(csv.header.joined(separator: ", "))")
        }
        var rowOfKey: [String: Int] = [:]
        for (r, row) in csv.rows.enumerated() {
            let key = (keyColumn < row.count ? row[keyColumn] : "").trimmingCharacters(in: .whitespaces)
            guard !key.isEmpty else { continue }
            if let earlier = rowOfKey[key] {
                throw GISError(
                    .input, operation: "join table", file: table, record: csv.lines[r], field: wanted,
                    message: "key '\(key)' repeats the one on line \(csv.lines[earlier])")
            }
            rowOfKey[key] = r
        }
        let semicolons = Self.isSemicolon(table)
        let columns = csv.header.indices.filter { $0 != keyColumn }
        var out = layer
        var report = Report()
        var usedRows = Set<Int>()
        let matches: [Int?] = layer.features.map { f in
            let key = f.attributes[layerIndex].description.trimmingCharacters(in: .whitespaces)
            return rowOfKey[key]
        }
        for m in matches {
            if let m {
                report.matchedFeatures += 1
                usedRows.insert(m)
            } else {
                report.unmatchedFeatures += 1
            }
        }
        report.unusedRows = rowOfKey.count - usedRows.count
        for c in columns {
            let name = csv.header[c]
            let cells: [String?] = matches.map { m in
                guard let m, c < csv.rows[m].count else { return nil }
                let cell = csv.rows[m][c].trimmingCharacters(in: .whitespaces)
                return cell.isEmpty ? nil : cell
            }
            let numbers = cells.map { $0.flatMap { Self.number($0, decimalComma: semicolons) } }
            let numeric = zip(cells, numbers).allSatisfy { $0.0 == nil || $0.1 != nil }
            let values: [AttributeValue] =
                numeric
                ? numbers.map { $0.map(AttributeValue.decimal) ?? .null }
                : cells.map { $0.map(AttributeValue.text) ?? .null }
            let field = Field(name, numeric ? .decimal : .text)
            if let existing = out.fields.firstIndex(where: { $0.name == name }) {
                out.fields[existing] = field
                for i in out.features.indices { out.features[i].attributes[existing] = values[i] }
            } else {
                out.fields.append(field)
                for i in out.features.indices { out.features[i].attributes.append(values[i]) }
            }
            report.addedFields.append(name)
        }
        return (out, report)
    }

    static func number(_ text: String, decimalComma: Bool) -> Double? {
        if let v = Double(text), v.isFinite { return v }
        guard decimalComma, text.contains(","), !text.contains(".") else { return nil }
        return Double(text.replacingOccurrences(of: ",", with: ".")).flatMap { $0.isFinite ? $0 : nil }
    }

    /// Whether the table's header line is `;`-separated (the es-spreadsheet dialect).
    static func isSemicolon(_ path: String) -> Bool {
        guard let file = try? FileBytes(path: path) else { return false }
        return
            (try? CSVTable.withText(of: file) { bytes, _ -> Bool in
                var semicolons = 0, commas = 0
                for b in bytes {
                    if b == 0x0A { break }
                    if b == UInt8(ascii: ";") { semicolons += 1 }
                    if b == UInt8(ascii: ",") { commas += 1 }
                }
                return semicolons > commas
            }) ?? false
    }
}
