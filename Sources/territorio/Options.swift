import ArgumentParser
import GIS

/// How to read an input layer, shared by every command.
struct InputOptions: ParsableArguments {
    @Option(help: "CRS to assume when a shapefile has no .prj, or of CSV coordinates (default EPSG:4326 for CSV).")
    var crs: String?

    @Option(help: "Text encoding of a shapefile's DBF, overriding .cpg (UTF-8, 1252, ISO-8859-1).")
    var encoding: String?

    @Option(name: .customLong("x"), help: "CSV column holding longitude/x (default: detected).")
    var xColumn: String?

    @Option(name: .customLong("y"), help: "CSV column holding latitude/y (default: detected).")
    var yColumn: String?

    @Flag(help: "CSV: list rows with bad coordinates and go on, instead of stopping at the first.")
    var skipBadRows = false

    @Flag(help: "No progress messages on stderr.")
    var quiet = false

    func readOptions() throws -> LayerReadOptions {
        var options = LayerReadOptions()
        if let encoding {
            guard let e = TextEncoding(label: encoding) else {
                throw ValidationError("unknown encoding '\(encoding)' (use UTF-8, 1252 or ISO-8859-1)")
            }
            options.shapefile.encoding = e
        }
        if let crs {
            options.shapefile.assumedCRS = CRS.parse(crs)
            options.csv.crs = CRS.parse(crs)
        }
        options.csv.xColumn = xColumn
        options.csv.yColumn = yColumn
        options.csv.skipBadRows = skipBadRows
        return options
    }

    func read(_ path: String) throws -> Layer {
        Progress(quiet: quiet).step("reading \(path)")
        return try LayerIO.read(path, options: try readOptions())
    }
}

/// Writing a layer to .geojson or .shp.
struct OutputOptions: ParsableArguments {
    @Option(help: "GeoJSON coordinate decimals (6 ≈ 0.1 m).")
    var precision: Int = 6

    @Option(help: "Shapefile text encoding for output (UTF-8 or 1252).")
    var outputEncoding: String = "UTF-8"

    func write(_ layer: Layer, to path: String, proj: ProjContext) throws {
        switch try LayerFormat(path: path) {
        case .geojson:
            let report = try GeoJSONWriter(precision: precision).write(layer, to: path, context: proj)
            if report.collapsedRings > 0 {
                Console.note(
                    "\(report.collapsedRings) rings collapsed when rounded to \(precision) decimals and were left out")
            }
        case .shapefile:
            guard let e = TextEncoding(label: outputEncoding) else {
                throw ValidationError("unknown output encoding '\(outputEncoding)'")
            }
            let report = try ShapefileWriter.write(layer, to: path, encoding: e)
            for (from, to) in report.renamedFields.sorted(by: { $0.key < $1.key }) {
                Console.note("field '\(from)' written as '\(to)' (DBF names hold 10 bytes)")
            }
            if report.unencodableCharacters > 0 {
                Console.note(
                    "\(report.unencodableCharacters) characters not representable in \(e.rawValue) written as '?'")
            }
        case .csv:
            throw GISError(
                .usage, operation: "write", file: path,
                message: "CSV output is for tables; write layers as .geojson or .shp")
        }
    }
}

extension CRSInfo {
    var label: String { identifier.map { "\(name) (\($0))" } ?? name }
}
