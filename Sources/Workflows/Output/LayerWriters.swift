import GIS

/// The one place that writes a layer in the format its path names (`.geojson`, `.shp`);
/// every command writing a layer goes through it.
public struct LayerWriter: Sendable {
    /// GeoJSON coordinate decimals (6 ≈ 0.1 m).
    public var precision: Int
    /// Shapefile text encoding.
    public var shapefileEncoding: TextEncoding

    public init(precision: Int = 6, shapefileEncoding: TextEncoding = .utf8) throws {
        self.precision = try Checked.integer(precision, in: 0...15, "--precision")
        self.shapefileEncoding = shapefileEncoding
    }

    /// Writes `layer` to `path`; what the format could not hold is returned as notes.
    @discardableResult
    public func write(_ layer: Layer, to path: String, proj: ProjContext? = nil) throws -> [String] {
        var notes: [String] = []
        switch try LayerFormat(path: path) {
        case .geojson:
            let report = try GeoJSONWriter(precision: precision).write(layer, to: path, context: proj)
            if report.collapsedRings > 0 {
                notes.append(
                    "\(report.collapsedRings) rings collapsed when rounded to \(precision) decimals and were left out")
            }
        case .shapefile:
            let report = try ShapefileWriter.write(layer, to: path, encoding: shapefileEncoding)
            for (from, to) in report.renamedFields.sorted(by: { $0.key < $1.key }) {
                notes.append("field '\(from)' written as '\(to)' (DBF names hold 10 bytes)")
            }
            if report.unencodableCharacters > 0 {
                notes.append(
                    "\(report.unencodableCharacters) characters not representable in \(shapefileEncoding.rawValue) written as '?'"
                )
            }
        case .csv:
            throw GISError(
                .usage, operation: "write", file: path,
                message: "CSV output is for tables; write layers as .geojson or .shp")
        }
        return notes
    }
}
