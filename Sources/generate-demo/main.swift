// Generates the bundled synthetic demo territory (see Data/README.md). Deterministic: the
// same seed gives byte-identical files.
//
//   generate-demo [--root DIR] [--seed N]
//
// The territory is invented: a small coastal country in the UTM 17S area with 3 provinces,
// their cantones and parroquias (DPA-style codes 2/4/6 digits, INEC field names), a
// Windows-1252 DBF like INEC's, one island parroquia, one large urban parroquia, clustered
// population points, establishments of four sectors and a road layer with a ferry.
import Foundation
import GIS

/// SplitMix64 (Steele, Lea & Flood 2014): tiny, seedable, identical on every platform.
struct SplitMix64 {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func uniform() -> Double { Double(next() >> 11) / Double(1 << 53) }
    mutating func uniform(_ lo: Double, _ hi: Double) -> Double { lo + (hi - lo) * uniform() }
    mutating func int(_ n: Int) -> Int { Int(next() % UInt64(n)) }
    mutating func normal() -> Double {
        let u = max(uniform(), 1e-12), v = uniform()
        return (-2 * log(u)).squareRoot() * cos(2 * .pi * v)
    }
}

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("generate-demo: \(message)\n".utf8))
    exit(2)
}

let args = Array(CommandLine.arguments.dropFirst())
func option(_ name: String, _ fallback: String) -> String {
    guard let i = args.firstIndex(of: name), i + 1 < args.count else { return fallback }
    return args[i + 1]
}
let root = option("--root", ".")
var rng = SplitMix64(state: UInt64(option("--seed", "2012")) ?? 2012)

