import Foundation
import GIS

/// Demand points sampled inside the parishes in proportion to population (largest-remainder
/// apportionment, then uniform rejection sampling in each polygon), seeded.
func samplePoints(_ parishes: Layer, count: Int, seed: UInt64, context: GeometryContext, proj: ProjContext) throws -> (
    points: [Coordinate], parish: [Int32]
) {
    let pop = try parishes.requireField("POB_2022")
    let people = parishes.features.map { Double($0.attributes[pop].number ?? 0) }
    let total = people.reduce(0, +)
    var quota = people.map { Int(($0 / total * Double(count)).rounded(.down)) }
    let remainders = people.indices.map { people[$0] / total * Double(count) - Double(quota[$0]) }
    for i in people.indices.sorted(by: { (remainders[$0], -$0) > (remainders[$1], -$1) }).prefix(
        count - quota.reduce(0, +))
    { quota[i] += 1 }
    var state = seed
    func uniform() -> Double {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return Double((z ^ (z >> 31)) >> 11) / Double(1 << 53)
    }
    var points: [Coordinate] = []
    var owner: [Int32] = []
    points.reserveCapacity(count)
    let built = try LayerGeometries(parishes, context: context)
    for (i, g) in built.geometries.enumerated() where quota[i] > 0 {
        guard let g else { continue }
        let prepared = try PreparedGeometry(g)
        let e = g.envelope
        var placed = 0
        while placed < quota[i] {
            let c = Coordinate(e.minX + uniform() * e.width, e.minY + uniform() * e.height)
            if try prepared.contains(try context.point(c)) {
                points.append(c)
                owner.append(Int32(i))
                placed += 1
            }
        }
    }
    try proj.transform(from: parishes.crs ?? .utm17S, to: .wgs84).apply(&points)
    return (points, owner)
}

