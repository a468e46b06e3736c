import Foundation
import GIS
import Testing

/// The national proposal checked on what it wrote, independently of the code that wrote it:
/// the GeoJSON is parsed with JSONSerialization, the polygons counted by hand, and every
/// distrito or circuito in several polygons must owe it to a member that is itself in several
/// (a piece that is, to a parent parroquia that is in the DPA layer) or to a declared link
/// between two of its members (report.json lists the links).
@Suite("National proposal on its written polygons (../shared/data)", .enabled(if: CLIData.required))
struct NationalProposalTests {
    /// Feature properties and polygon counts of a written GeoJSON layer.
    func polygons(_ path: String) throws -> [(properties: [String: Any], polygons: Int)] {
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path)))
        let features = (json as? [String: Any])?["features"] as? [[String: Any]] ?? []
        return features.map { f in
            let g = f["geometry"] as? [String: Any]
            let count =
                g?["type"] as? String == "MultiPolygon" ? ((g?["coordinates"] as? [Any])?.count ?? 0) : 1
            return (f["properties"] as? [String: Any] ?? [:], count)
        }
    }

    func checkWritten(_ dir: String) throws {
        // Every written layer passes inspect's own problem check (validity, overlaps, nulls).
        for layer in ["distritos.geojson", "circuitos.geojson", "units.geojson", "units.shp"] {
            let r = try CLI.run(["inspect", dir + "/" + layer, "--fail-on-problems"])
            #expect(r.status == 0, "\(layer): \(r.stdout.suffix(600))")
        }
        // Parent parroquias in several polygons, from the DPA layer.
        let dpa = try ShapefileReader.read(CLIData.root + "/dpa/parroquias.shp")
        let code = try #require(dpa.fieldIndex("DPA_PARROQ"))
        let multiParents = Set(
            dpa.features.filter { $0.geometry?.polygons.count ?? 0 > 1 }.map { $0.attributes[code].description })
        #expect(multiParents.count == 32)  // the data README's figure
        // Units in several polygons must be pieces of such parents, or such parroquias.
        var multiUnits = Set<String>()
        for (p, n) in try polygons(dir + "/units.geojson") where n > 1 {
            let id = p["DPA_PARROQ"] as? String ?? "", parent = p["PARENT"] as? String ?? ""
            #expect(multiParents.contains(parent.isEmpty ? id : parent), "unit \(id) is in \(n) polygons")
            multiUnits.insert(id)
        }
        // Plan members per code.
        let rows = try String(contentsOfFile: dir + "/plan.csv", encoding: .utf8).split(separator: "\n").dropFirst()
        var members: [String: [String]] = [:]
        for row in rows {
            let cells = row.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            members[cells[1], default: []].append(cells[0])
            members[cells[2], default: []].append(cells[0])
        }
        let report =
            try JSONSerialization.jsonObject(
                with: Data(contentsOf: URL(fileURLWithPath: dir + "/report.json"))) as? [String: Any]
        let links = (report?["links"] as? [[String]] ?? []).filter { $0.count == 2 }
        #expect(!links.isEmpty)
        for level in ["distrito", "circuito"] {
            var several = 0
            for (p, n) in try polygons(dir + "/\(level)s.geojson") where n > 1 {
                let c = p[level] as? String ?? ""
                let inside = Set(members[c] ?? [])
                several += 1
                #expect(
                    inside.contains { multiUnits.contains($0) }
                        || links.contains { inside.contains($0[0]) && inside.contains($0[1]) },
                    "\(level) \(c) is in \(n) polygons and no member or link explains it")
            }
            #expect(several < 60)
        }
    }

    /// Balance and distances recomputed from the written files (units.shp, plan.csv,
    /// report.json), not from the proposer's structures: outside the five divisible cities the
    /// distritos' mean absolute deviation at their own average stays within 6 points of the
    /// least any plan of whole cantones can reach with as many distritos (recomputed here: the
    /// excess of the cantones above the average, twice, over K × A); every distrito of several
    /// cantones is within 40 km of its seat on average and 120 km at most unless the proposal names it as
    /// breaking the distance bounds; circuitos deviate by at most 10 % on average and only a
    /// distrito's single circuito lies beyond ±50 % with several parroquias.
    func checkQuality(_ dir: String) throws {
        let units = try ShapefileReader.read(dir + "/units.shp")
        let id = try #require(units.fieldIndex("DPA_PARROQ")), people = try #require(units.fieldIndex("POB_2022"))
        var population: [String: Double] = [:]
        for f in units.features { population[f.attributes[id].description] = f.attributes[people].number ?? 0 }
        let rows = try String(contentsOfFile: dir + "/plan.csv", encoding: .utf8).split(separator: "\n").dropFirst()
        var distritoOf: [String: String] = [:], circuitoOf: [String: String] = [:]
        for row in rows {
            let cells = row.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            distritoOf[cells[0]] = cells[1]
            circuitoOf[cells[0]] = cells[2]
        }
        let cities: Set<String> = ["1701", "0901", "0101", "1801", "2301"]
        // The recode moves La Concordia (2302 → 0806, no city): cantón codes from the plan's
        // units as the DPA layer has them are enough to tell the cities apart.
        var distritoPeople: [String: Double] = [:], distritoCantons: [String: Set<String>] = [:]
        var cantonPeople: [String: Double] = [:]
        for (unit, d) in distritoOf {
            let canton = String(unit.prefix(4))
            distritoPeople[d, default: 0] += population[unit] ?? 0
            distritoCantons[d, default: []].insert(canton)
        }
        let outside = distritoPeople.keys.filter { distritoCantons[$0]?.isDisjoint(with: cities) ?? true }
        for (unit, d) in distritoOf where outside.contains(d) {
            cantonPeople[String(unit.prefix(4)), default: 0] += population[unit] ?? 0
        }
        let total = outside.reduce(0) { $0 + (distritoPeople[$1] ?? 0) }
        let average = total / Double(outside.count)
        let mad =
            outside.reduce(0) { $0 + abs((distritoPeople[$1] ?? 0) - average) } / (Double(outside.count) * average)
        let bound =
            2 * cantonPeople.values.reduce(0) { $0 + max(0, $1 - average) } / (Double(outside.count) * average)
        #expect(mad >= bound - 1e-9)
        // The shape weight (default 0.2) buys compactness with some balance: by this count
        // (units by their DPA cantón) 7.2 points above the bound in the 140 plan, under 7 in
        // the default one (the quality lines: 6.3 and 6.6); compactness of the same distritos
        // on the written polygons.
        #expect(mad - bound <= 0.08, "outside the cities \(mad) against the bound \(bound)")
        let compactness = try polsbyPopperMean(dir + "/distritos.geojson", only: Set(outside))
        #expect(compactness >= 0.33, "Polsby–Popper outside the cities \(compactness)")
        // Distances: report.json's access_km per distrito; the exceptions named in report.md.
        let report =
            try JSONSerialization.jsonObject(
                with: Data(contentsOf: URL(fileURLWithPath: dir + "/report.json"))) as? [String: Any]
        let notes = try String(contentsOfFile: dir + "/report.md", encoding: .utf8)
        for d in report?["distritos"] as? [[String: Any]] ?? [] {
            let code = d["code"] as? String ?? "", km = d["access_km"] as? Double ?? 0
            let farthest = d["farthest_km"] as? Double ?? 0, extent = d["canton_extent_km"] as? Double ?? 0
            #expect(farthest >= km)
            // A whole cantón alone reaches exactly its own extent (two computations of one seat).
            if let cantons = distritoCantons[code], cantons.count == 1, cantons.isDisjoint(with: cities) {
                #expect(abs(farthest - extent) < 0.01, "\(code): farthest \(farthest) km, its cantón alone \(extent)")
            }
            // The farthest bound's exception: no farther than one of its cantones reaches alone
            // (Pastaza's 16D01: 195.4 km, the cantón alone 195.44) is no breach.
            guard (distritoCantons[code]?.count ?? 0) > 1, km > 40 || farthest > max(120, extent + 0.01) else {
                continue
            }
            // The rule, without exception: a distrito of several cantones lies within
            // 40 km of its seat on average (the Galápagos once did not: 42.6 km); the farthest
            // parroquia beyond 120 km only with a note naming the province.
            #expect(km <= 40, "\(code) is \(km) km from its seat on average")
            let province = String(code.prefix(2))
            #expect(
                notes.contains("province \(province)") && notes.contains("the distance bounds:"),
                "\(code) is \(km) km from its seat on average and no note names it")
        }
        // Circuitos at their own average.
        var circuitoPeople: [String: Double] = [:], circuitoSize: [String: Int] = [:]
        for (unit, c) in circuitoOf {
            circuitoPeople[c, default: 0] += population[unit] ?? 0
            circuitoSize[c, default: 0] += 1
        }
        let circuitoAverage = circuitoPeople.values.reduce(0, +) / Double(circuitoPeople.count)
        let circuitoMAD =
            circuitoPeople.values.reduce(0) { $0 + abs($1 - circuitoAverage) }
            / (Double(circuitoPeople.count) * circuitoAverage)
        #expect(circuitoMAD <= 0.10, "circuitos: \(circuitoMAD)")
        let circuitosOf = Dictionary(grouping: circuitoPeople.keys, by: { String($0.prefix(5)) })
        let beyond = circuitoPeople.filter { c, p in
            (circuitoSize[c] ?? 0) > 1 && abs(p - circuitoAverage) > 0.5 * circuitoAverage
                && (circuitosOf[String(c.prefix(5))]?.count ?? 0) > 1
        }
        #expect(beyond.isEmpty, "beyond ±50 %: \(beyond)")
    }

    /// Mean Polsby–Popper 4πA/P² of a written GeoJSON layer's features (or of the distritos
    /// `only` lists), by hand: each feature
    /// projected to a local equirectangular frame at its first vertex's latitude (metres per
    /// degree 111,320 × cos φ east, 110,574 north), shells minus holes, every ring's length.
    func polsbyPopperMean(_ path: String, only codes: Set<String>? = nil) throws -> Double {
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path)))
        var scores: [Double] = []
        for f in (json as? [String: Any])?["features"] as? [[String: Any]] ?? [] {
            if let codes, !codes.contains((f["properties"] as? [String: Any])?["distrito"] as? String ?? "") {
                continue
            }
            let g = f["geometry"] as? [String: Any]
            let coordinates = g?["coordinates"] as? [Any] ?? []
            let polygons =
                (g?["type"] as? String == "MultiPolygon" ? coordinates : [coordinates]) as? [[[[Double]]]] ?? []
            guard let latitude = polygons.first?.first?.first?[1] else { continue }
            let kx = 111_320 * cos(latitude * .pi / 180), ky = 110_574.0
            var area = 0.0, perimeter = 0.0
            for polygon in polygons {
                for (r, ring) in polygon.enumerated() {
                    var twice = 0.0
                    for (a, b) in zip(ring, ring.dropFirst()) {
                        let ax = (a[0] - ring[0][0]) * kx, ay = (a[1] - ring[0][1]) * ky
                        let bx = (b[0] - ring[0][0]) * kx, by = (b[1] - ring[0][1]) * ky
                        twice += ax * by - bx * ay
                        perimeter += ((bx - ax) * (bx - ax) + (by - ay) * (by - ay)).squareRoot()
                    }
                    area += (r == 0 ? 1 : -1) * abs(twice) / 2
                }
            }
            if perimeter > 0 { scores.append(4 * .pi * area / (perimeter * perimeter)) }
        }
        return scores.reduce(0, +) / Double(max(1, scores.count))
    }

    /// Every subproblem outside the divisible cities is proven optimal (by enumeration or set
    /// partitioning) but at most two, whose bound stays below its cost (a margin for a slower
    /// machine's solver time limit); measured: none in either plan (08D02's and 14D03's
    /// circuitos, 27–36 parroquias with more than 30,000 candidate parts, were open before
    /// column generation).
    func checkSubproblems(_ path: String) throws {
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
        #expect(lines.first == "level,scope,units,parts,optimal,cost,lower_bound,gap,method")
        var open: [String] = []
        for line in lines.dropFirst() {
            let f = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            try #require(f.count >= 9, "\(line)")
            let cost = try #require(Double(f[5])), bound = try #require(Double(f[6])), gap = try #require(Double(f[7]))
            #expect(bound <= cost + 1e-6, "\(line)")
            if f[4] == "true" {
                #expect(gap == 0 && abs(bound - cost) < 1e-6, "\(line)")
            } else if !["cantón 0101", "cantón 0901", "cantón 1701", "cantón 1801", "cantón 2301"].contains(f[1]) {
                open.append(f[1])
            }
        }
        #expect(open.count <= 2, "not proven optimal outside the cities: \(open)")
        #expect(lines.count > 150)
    }

    /// With `--prove-bipartitions` the cities of two distritos (Cuenca, Ambato, Santo Domingo)
    /// are proven by branch and bound, as subproblems.csv says.
    func checkProvenBipartitions(_ path: String) throws {
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
        for city in ["cantón 0101", "cantón 1801", "cantón 2301"] {
            let row = try #require(lines.first { $0.hasPrefix("distritos,\(city),") }, "\(city)")
            let f = row.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            #expect(f[3] == "2" && f[4] == "true" && f[8].contains("branch and bound"), "\(row)")
        }
    }

    @Test(arguments: [
        [String](), ["--distritos", "140", "--circuitos", "1134"],
        ["--distritos", "140", "--circuitos", "1134", "--prove-bipartitions"],
    ])
    func proposalsAreContiguousAndValidOnTheirWrittenPolygons(_ totals: [String]) throws {
        try #require(CLIData.available, "../shared/data is missing (CI is set)")
        let dir = try CLI.temp()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let r = try CLI.run(
            [
                "propose", "--units", CLIData.root + "/dpa/parroquias.shp", "--links", "auto", "--split",
                "--split-points", CLIData.root + "/establishments/escuelas_amie.csv", "--quiet", "--out", dir + "/p",
            ] + totals)
        #expect(r.status == 0, "\(r.stderr.suffix(800))")
        #expect(r.stdout.contains("the plan satisfies every rule"))
        // Nothing but the results on standard output (CBC's Clp once printed "1 slacks added").
        #expect(r.stdout.hasPrefix("proposed "), "\(r.stdout.prefix(200))")
        try checkSubproblems(dir + "/p/subproblems.csv")
        if totals.contains("--prove-bipartitions") { try checkProvenBipartitions(dir + "/p/subproblems.csv") }
        try checkWritten(dir + "/p")
        try checkQuality(dir + "/p")
        // The compactness the quality lines print is that of the polygons written (a dissolve
        // in memory once kept hairline holes that the GeoJSON's rounding closed: 0.255 printed,
        // 0.291 written).
        for level in ["distrito", "circuito"] {
            let line = r.stdout.split(separator: "\n").first { $0.hasPrefix("\(level)s at their own average") }
            let printed = line?.components(separatedBy: "Polsby–Popper mean ").dropFirst().first?
                .split(whereSeparator: { $0 == ";" || $0 == " " }).first.flatMap { Double($0) }
            let written = try polsbyPopperMean(dir + "/p/\(level)s.geojson")
            #expect(abs((printed ?? 0) - written) < 0.005, "\(level)s: printed \(printed ?? -1), written \(written)")
        }
        // validate reads the written units layer without --split and agrees.
        let v = try CLI.run([
            "validate", dir + "/p/plan.csv", "--units", dir + "/p/units.shp", "--links", "auto", "--quiet",
        ])
        #expect(v.status == 0, "\(v.stdout.suffix(800))")
    }
}
