import ArgumentParser
import GIS

struct Repair: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Make every geometry valid, and optionally remove overlaps between features.",
        discussion: """
            Invalid geometries are rebuilt with GEOS make-valid (structure method). With
            --remove-overlaps, features are taken smallest first (or in --order-by order) and each
            loses what earlier ones already cover, so the output is a coverage and an overlap goes
            to the more specific unit. Every change is
            listed with the geodesic area before and after.
            Examples, on the demo territory:
              territorio repair shapes/demo/parroquias.shp out/help/repaired.geojson \\
                  --remove-overlaps
            """)

    @Argument(help: "Input polygon layer.")
    var input: String

    @Argument(help: "Output layer (.geojson or .shp).")
    var output: String

    @Flag(help: "Trim overlaps so that every point belongs to at most one feature.")
    var removeOverlaps = false

    @Option(help: "Field deciding which feature keeps an overlap (smaller value first; default: smaller area first).")
    var orderBy: String?

    @Option(help: "Field naming features in the report (default: record number).")
    var id: String?

    @OptionGroup var inputOptions: InputOptions
    @OptionGroup var outputOptions: OutputOptions

    func run() throws {
        let layer = try inputOptions.read(input)
        let idIndex = try id.map { try layer.requireField($0) }
        let proj = try ProjContext()
        Progress(quiet: inputOptions.quiet).step("repairing \(layer.features.count) features")
        let measure = try GeodesicMeasure(crs: layer.crs ?? .wgs84, context: proj)
        let (fixed, report) = try LayerRepair.run(
            layer, removeOverlaps: removeOverlaps, orderField: orderBy, measure: measure)
        try outputOptions.write(fixed, to: output, proj: proj)
        print("\(report.madeValid) geometries made valid, \(report.overlapsRemoved) trimmed of overlaps → \(output)")
        for c in report.changes {
            let name = idIndex.map { layer.features[c.index].attributes[$0].description } ?? "record \(c.index + 1)"
            print(
                "  \(name): \(c.what); area \(JSONText.fixed(c.areaBefore, decimals: 0)) → \(JSONText.fixed(c.areaAfter, decimals: 0)) m²"
            )
        }
    }
}
