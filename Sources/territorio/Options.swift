import ArgumentParser
import Foundation
import GIS
import Workflows

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

/// Writing a layer to .geojson or .shp (Workflows' ``LayerWriter``).
struct OutputOptions: ParsableArguments {
    @Option(help: "GeoJSON coordinate decimals (0–15; 6 ≈ 0.1 m).")
    var precision: Int = 6

    @Option(help: "Shapefile text encoding for output (UTF-8 or 1252).")
    var outputEncoding: String = "UTF-8"

    func write(_ layer: Layer, to path: String, proj: ProjContext) throws {
        guard let e = TextEncoding(label: outputEncoding) else {
            throw ValidationError("unknown output encoding '\(outputEncoding)' (use UTF-8 or 1252)")
        }
        let notes = try LayerWriter(precision: precision, shapefileEncoding: e).write(layer, to: path, proj: proj)
        for n in notes { Console.note(n) }
    }
}

extension CRSInfo {
    var label: String { identifier.map { "\(name) (\($0))" } ?? name }
}

extension TableFormat.Dialect: ExpressibleByArgument {}

/// How a command's tables (.csv) are written.
struct TableOptions: ParsableArguments {
    @Option(
        help: """
            Dialect of the .csv tables: rfc4180 (UTF-8, ',' and '.'; for scripts, pandas, GDAL) or \
            es-spreadsheet (UTF-8 with BOM, ';' and decimal ',': opens right in a Spanish-locale spreadsheet).
            """)
    var tableDialect: TableFormat.Dialect = .rfc4180

    @Flag(help: "Write NAME.csvt beside every NAME.csv: column types for GDAL and QGIS (codes stay text).")
    var csvt = false

    var format: TableFormat { TableFormat(dialect: tableDialect, csvt: csvt) }

    /// A one-table command's output: to `output` with its sidecar, or to stdout (where a
    /// sidecar has nowhere to go: `--csvt` needs `-o`). `identifiers`: columns holding codes.
    func write(_ csv: [UInt8], to output: String?, identifiers: Set<String> = []) throws {
        let converted = try TableConversion.converted(
            csv, format: format, source: output ?? "stdout", identifiers: identifiers)
        if let output {
            try TableConversion.write(converted, to: output)
        } else {
            FileHandle.standardOutput.write(Data(converted.table))
        }
    }

    /// Refuses `--csvt` without a file to put it beside.
    func validate(output: String?) throws {
        if csvt && output == nil { throw ValidationError("--csvt needs -o FILE.csv (a sidecar cannot go to stdout)") }
    }
}
