import ArgumentParser
import Foundation
import GIS

struct Locate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Find the polygon (parish, circuito...) that holds each point.",
        discussion: """
            Writes a CSV with one row per point: its record number, the id of the polygon holding it,
            and, for points outside every polygon, the nearest polygon and the distance to it in metres.
            Points are transformed into the polygons' CRS first.
            """)

    @Argument(help: "Point layer (.csv, .geojson, .shp).")
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

    func run() throws {
        let units = try inputOptions.read(polygons)
        let pts = try inputOptions.read(points)
        let unitId = try units.requireField(id)
        let pointIndex = try pointId.map { try pts.requireField($0) }
        let proj = try ProjContext()
        let toUnits = try proj.transform(from: pts.crs ?? .wgs84, to: units.crs ?? .wgs84)
        let context = GeometryContext()
        let locator = try PolygonLocator(try LayerGeometries(units, context: context))
        let measure = try GeodesicMeasure(crs: units.crs ?? .wgs84, context: proj)
        Progress(quiet: inputOptions.quiet).step("locating \(pts.features.count) points")
        var lines = ["point,unit,nearest_unit,distance_m"]
        var inside = 0, outside = 0, noGeometry = 0
        for (i, f) in pts.features.enumerated() {
            let name = pointIndex.map { f.attributes[$0].description } ?? String(i + 1)
            guard case .point(let raw)? = f.geometry else {
                noGeometry += 1
                lines.append("\(CSVText.field(name)),,,")
                continue
            }
            // A GEOS or PROJ failure names the point's file and record.
            try atRecord(points, i + 1) {
                let c = try toUnits.apply(raw)
                if let u = try locator.locate(c) {
                    inside += 1
                    lines.append(
                        "\(CSVText.field(name)),\(CSVText.field(units.features[u].attributes[unitId].description)),,")
                } else if let (u, _) = try locator.nearest(c) {
                    outside += 1
                    // Geodesic distance to the nearest point of that polygon.
                    let g = try context.geometry(units.features[u].geometry ?? .multiPolygon([]))
                    let nearest = try Locate.closestPoint(on: g, to: c, context: context)
                    let metres = measure.geodesic.distance(try measure.lonLat(c), try measure.lonLat(nearest))
                    lines.append(
                        "\(CSVText.field(name)),,\(CSVText.field(units.features[u].attributes[unitId].description)),\(JSONText.fixed(metres, decimals: 1))"
                    )
                }
            }
        }
        let text = lines.joined(separator: "\n") + "\n"
        if let output { try AtomicFile.write(text, to: output) } else { print(text, terminator: "") }
        Console.note(
            "\(pts.features.count) points: \(inside) inside a unit, \(outside) outside every unit (nearest listed), \(noGeometry) without point geometry"
        )
    }

    static func closestPoint(on g: Geometry, to c: Coordinate, context: GeometryContext) throws -> Coordinate {
        try g.nearestPoints(to: try context.point(c)).0
    }
}