do {
    let ctx = GeometryContext()
    let proj = try ProjContext()
    let centre = Coordinate(680_000, 9_780_000)

    // Country outline: a noisy ellipse, 150 × 120 km.
    var outline: [Coordinate] = []
    for k in 0..<36 {
        let a = Double(k) / 36 * 2 * .pi
        let r = 1 + 0.08 * sin(3 * a) + rng.uniform(-0.04, 0.04)
        outline.append(Coordinate(centre.x + 75_000 * r * cos(a), centre.y + 60_000 * r * sin(a)))
    }
    outline.append(outline[0])
    let country = try ctx.geometry(.polygon(PolygonValue(exterior: outline)))
    let prepared = try PreparedGeometry(country)
    func randomInside() throws -> Coordinate {
        let e = country.envelope
        while true {
            let c = Coordinate(rng.uniform(e.minX, e.maxX), rng.uniform(e.minY, e.maxY))
            if try prepared.contains(try ctx.point(c)) { return c }
        }
    }

    // Seeds: three province capitals, cantón heads, parish seeds (spread by rejection).
    let capitals = [
        Coordinate(centre.x - 30_000, centre.y + 8_000), Coordinate(centre.x + 35_000, centre.y + 25_000),
        Coordinate(centre.x + 20_000, centre.y - 35_000),
    ]
    var cantonHeads = capitals
    while cantonHeads.count < 11 {
        let c = try randomInside()
        if cantonHeads.allSatisfy({ hypot($0.x - c.x, $0.y - c.y) > 24_000 }) { cantonHeads.append(c) }
    }
    var seeds = cantonHeads
    var attempts = 0
    while seeds.count < 60 && attempts < 100_000 {
        attempts += 1
        let c = try randomInside()
        if seeds.allSatisfy({ hypot($0.x - c.x, $0.y - c.y) > 9_000 }) { seeds.append(c) }
    }
    func nearest(_ c: Coordinate, _ among: [Coordinate]) -> Int {
        among.indices.min { hypot(among[$0].x - c.x, among[$0].y - c.y) < hypot(among[$1].x - c.x, among[$1].y - c.y) }
            ?? 0
    }
    let cantonOfSeed = seeds.map { nearest($0, cantonHeads) }
    let provinceOfCanton = cantonHeads.map { nearest($0, capitals) }

    // One Voronoi diagram for all parishes, clipped to the country: neighbours share edges.
    let cells = try ctx.geometry(.multiPoint(seeds)).voronoiCells(
        envelope: try ctx.rectangle(
            Envelope(
                minX: centre.x - 200_000, minY: centre.y - 200_000, maxX: centre.x + 200_000, maxY: centre.y + 200_000))
    )
    var parishGeometry = [GeometryValue?](repeating: nil, count: seeds.count)
    for cell in try cells.value().polygons {
        let g = try ctx.geometry(.polygon(cell))
        let clipped = try g.intersection(country).withPrecision(0.01)
        guard let owner = try seeds.indices.first(where: { try g.contains(try ctx.point(seeds[$0])) }) else { continue }
        parishGeometry[owner] = try clipped.value()
    }

    // Population: a big capital, two smaller ones, cantón towns, dispersed rural people.
    var people: [(Coordinate, Int)] = []
    func cluster(_ at: Coordinate, total: Int, sigma: Double, points: Int) throws {
        var placed = 0
        for k in 0..<points {
            let c = Coordinate(at.x + sigma * rng.normal(), at.y + sigma * rng.normal())
            guard try prepared.contains(try ctx.point(c)) else { continue }
            let share = k == points - 1 ? total - placed : total / points
            people.append((c, share))
            placed += share
        }
    }
    try cluster(capitals[0], total: 182_000, sigma: 1_800, points: 900)
    try cluster(capitals[1], total: 46_000, sigma: 1_500, points: 300)
    try cluster(capitals[2], total: 31_000, sigma: 1_400, points: 250)
    for head in cantonHeads.dropFirst(3) { try cluster(head, total: 6_000 + rng.int(9_000), sigma: 1_000, points: 80) }
    for seed in seeds.dropFirst(cantonHeads.count) {
        try cluster(seed, total: 800 + rng.int(2_500), sigma: 1_500, points: 20)
    }
    for _ in 0..<1_500 { people.append((try randomInside(), 10 + rng.int(40))) }

    // The island: a small parroquia 30 km off the western coast, part of the nearest cantón.
    let west = outline.min { $0.x < $1.x } ?? centre
    let islandCentre = Coordinate(west.x - 30_000, west.y - 5_000)
    var islandRing: [Coordinate] = (0..<16).map { k in
        let a = Double(k) / 16 * 2 * .pi
        let r = 4_000 * (1 + rng.uniform(-0.15, 0.15))
        return Coordinate((islandCentre.x + r * cos(a)).rounded(), (islandCentre.y + r * sin(a)).rounded())
    }
    islandRing.append(islandRing[0])
    let island = GeometryValue.polygon(PolygonValue(exterior: islandRing))
    for _ in 0..<40 {
        people.append(
            (Coordinate(islandCentre.x + 1_200 * rng.normal() / 2, islandCentre.y + 1_200 * rng.normal() / 2), 45))
    }
    let islandCanton = nearest(islandCentre, cantonHeads)
    seeds.append(islandCentre)
    parishGeometry.append(island)
    let cantonOf = cantonOfSeed + [islandCanton]

    // Codes: provinces 31–33 (not used by INEC), cantones PP01.., parishes CCCC50 for the
    // cantón head (INEC's cabecera convention) and CCCC51.. for the rest.
    let provinceNames = ["COSTA DEL PACÍFICO", "SIERRA DE LOS ANDES", "CAÑAVERAL"]
    let cantonNames = [
        "PUERTO BAQUERIZO", "SAN JOSÉ DE LAS PEÑAS", "LA MAGDALENA", "ÑUÑOA", "SANTA MARÍA DEL RÍO", "EL PIÑÓN",
        "GÜIPIL", "LOS ÁLAMOS", "CERRO AZUL", "VILLA ESPAÑA", "BAÑOS DEL SUR",
    ]
    let parishNames = [
        "SAN ANDRÉS", "SANTA ROSA", "LA UNIÓN", "EL CARMEN", "SAN MIGUEL", "CHONTAL", "LAS PEÑAS", "EL ROSARIO",
        "SAN JUAN", "TOTORAS", "GUAYABAL", "CAÑAS", "LA CONCEPCIÓN", "SAN PEDRO", "PÍLLARO", "EL TAMBO", "MONTALVO",
        "ZAPOTAL", "LOS ÓVALOS", "ACHUPALLAS",
    ]
    var provinceOrder: [Int] = []
    for p in capitals.indices { provinceOrder.append(p) }
    var cantonCode = [String](repeating: "", count: cantonHeads.count)
    for p in capitals.indices {
        let members = cantonHeads.indices.filter { provinceOfCanton[$0] == p }.sorted {
            ($0 == p ? -1 : $0) < ($1 == p ? -1 : $1)
        }
        for (k, c) in members.enumerated() { cantonCode[c] = "\(31 + p)" + String(format: "%02d", k + 1) }
    }
    var parishCode = [String](repeating: "", count: seeds.count)
    var parishName = [String](repeating: "", count: seeds.count)
    for c in cantonHeads.indices {
        let members = seeds.indices.filter { cantonOf[$0] == c }.sorted { ($0 == c ? -1 : $0) < ($1 == c ? -1 : $1) }
        for (k, s) in members.enumerated() {
            parishCode[s] = cantonCode[c] + String(50 + k)
            parishName[s] =
                k == 0
                ? cantonNames[c]
                : (s == seeds.count - 1 ? "ISLA SANTA MARÍA (FLOREANA)" : parishNames[(s * 7 + k) % parishNames.count])
        }
    }

    // Count people per parish by location.
    let parishFields = [
        Field("DPA_PARROQ", .text), Field("DPA_DESPAR", .text), Field("DPA_CANTON", .text), Field("DPA_DESCAN", .text),
        Field("DPA_PROVIN", .text), Field("DPA_DESPRO", .text), Field("POB_2022", .integer),
    ]
    var parishLayer = Layer(source: "demo", kind: .polygon, crs: .utm17S, fields: parishFields, features: [])
    let order = seeds.indices.sorted { parishCode[$0] < parishCode[$1] }
    for s in order {
        let c = cantonOf[s], p = provinceOfCanton[c]
        parishLayer.features.append(
            Feature(
                geometry: parishGeometry[s],
                attributes: [
                    .text(parishCode[s]), .text(parishName[s]), .text(cantonCode[c]), .text(cantonNames[c]),
                    .text("\(31 + p)"), .text(provinceNames[p]), .integer(0),
                ]))
    }
    let locator = try PolygonLocator(try LayerGeometries(parishLayer, context: ctx))
    var population = [Int64](repeating: 0, count: order.count)
    var placedPeople: [(Coordinate, Int, Int)] = []
    for (c, n) in people {
        guard let i = try locator.locate(c) else { continue }
        population[i] += Int64(n)
        placedPeople.append((c, n, i))
    }
    for i in population.indices { parishLayer.features[i].attributes[6] = .integer(population[i]) }

    let toLonLat = try proj.transform(from: .utm17S, to: .wgs84)
    _ = try ShapefileWriter.write(parishLayer, to: root + "/shapes/demo/parroquias.shp", encoding: .windows1252)

    // Population points (grid-cell-like weighted points) as CSV.
    var popLines = ["lon,lat,pop,dpa_parroq"]
    for (c, n, i) in placedPeople {
        let ll = try toLonLat.apply(c)
        popLines.append(
            "\(JSONText.fixed(ll.x, decimals: 6)),\(JSONText.fixed(ll.y, decimals: 6)),\(n),\(parishCode[order[i]])")
    }
    try AtomicFile.write(popLines.joined(separator: "\n") + "\n", to: root + "/Data/demo/population_points.csv")

    // Establishments near people: sampled from the population points, weighted by people.
    let totalPeople = placedPeople.reduce(0) { $0 + $1.1 }
    var cumulative: [Int] = []
    var running = 0
    for p in placedPeople { running += p.1; cumulative.append(running) }
    func samplePerson() -> Coordinate {
        let r = rng.int(max(1, totalPeople))
        var lo = 0, hi = cumulative.count - 1
        while lo < hi { let mid = (lo + hi) / 2; if cumulative[mid] > r { hi = mid } else { lo = mid + 1 } }
        return placedPeople[lo].0
    }
    let kinds: [(type: String, subtype: String, per: Int, capacity: ClosedRange<Int>?)] = [
        ("health", "CENTRO DE SALUD TIPO A", 12_000, nil), ("health", "CENTRO DE SALUD TIPO C", 60_000, nil),
        ("health", "HOSPITAL BÁSICO", 150_000, 40...120),
        ("education", "ESCUELA", 1_500, 120...600), ("education", "COLEGIO", 6_000, 400...1_500),
        ("police", "UPC", 10_000, nil), ("child", "CDI", 6_000, 40...80),
    ]
    var estLines = ["id,name,type,subtype,capacity,condition,lon,lat"]
    var serial = 0
    let conditions = ["good", "good", "good", "fair", "fair", "poor"]
    for kind in kinds {
        let n = max(1, totalPeople / kind.per)
        for k in 0..<n {
            serial += 1
            let at = samplePerson()
            let c = Coordinate(at.x + rng.uniform(-600, 600), at.y + rng.uniform(-600, 600))
            let ll = try toLonLat.apply(c)
            let capacity =
                kind.capacity.map { String($0.lowerBound + rng.int($0.upperBound - $0.lowerBound + 1)) } ?? ""
            let name = "\"\(kind.subtype) Nº \(k + 1)\""
            estLines.append(
                "E\(String(format: "%04d", serial)),\(name),\(kind.type),\(kind.subtype),\(capacity),\(conditions[rng.int(conditions.count)]),\(JSONText.fixed(ll.x, decimals: 6)),\(JSONText.fixed(ll.y, decimals: 6))"
            )
        }
    }
    try AtomicFile.write(estLines.joined(separator: "\n") + "\n", to: root + "/Data/demo/establishments.csv")

    // Roads: primary between capitals, secondary from cantón heads to their capital, tracks
    // from parish seeds to their cantón head, and a ferry to the island.
    func road(_ a: Coordinate, _ b: Coordinate, wiggle: Double) -> [Coordinate] {
        let steps = max(2, Int(hypot(b.x - a.x, b.y - a.y) / 3_000))
        return (0...steps).map { k in
            let t = Double(k) / Double(steps)
            let w = (k == 0 || k == steps) ? 0 : wiggle * rng.uniform(-1, 1)
            return Coordinate((a.x + t * (b.x - a.x) + w).rounded(), (a.y + t * (b.y - a.y) + w).rounded())
        }
    }
    var roads: [Feature] = []
    func addRoad(_ path: [Coordinate], _ cls: String, _ name: String) {
        roads.append(Feature(geometry: .lineString(path), attributes: [.text(cls), .text(name)]))
    }
    addRoad(road(capitals[0], capitals[1], wiggle: 800), "primary", "TRONCAL 1")
    addRoad(road(capitals[0], capitals[2], wiggle: 800), "primary", "TRONCAL 2")
    for c in cantonHeads.indices.dropFirst(3) {
        addRoad(road(cantonHeads[c], capitals[provinceOfCanton[c]], wiggle: 1_200), "secondary", "VÍA \(cantonCode[c])")
    }
    for s in seeds.indices.dropFirst(cantonHeads.count) where s != seeds.count - 1 {
        addRoad(road(seeds[s], cantonHeads[cantonOf[s]], wiggle: 1_500), "track", "CAMINO \(parishCode[s])")
    }
    let landing =
        outline.min {
            hypot($0.x - islandCentre.x, $0.y - islandCentre.y) < hypot($1.x - islandCentre.x, $1.y - islandCentre.y)
        } ?? west
    addRoad([islandCentre, Coordinate(landing.x.rounded(), landing.y.rounded())], "ferry", "FERRY ISLA")
    addRoad(
        road(Coordinate(landing.x.rounded(), landing.y.rounded()), cantonHeads[islandCanton], wiggle: 600), "secondary",
        "VÍA AL MUELLE")
    let roadLayer = Layer(
        source: "demo", kind: .line, crs: .utm17S, fields: [Field("class", .text), Field("name", .text)],
        features: roads)
    _ = try ShapefileWriter.write(roadLayer, to: root + "/shapes/demo/roads.shp", encoding: .windows1252)

    print(
        "demo territory: \(parishLayer.features.count) parroquias, \(cantonHeads.count) cantones, 3 provincias, population \(population.reduce(0, +)), \(serial) establishments, \(roads.count) roads"
    )
} catch {
    fail("\(error)")
}
