import Foundation
import GIS

/// `territorio-bench plan-roads`: road distances between the national parroquias' interior
/// points (`RoadNetwork.pairwiseMetres`, what `propose --travel roads` computes, all pairs and
/// within provinces) over a
/// synthetic road grid covering continental Ecuador (`--spacing` metres between lines; no
/// national road layer is in ../shared/data, so the network is illustrative, its size is not).
/// `--grid-out FILE` also writes the grid as a layer, for a whole `propose --travel roads`.
func planRoadsBenchmark(_ options: BenchOptions) {
    let data = options.value("--data", "../shared/data")
    let runs = max(1, Int(options.value("--runs", "3")) ?? 3)
    let spacing = max(100, Double(options.value("--spacing", "1000")) ?? 1000)
    do {
        let layer = try ShapefileReader.read(data + "/dpa/parroquias.shp")
        let proj = try ProjContext()
        let context = GeometryContext()
        let code = try layer.requireField("DPA_PARROQ")
        var points: [Coordinate] = []
        var provinces: [Int] = []
        var envelope = Envelope.empty
        for f in layer.features {
            guard let g = f.geometry, !f.attributes[code].description.hasPrefix("20") else { continue }
            points.append(try context.geometry(g).pointOnSurface().pointCoordinate())
            provinces.append(Int(f.attributes[code].description.prefix(2)) ?? RoadNetwork.everyGroup)
            envelope.extend(g.envelope)
        }
        // A grid of lines in the layer's CRS (UTM 17S): one vertex per crossing.
        let xs = Array(stride(from: envelope.minX, through: envelope.maxX, by: spacing))
        let ys = Array(stride(from: envelope.minY, through: envelope.maxY, by: spacing))
        var lines: [Feature] = []
        for y in ys {
            lines.append(Feature(geometry: .lineString(xs.map { Coordinate($0, y) }), attributes: [.text("secondary")]))
        }
        for x in xs {
            lines.append(Feature(geometry: .lineString(ys.map { Coordinate(x, $0) }), attributes: [.text("secondary")]))
        }
        let roads = Layer(
            source: "grid", kind: .line, crs: layer.crs, fields: [Field("class", .text)], features: lines)
        let gridOut = options.value("--grid-out", "")
        if !gridOut.isEmpty { _ = try ShapefileWriter.write(roads, to: gridOut) }
        try proj.transform(from: layer.crs ?? .utm17S, to: .wgs84).apply(&points)
        var build = Step(name: "road grid build")
        var pairs = Step(name: "pairwise road metres")
        var within = Step(name: "the same within provinces")
        for _ in 0..<runs {
            let (network, t1) = try time {
                try RoadNetwork.build(roads, classField: nil, maxWalkMetres: 5_000, proj: proj)
            }
            build.times.append(t1)
            build.detail = "\(network.nodeCount) nodes, \(network.edgeCount) edges (\(Int(spacing)) m grid)"
            let (table, t2) = time { network.pairwiseMetres(points) }
            pairs.times.append(t2)
            pairs.detail = "\(points.count) parroquias, \(table.filter(\.isFinite).count) finite pairs"
            let (grouped, t3) = time { network.pairwiseMetres(points, groups: provinces) }
            within.times.append(t3)
            within.detail = "\(grouped.filter(\.isFinite).count) finite pairs"
        }
        print("plan-roads (\(runs) runs; seconds, median [min … max])")
        report(build)
        report(pairs)
        report(within)
        print(String(format: "  peak memory %.0f MiB", peakMemoryMiB()))
    } catch {
        fail("\(error)")
    }
}
