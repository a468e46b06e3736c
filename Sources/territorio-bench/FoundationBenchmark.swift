import Foundation
import GIS

/// read parishes → dissolve ×2 → queen contiguity → locate schools → write GeoJSON → write and
/// read back a GeoPackage.
func foundationBenchmark(_ options: BenchOptions) {
    let data = options.value("--data", "../shared/data")
    let runs = max(1, Int(options.value("--runs", "7")) ?? 7)
    let out = options.value("--out", NSTemporaryDirectory() + "territorio-bench")
    let parishPath = data + "/dpa/parroquias.shp"
    let schoolsPath = data + "/establishments/escuelas_amie.csv"
    guard FileManager.default.fileExists(atPath: parishPath) else {
        fail("\(parishPath) not found (use --data DIR)")
    }

    var steps = [
        "read parishes (shapefile)", "dissolve → cantones", "dissolve → provincias", "queen contiguity",
        "locate schools in parishes", "write parishes GeoJSON", "write GeoPackage + R-tree",
        "read GeoPackage",
    ].map { Step(name: $0) }
    var totals: [Double] = []
    do {
        for run in 0..<runs {
            let context = GeometryContext()
            let proj = try ProjContext()
            let runStart = DispatchTime.now().uptimeNanoseconds
            let (parishes, t0) = try time { try ShapefileReader.read(parishPath) }
            steps[0].times.append(t0)
            steps[0].detail = "\(parishes.features.count) parishes"
            let (cantones, t1) = try time {
                try Dissolve.run(
                    parishes, options: .init(keyField: "DPA_PARROQ", prefix: 4, outputKey: "DPA_CANTON"),
                    context: context)
            }
            steps[1].times.append(t1)
            steps[1].detail =
                "\(cantones.0.features.count) cantones, \(cantones.1.overlayGroups.count) overlay fallbacks"
            let (provincias, t2) = try time {
                try Dissolve.run(
                    cantones.0, options: .init(keyField: "DPA_CANTON", prefix: 2, outputKey: "DPA_PROVIN"),
                    context: context
                )
            }
            steps[2].times.append(t2)
            steps[2].detail = "\(provincias.0.features.count) provincias"
            let measure = try GeodesicMeasure(crs: parishes.crs ?? .utm17S, context: proj)
            let (graph, t3) = try time {
                try Contiguity.build(parishes, rule: .queen, context: context, measure: measure)
            }
            steps[3].times.append(t3)
            steps[3].detail =
                "\(graph.edges.count) edges, \(graph.components.count) components, \(graph.isolated.count) isolated"
            let (located, t4) = try time { () -> (Int, Int) in
                let schools = try CSVPointReader.read(schoolsPath).layer
                let toUTM = try proj.transform(from: .wgs84, to: parishes.crs ?? .utm17S)
                var points = schools.features.compactMap { f -> Coordinate? in
                    if case .point(let c)? = f.geometry { return c }; return nil
                }
                try toUTM.apply(&points)
                let locator = try PolygonLocator(try LayerGeometries(parishes, context: context))
                var inside = 0
                for p in points where try locator.locate(p) != nil { inside += 1 }
                return (points.count, inside)
            }
            steps[4].times.append(t4)
            steps[4].detail =
                "\(located.0) schools, \(located.1) inside a parish, \(located.0 - located.1) outside (reported)"
            let (_, t5) = try time {
                try GeoJSONWriter().write(parishes, to: out + "/parroquias.geojson", context: proj)
            }
            steps[5].times.append(t5)
            steps[5].detail = "\(out)/parroquias.geojson"
            let (_, t6) = try time {
                try GeoPackageWriter.write([("parroquias", parishes)], to: out + "/parroquias.gpkg", context: proj)
            }
            steps[6].times.append(t6)
            steps[6].detail = "\(out)/parroquias.gpkg"
            let (back, t7) = try time { try GeoPackageReader.read(out + "/parroquias.gpkg") }
            steps[7].times.append(t7)
            steps[7].detail = "\(back.features.count) parishes"
            totals.append(Double(DispatchTime.now().uptimeNanoseconds - runStart) / 1e9)
            FileHandle.standardError.write(Data("run \(run + 1)/\(runs) done\n".utf8))
        }
    } catch {
        fail("\(error)")
    }

    print("territorio foundation benchmark — \(runs) runs, median [min … max] seconds")
    for s in steps { report(s) }
    let core = (0..<runs).map { r in steps[0].times[r] + steps[1].times[r] + steps[2].times[r] + steps[3].times[r] }
    print(
        "  \(padded("core subtotal")) \(String(format: "%7.3f", median(core)))  read + dissolve ×2 + queen contiguity")
    print("  \(padded("all steps")) \(String(format: "%7.3f", median(totals)))")
    print("  \(padded("peak resident memory")) \(String(format: "%7.1f MiB", peakMemoryMiB()))")
}
