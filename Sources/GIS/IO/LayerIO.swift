import Foundation

/// Layer formats, chosen by file extension.
public enum LayerFormat: String, Sendable, CaseIterable {
    case shapefile, geojson, csv, geopackage

    /// `.csv.gz` and `.txt.gz` are CSV, decompressed as read (``FileBytes``); `FILE.gpkg:LAYER`
    /// names one layer of a GeoPackage.
    public init(path: String) throws {
        let lower = path.lowercased()
        if lower.hasSuffix(".csv.gz") || lower.hasSuffix(".txt.gz") {
            self = .csv
            return
        }
        let ext = URL(fileURLWithPath: GeoPackageReader.split(path).file).pathExtension.lowercased()
        switch ext {
        case "shp": self = .shapefile
        case "geojson", "json": self = .geojson
        case "csv", "txt": self = .csv
        case "gpkg": self = .geopackage
        default:
            throw GISError(
                .usage, operation: "choose format", file: path,
                message: "unknown extension '.\(ext)' (use .shp, .geojson/.json, .gpkg, .csv or .csv.gz)")
        }
    }
}

/// Options for ``LayerIO/read(_:options:)`` across formats.
public struct LayerReadOptions: Sendable {
    public var shapefile = ShapefileReadOptions()
    public var csv = CSVPointOptions()
    public init() {}
}

/// Reading and writing layers by path.
public enum LayerIO {
    /// Reads a shapefile, GeoJSON, GeoPackage layer or CSV of points. CSV rows rejected with
    /// `skipBadRows` are added to the layer's notes.
    public static func read(_ path: String, options: LayerReadOptions = .init()) throws -> Layer {
        switch try LayerFormat(path: path) {
        case .shapefile:
            return try ShapefileReader.read(path, options: options.shapefile)
        case .geojson:
            return try GeoJSONReader.read(path)
        case .geopackage:
            return try GeoPackageReader.read(path)
        case .csv:
            let result = try CSVPointReader.read(path, options: options.csv)
            var layer = result.layer
            layer.notes += result.rejected.prefix(20).map { "rejected \($0)" }
            if result.rejected.count > 20 {
                layer.notes.append("... and \(result.rejected.count - 20) more rejected rows")
            }
            return layer
        }
    }
}
