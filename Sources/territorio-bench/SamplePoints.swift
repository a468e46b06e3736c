import Foundation
import GIS

/// Writes the 1 M population-weighted demand points the peer tools read
/// (`lon,lat,weight,dpa_parroq`): `samplePoints` on the national parishes, each point
/// weighing its parish's population divided by the parish's number of points, so the weights
/// sum to the 2022 census. Derived from ../shared/data: written outside the project
/// (`--out`, default /tmp/territorio-points-1m.csv), never committed.
func samplePointsCommand(_ options: BenchOptions) {
    let data = options.value("--data", "../shared/data")
    let count = max(1, Int(options.value("--points", "1000000")) ?? 1_000_000)
    let seed = UInt64(options.value("--seed", "2022")) ?? 2022
    let out = options.value("--out", "/tmp/territorio-points-1m.csv")
    do {
        let context = GeometryContext()
        let proj = try ProjContext()
        let parishes = try ShapefileReader.read(data + "/dpa/parroquias.shp")
        let pop = try parishes.requireField("POB_2022")
        let code = try parishes.requireField("DPA_PARROQ")
        let (points, owner) = try samplePoints(parishes, count: count, seed: seed, context: context, proj: proj)
        var perParish = [Int](repeating: 0, count: parishes.features.count)
        for o in owner { perParish[Int(o)] += 1 }
        var text = "lon,lat,weight,dpa_parroq\n"
        text.reserveCapacity(points.count * 44)
        for (k, c) in points.enumerated() {
            let i = Int(owner[k])
            let weight = (parishes.features[i].attributes[pop].number ?? 0) / Double(perParish[i])
            text += String(format: "%.7f,%.7f,%.4f,", c.x, c.y, weight)
            text += parishes.features[i].attributes[code].description + "\n"
        }
        try AtomicFile.write(text, to: out)
        print("wrote \(points.count) points (seed \(seed)) to \(out)")
    } catch {
        fail("\(error)")
    }
}
