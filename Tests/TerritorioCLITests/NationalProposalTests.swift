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
        let report = try JSONSerialization.jsonObject(
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
                    inside.contains { multiUnits.contains($0) } || links.contains { inside.contains($0[0]) && inside.contains($0[1]) },
                    "\(level) \(c) is in \(n) polygons and no member or link explains it")
            }
            #expect(several < 60)
        }
    }

    @Test(arguments: [[String](), ["--distritos", "140", "--circuitos", "1134"]])
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
        try checkWritten(dir + "/p")
        // validate reads the written units layer without --split and agrees.
        let v = try CLI.run(["validate", dir + "/p/plan.csv", "--units", dir + "/p/units.shp", "--links", "auto", "--quiet"])
        #expect(v.status == 0, "\(v.stdout.suffix(800))")
    }
}
