import Foundation
import GIS

/// The one place that writes a layer in the format its path names (`.geojson`, `.shp`, `.gpkg`);
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
        case .geopackage:
            // FILE.gpkg holds the layer under the file's name; FILE.gpkg:NAME under NAME.
            let (file, named) = GeoPackageReader.split(path)
            let name = named ?? Self.tableName(URL(fileURLWithPath: file).deletingPathExtension().lastPathComponent)
            let report = try GeoPackageWriter.write([(name, layer)], to: file, context: proj ?? ProjContext())
            notes += Self.notes(report)
        case .csv:
            throw GISError(
                .usage, operation: "write", file: path,
                message: "CSV output is for tables; write layers as .geojson, .gpkg or .shp")
        }
        return notes
    }

    /// What a GeoPackage write changed, as notes.
    public static func notes(_ report: GeoPackageWriter.Report) -> [String] {
        var notes: [String] = []
        for (layer, n) in report.promotedToMulti.sorted(by: { $0.key < $1.key }) {
            notes.append(
                "\(layer): \(n) single geometries written as multi (one geometry type per layer, as QGIS expects)")
        }
        for (layer, renamed) in report.renamedFields.sorted(by: { $0.key < $1.key }) {
            for (from, to) in renamed.sorted(by: { $0.key < $1.key }) {
                notes.append("\(layer): field '\(from)' written as '\(to)' (column names are unique ignoring case)")
            }
        }
        return notes
    }

    /// A file name made a valid GeoPackage table name (other characters become `_`).
    public static func tableName(_ stem: String) -> String {
        var name = String(
            stem.unicodeScalars.map {
                $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0)) ? Character($0) : "_"
            })
        if !(name.first?.isLetter ?? false) { name = "layer_" + name }
        if !GeoPackageWriter.validTableName(name) { name = "layer" }
        return String(name.prefix(63))
    }
}