/// 1 M points × 17,947 schools nearest (geodesic), coverage within 5 km per parish,
/// 2SFCA/E2SFCA per parish (10 km), and road coverage within 30 min on the demo territory.
func accessBenchmark(_ options: BenchOptions) {
    let data = options.value("--data", "../shared/data")
    let demo = options.value("--demo", ".")
    let runs = max(1, Int(options.value("--runs", "5")) ?? 5)
    let count = max(1, Int(options.value("--points", "1000000")) ?? 1_000_000)
    let seed = UInt64(options.value("--seed", "2022")) ?? 2022
    var steps = [
        "sample demand points (setup)", "index 17,947 schools", "nearest school, geodesic",
        "coverage within 5 km / parish",
        "2SFCA + E2SFCA / parish, 10 km", "roads: build network (demo)", "roads: 30 min coverage (demo)",
    ].map { Step(name: $0) }
    do {
        let context = GeometryContext()
        let proj = try ProjContext()
        let parishes = try ShapefileReader.read(data + "/dpa/parroquias.shp")
        let demand = try Demand.build(
            .polygons(parishes, field: "POB_2022", id: "DPA_PARROQ"), units: parishes, unitID: "DPA_PARROQ",
            context: context, proj: proj)
        let supply = try nationalSchools(data: data, parishes: parishes, context: context, proj: proj)
        let demoUnits = try ShapefileReader.read(demo + "/shapes/demo/parroquias.shp")
        let demoPoints = try CSVPointReader.read(demo + "/Data/demo/population_points.csv").layer
        let demoEst = try CSVPointReader.read(demo + "/Data/demo/establishments.csv").layer
        let demoRoads = try ShapefileReader.read(demo + "/shapes/demo/roads.shp")
        let demoDemand = try Demand.build(
            .points(demoPoints, weight: "pop"), units: demoUnits, unitID: "DPA_PARROQ", context: context, proj: proj)
        let demoSupply = try Supply.build(
            demoEst, options: .init(typeField: "type", idField: "id"), units: demoUnits, context: context, proj: proj)
        var sampled: (points: [Coordinate], parish: [Int32]) = ([], [])
        for run in 0..<runs {
            let (sample, t0) = try time {
                try samplePoints(parishes, count: count, seed: seed, context: context, proj: proj)
            }
            sampled = sample
            steps[0].times.append(t0)
            steps[0].detail = "\(sampled.points.count) points, seed \(seed)"
            let locations = supply.establishments.map(\.location)
            let (index, t1) = time { SphereIndex(locations) }
            steps[1].times.append(t1)
            let points = sampled.points
            let (nearest, t2) = time { index.nearestAll(points).map { $0?.metres ?? .infinity } }
            steps[2].times.append(t2)
            steps[2].detail = String(
                format: "%.2f M points/s, mean %.0f m", Double(points.count) / t2 / 1e6,
                nearest.reduce(0, +) / Double(nearest.count))
            let (coverage, t3) = time { () -> [Double] in
                var within = [Double](repeating: 0, count: parishes.features.count)
                var all = [Double](repeating: 0, count: parishes.features.count)
                for (k, d) in nearest.enumerated() {
                    all[Int(sampled.parish[k])] += 1
                    if d <= 5_000 { within[Int(sampled.parish[k])] += 1 }
                }
                return zip(within, all).map { $1 > 0 ? $0 / $1 : 0 }
            }
            steps[3].times.append(t3)
            steps[3].detail = String(
                format: "%d parishes, national %.1f %% within 5 km", coverage.count,
                100 * Double(nearest.filter { $0 <= 5_000 }.count) / Double(nearest.count))
            let model = TravelModel.straight(try StraightLine(speedKmh: 30))
            let candidates = supply.of(type: "education")
            let (fca, t4) = time { () -> (Int, Double) in
                let minutes = 10_000 / (30_000.0 / 60)  // 10 km at the model's 30 km/h
                let matrix = model.matrix(demand.points, supply: supply, candidates: candidates, cutoffMinutes: minutes)
                let step = FloatingCatchment.compute(
                    demand: demand.points, supply: supply, matrix: matrix, decay: .step)
                let zones = FloatingCatchment.compute(
                    demand: demand.points, supply: supply, matrix: matrix, decay: .zones)
                let gauss = FloatingCatchment.compute(
                    demand: demand.points, supply: supply, matrix: matrix, decay: .gaussian)
                return (
                    matrix.pairCount,
                    step.accessibility.reduce(0, +) + zones.accessibility.reduce(0, +)
                        + gauss.accessibility.reduce(0, +)
                )
            }
            steps[4].times.append(t4)
            steps[4].detail = "\(demand.points.count) parishes, \(fca.0) pairs within 10 km, step + zones + gaussian"
            let (network, t5) = try time { try RoadNetwork.build(demoRoads, classField: "class", proj: proj) }
            steps[5].times.append(t5)
            steps[5].detail = "\(network.nodeCount) nodes, \(network.edgeCount) edges"
            let (share, t6) = time { () -> Double in
                let health = demoSupply.of(type: "health")
                let r = TravelModel.roads(network).nearest(demoDemand.points, supply: demoSupply, candidates: health)
                let total = demoDemand.points.reduce(0) { $0 + $1.population }
                return zip(r, demoDemand.points).reduce(0) { $0 + ($1.0.minutes <= 30 ? $1.1.population : 0) } / total
            }
            steps[6].times.append(t6)
            steps[6].detail = String(
                format: "%d points, health within 30 min: %.1f %%", demoDemand.points.count, share * 100)
            FileHandle.standardError.write(Data("run \(run + 1)/\(runs) done\n".utf8))
        }
    } catch {
        fail("\(error)")
    }
    print("territorio access benchmark — \(runs) runs, median [min … max] seconds")
    for s in steps { report(s) }
    print("  \(padded("peak resident memory")) \(String(format: "%7.1f MiB", peakMemoryMiB()))")
}
