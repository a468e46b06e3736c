import ArgumentParser
import GIS

struct Convert: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Convert a shapefile, GeoJSON or CSV of points to GeoJSON or a shapefile.",
        discussion: """
            GeoJSON output is always WGS 84 longitude/latitude (RFC 7946). Shapefile output keeps the
            layer's CRS unless --to-crs is given.
            --simplify METRES simplifies polygon borders shared by neighbours once, so the output has
            no gaps or overlaps (lines and points are not simplified). It works in the layer's CRS when
            that is projected in metres, else in the UTM south zone of the layer's centre.
            Examples, on the demo territory:
              territorio convert shapes/demo/parroquias.shp \\
                  out/help/parroquias.geojson --simplify 250
            """)

    @Argument(help: "Input layer (.shp, .geojson, .csv).")
    var input: String

    @Argument(help: "Output layer (.geojson or .shp).")
    var output: String

    @Option(help: "Simplification tolerance in metres.")
    var simplify: Double?

    @Option(help: "Target CRS for shapefile output (EPSG code or definition).")
    var toCrs: String?

    @OptionGroup var inputOptions: InputOptions
    @OptionGroup var outputOptions: OutputOptions

    func run() throws {
        var layer = try inputOptions.read(input)
        let proj = try ProjContext()
        if let tolerance = simplify {
            guard tolerance >= 0, tolerance.isFinite else {
                throw ValidationError("--simplify must be a non-negative number of metres")
            }
            Progress(quiet: inputOptions.quiet).step("simplifying shared borders at \(tolerance) m")
            let frame = try MetricFrame(for: layer, context: proj)
            let metric = try layer.features.enumerated().map { i, f in
                try atRecord(input, i + 1) { try f.geometry.map(frame.toMetric) }
            }
            let simplified: [GeometryValue?]
            let report: CoverageSimplifier.Report
            do {
                (simplified, report) = try CoverageSimplifier.simplify(
                    metric, tolerance: tolerance, context: GeometryContext())
            } catch let error as GISError {
                throw error.inFile(input)
            }
            for (i, g) in simplified.enumerated() where layer.features[i].geometry?.polygons.isEmpty == false {
                layer.features[i].geometry = try atRecord(input, i + 1) { try g.map(frame.fromMetric) }
            }
            Console.note(
                "simplified in \(try proj.describe(frame.crs).label): \(report.verticesBefore) → \(report.verticesAfter) vertices over \(report.arcs) arcs (\(report.refinedArcs) refined to keep the topology); \(report.keptRings) small rings kept as they were; \(report.madeValid) results made valid"
            )
        }
        if let toCrs {
            let target = CRS.parse(toCrs)
            if try LayerFormat(path: output) == .geojson, try !proj.equivalent(target, .wgs84) {
                throw ValidationError(
                    "GeoJSON is WGS 84 longitude/latitude by definition (RFC 7946 §4); --to-crs applies to shapefile output"
                )
            }
            let t = try proj.transform(from: layer.crs ?? .wgs84, to: target)
            for i in layer.features.indices {
                layer.features[i].geometry = try layer.features[i].geometry.map(t.apply)
            }
            layer.crs = target
        }
        try outputOptions.write(layer, to: output, proj: proj)
        for note in layer.notes { Console.note("note: \(note)") }
        Console.note("wrote \(layer.features.count) features to \(output)")
    }
}
