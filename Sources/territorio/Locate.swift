import ArgumentParser
import Foundation
import GIS
import Workflows

struct Locate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Find the polygon (parish, circuito...) that holds each point.",
        discussion: """
            Writes a CSV with one row per point: its record number, the id of the polygon holding it,
            and, for points outside every polygon, the nearest polygon and the distance to it in metres.
            Points are transformed into the polygons' CRS first. A point is in a polygon when GEOS
            'covers' says so (inside or on its boundary); a point on a border shared by several polygons
            goes to the first of them in the layer. CSV points may be gzip-compressed (.csv.gz).
            Examples, on the demo territory:
              territorio locate Data/demo/establishments.csv \\
                  --in shapes/demo/parroquias.shp --id DPA_PARROQ --point-id id \\
                  -o out/help/located.csv
            """)

    @Argument(help: "Point layer (.csv, .csv.gz, .geojson, .shp).")
    var points: String

    @Option(name: .customLong("in"), help: "Polygon layer.")
    var polygons: String

    @Option(help: "Field identifying polygons.")
    var id: String

    @Option(help: "Field identifying points (default: record number).")
    var pointId: String?

    @Option(name: [.short, .long], help: "Output CSV (default: stdout).")
    var output: String?

    @OptionGroup var inputOptions: InputOptions
    @OptionGroup var tables: TableOptions

    func run() throws {
        try tables.validate(output: output)
        let units = try inputOptions.read(polygons)
        Progress(quiet: inputOptions.quiet).step("locating the points of \(points)")
        let result = try LocateWorkflow.run(
            points: points, units: units, unitField: id, pointField: pointId,
            readOptions: try inputOptions.readOptions())
        try tables.write(result.csv, to: output, identifiers: ["point", "nearest_unit"])
        Console.note(
            "\(result.points) points: \(result.inside) inside a unit, \(result.outside) outside every unit (nearest listed), \(result.withoutGeometry) without point geometry"
        )
    }
}
