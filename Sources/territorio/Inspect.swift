import ArgumentParser
import Foundation
import GIS

struct Inspect: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Describe a layer: type, CRS, fields, extent, invalid geometries, overlaps.",
        discussion: """
            Reads a shapefile, GeoJSON or CSV of points and reports what it holds and what is wrong
            with its geometry. Invalid geometries are listed with GEOS's reason; overlaps between
            polygons with their geodesic area in m².
            With --fail-on-problems the exit code is 1 when any geometry is invalid, empty or overlapping.
            Examples, on the demo territory:
              territorio inspect shapes/demo/parroquias.shp --limit 2
            """)

    @Argument(help: "The layer (.shp, .geojson, .csv).")
    var layer: String

    @OptionGroup var input: InputOptions

    @Flag(help: "Print the report as JSON.")
    var json = false

    @Flag(help: "Skip the overlap search (faster on large layers).")
    var noOverlaps = false

    @Flag(help: "Exit with code 1 when geometries are invalid, empty or overlap.")
    var failOnProblems = false

    @Option(help: "Overlaps narrower than this many metres (on average) are reported as rounding slivers.")
    var sliverWidth: Double = 0.5

    @Option(help: "How many problems to list in the text report.")
    var limit: Int = 20

    func run() throws {
        let progress = Progress(quiet: input.quiet)
        let layer = try input.read(self.layer)
        let proj = try ProjContext()
        let crs = layer.crs ?? .wgs84
        let info = try proj.describe(crs)
        progress.step("checking geometries")
        let measure = try GeodesicMeasure(crs: crs, context: proj)
        let diagnostics = try LayerDiagnostics.check(
            layer, measure: measure, overlaps: !noOverlaps, sliverWidth: sliverWidth)
        let extent = layer.envelope
        var lonLat = Envelope.empty
        if !extent.isEmpty {
            let t = try proj.transform(from: crs, to: .wgs84)
            for c in [
                Coordinate(extent.minX, extent.minY), Coordinate(extent.maxX, extent.maxY),
                Coordinate(extent.minX, extent.maxY), Coordinate(extent.maxX, extent.minY),
            ] {
                lonLat.extend(try t.apply(c))
            }
        }
        let report = InspectReport(
            layer: layer, crs: info, extent: extent, lonLat: lonLat, diagnostics: diagnostics, sliverWidth: sliverWidth)
        print(json ? report.json() : report.text(limit: limit))
        if failOnProblems && !diagnostics.isClean { throw CheckFailed() }
    }
}

/// The inspect report, as text or JSON.
struct InspectReport {
    let layer: Layer
    let crs: CRSInfo
    let extent: Envelope
    let lonLat: Envelope
    let diagnostics: LayerDiagnostics
    let sliverWidth: Double

    func id(_ i: Int) -> String { "record \(i + 1)" }

    func text(limit: Int) -> String {
        var lines: [String] = []
        lines.append("layer:     \(layer.source)")
        lines.append("geometry:  \(layer.kind.rawValue)")
        lines.append("crs:       \(crs.label)\(layer.crs == nil ? " (none given; WGS 84 assumed)" : "")")
        lines.append("features:  \(layer.features.count)")
        lines.append("fields:    \(layer.fields.count)")
        for f in layer.fields { lines.append("  \(f.name): \(f.type.rawValue)") }
        if !extent.isEmpty {
            lines.append(
                String(
                    format: "extent:    x %.4f … %.4f, y %.4f … %.4f", extent.minX, extent.maxX, extent.minY,
                    extent.maxY))
            lines.append(
                String(
                    format: "lon/lat:   %.5f … %.5f, %.5f … %.5f", lonLat.minX, lonLat.maxX, lonLat.minY, lonLat.maxY))
        }
        for n in layer.notes { lines.append("note:      \(n)") }
        let d = diagnostics
        lines.append("null geometries:    \(d.nullGeometries.count)")
        lines.append("empty geometries:   \(d.emptyGeometries.count)")
        for i in d.emptyGeometries.prefix(limit) { lines.append("  \(id(i))") }
        lines.append("invalid geometries: \(d.invalid.count)")
        for v in d.invalid.prefix(limit) { lines.append("  \(id(v.index)): \(v.reason)") }
        lines.append(String(format: "overlapping pairs:  %d (%.3f km² in all)", d.overlaps.count, d.overlapArea / 1e6))
        for o in d.overlaps.sorted(by: { $0.area > $1.area }).prefix(limit) {
            lines.append(
                "  \(id(o.a)) × \(id(o.b)): \(JSONText.fixed(o.area, decimals: 0)) m², \(JSONText.fixed(o.meanWidth, decimals: 1)) m wide on average"
            )
        }
        lines.append(
            "rounding slivers:   \(d.slivers.count) (\(JSONText.fixed(d.sliverArea, decimals: 1)) m² in all; overlaps narrower than \(JSONText.number(sliverWidth)) m)"
        )
        return lines.joined(separator: "\n")
    }

    func json() -> String {
        func q(_ s: String) -> String { JSONText.quoted(s) }
        var parts: [String] = []
        parts.append("\"layer\":\(q(layer.source))")
        parts.append("\"geometry\":\(q(layer.kind.rawValue))")
        parts.append("\"crs\":{\"name\":\(q(crs.name)),\"id\":\(crs.identifier.map(q) ?? "null")}")
        parts.append("\"features\":\(layer.features.count)")
        parts.append(
            "\"fields\":["
                + layer.fields.map { "{\"name\":\(q($0.name)),\"type\":\(q($0.type.rawValue))}" }.joined(separator: ",")
                + "]")
        if !extent.isEmpty {
            parts.append(
                "\"extent\":[\(JSONText.number(extent.minX)),\(JSONText.number(extent.minY)),\(JSONText.number(extent.maxX)),\(JSONText.number(extent.maxY))]"
            )
        }
        parts.append("\"notes\":[" + layer.notes.map(q).joined(separator: ",") + "]")
        let d = diagnostics
        parts.append("\"null\":[" + d.nullGeometries.map { String($0 + 1) }.joined(separator: ",") + "]")
        parts.append("\"empty\":[" + d.emptyGeometries.map { String($0 + 1) }.joined(separator: ",") + "]")
        parts.append(
            "\"invalid\":["
                + d.invalid.map { "{\"record\":\($0.index + 1),\"reason\":\(q($0.reason))}" }.joined(separator: ",")
                + "]")
        parts.append(
            "\"overlaps\":["
                + d.overlaps.map {
                    "{\"records\":[\($0.a + 1),\($0.b + 1)],\"area_m2\":\(JSONText.fixed($0.area, decimals: 1)),\"mean_width_m\":\(JSONText.fixed($0.meanWidth, decimals: 3))}"
                }.joined(separator: ",") + "]")
        parts.append("\"slivers\":\(d.slivers.count)")
        parts.append("\"sliver_area_m2\":\(JSONText.fixed(d.sliverArea, decimals: 1))")
        parts.append("\"overlap_area_m2\":\(JSONText.fixed(d.overlapArea, decimals: 1))")
        return "{" + parts.joined(separator: ",") + "}"
    }
}
