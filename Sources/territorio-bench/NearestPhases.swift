import Foundation
import GIS

/// The in-process phases of `access` nearest on many weighted points, each run `--runs` times
/// in one process (less sensitive to a noisy machine than whole processes): reading the
/// points column-wise, building the demand (transform, canonical order, location in the
/// parishes), the nearest school of every point, and the whole analysis (nearest + per-parish
/// measures). Prints median and min per phase.
///
///   territorio-bench nearest-phases [--data DIR] [--points P.csv] [--runs N]
func nearestPhasesCommand(_ options: BenchOptions) {
    let data = options.value("--data", "../shared/data")
    let pointsPath = options.value("--points", "/tmp/territorio-points-1m.csv")
    let runs = max(1, Int(options.value("--runs", "5")) ?? 5)
    do {
        let context = GeometryContext()
        let proj = try ProjContext()
        let parishes = try ShapefileReader.read(data + "/dpa/parroquias.shp")
        let supply = try nationalSchools(data: data, parishes: parishes, context: context, proj: proj)
        let locator = PolygonLocator(layer: parishes, context: context)
        var steps = ["read points", "build demand", "nearest", "analysis", "nearestAll alone"].map { Step(name: $0) }
        var csv = CSVPointOptions()
        csv.crs = .wgs84
        let model = TravelModel.straight(try StraightLine(speedKmh: 30))
        let candidates = supply.of(type: "education")
        for _ in 0..<runs {
            let (columns, t0) = try time {
                try PointColumns.read(pointsPath, options: csv, numeric: ["weight"], layerOptions: .init())
            }
            steps[0].times.append(t0)
            let (demand, t1) = try time {
                try Demand.build(
                    .columns(columns, weightColumn: 0), units: parishes, unitID: "DPA_PARROQ", context: context,
                    proj: proj, unitLocator: locator)
            }
            steps[1].times.append(t1)
            steps[1].detail = "\(demand.points.count) points"
            let (nearest, t2) = time { model.nearest(demand.points, supply: supply, candidates: candidates) }
            steps[2].times.append(t2)
            steps[2].detail = String(
                format: "mean %.1f m", nearest.reduce(0) { $0 + $1.metres } / Double(nearest.count))
            let index = SphereIndex(candidates.map { supply.establishments[$0].location })
            let locations = demand.points.map(\.location)
            let cpu0 = cpuSeconds()
            let (_, t4) = time { index.nearestAll(locations) }
            steps[4].times.append(t4)
            steps[4].detail = String(format: "cpu %.3f s", cpuSeconds() - cpu0)
            let (_, t3) = try time {
                try AccessAnalysis.run(
                    demand: demand, supply: supply, units: parishes, model: model,
                    options: .init(thresholds: [.metres(5_000)], decays: []))
            }
            steps[3].times.append(t3)
        }
        print("nearest phases, \(runs) runs (median [min … max] s)")
        for s in steps { report(s) }
        print(String(format: "  peak memory %.0f MiB", peakMemoryMiB()))
    } catch {
        fail("\(error)")
    }
}

/// User + system CPU seconds of the process so far.
func cpuSeconds() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(
        usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
}
