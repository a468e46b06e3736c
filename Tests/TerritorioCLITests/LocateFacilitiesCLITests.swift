import Foundation
import GIS
import Testing

/// Rows of a written CSV, split on commas (the files here hold no quoted commas).
func csvRows(_ path: String) throws -> [[String]] {
    try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").dropFirst().map {
        $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
    }
}

func jsonObject(_ path: String) throws -> [String: Any] {
    try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any] ?? [:]
}

@Suite("locate-facilities on small files")
struct LocateFacilitiesCLITests {
    /// Five towns on the equator, 0.1° (≈ 11.13 km) apart, with 10…50 people.
    func towns(_ dir: String, order: [Int] = [0, 1, 2, 3, 4]) throws -> String {
        let rows = order.map { k in "t\(k),\(-79.0 + 0.1 * Double(k)),0,\((k + 1) * 10)" }
        let path = dir + "/towns.csv"
        try ("id,lon,lat,people\n" + rows.joined(separator: "\n") + "\n").write(
            toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test("MCLP and p-median by hand, through the binary")
    func answersByHand() throws {
        let dir = try CLI.temp()
        let demand = try towns(dir)
        // One site within 12 km: at t3 it reaches t2, t3, t4 (30 + 40 + 50 = 120 people).
        var r = try CLI.run([
            "locate-facilities", demand, "--weight", "people", "--problem", "mclp", "--sites", "1", "--radius", "12",
            "--out", dir + "/mclp",
        ])
        #expect(r.status == 0, "\(r.stderr)")
        var summary = try jsonObject(dir + "/mclp/summary.json")
        #expect(summary["objective"] as? Double == 120 && summary["proven_optimal"] as? Bool == true)
        #expect(try csvRows(dir + "/mclp/sites.csv").map { $0[0] } == ["t3"])
        // The assignment adds up to the objective, each covered town within the radius.
        let assigned = try csvRows(dir + "/mclp/assignment.csv").filter { !$0[2].isEmpty }
        #expect(assigned.reduce(0) { $0 + (Double($1[3]) ?? 0) } == 120)
        #expect(assigned.allSatisfy { (Double($0[4]) ?? 99) <= 12 })
        // p-median with one site: t3 (10·3 + 20·2 + 30·1 + 50·1 steps of 11.132 km = 150 steps).
        r = try CLI.run([
            "locate-facilities", demand, "--weight", "people", "--problem", "p-median", "--sites", "1", "--out",
            dir + "/median",
        ])
        #expect(r.status == 0, "\(r.stderr)")
        summary = try jsonObject(dir + "/median/summary.json")
        let step = Geodesic().distance(Coordinate(-79.0, 0), Coordinate(-78.9, 0)) / 1000
        #expect(abs((summary["objective"] as? Double ?? 0) - 150 * step) < 1e-6)
        #expect(try csvRows(dir + "/median/sites.csv").map { $0[0] } == ["t3"])
    }

    @Test("Travel minutes, fixed sites, capacities and demand points as extra candidates")
    func travelFixedAndCapacities() throws {
        let dir = try CLI.temp()
        let demand = try towns(dir)
        // Straight lines at 60 km/h: minutes equal km, so 12 minutes reach the same towns as 12 km.
        var r = try CLI.run([
            "locate-facilities", demand, "--weight", "people", "--problem", "mclp", "--sites", "1", "--radius", "12",
            "--distance", "travel", "--speed", "60", "--out", dir + "/travel",
        ])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(try jsonObject(dir + "/travel/summary.json")["objective"] as? Double == 120)
        #expect(try String(contentsOfFile: dir + "/travel/assignment.csv", encoding: .utf8).hasPrefix(
            "demand,weight,site,served,distance_minutes"))
        // A fixed site at t4 covers t3 and t4 (90). Candidate c at t1 holds 25 people; the towns
        // are candidates too, unlimited: one more site at t1 covers t0, t1, t2 (60) → 150.
        try "id,lon,lat,capacity\nc,-78.9,0,25\n".write(toFile: dir + "/c.csv", atomically: true, encoding: .utf8)
        try "id,lon,lat\nold,-78.6,0\n".write(toFile: dir + "/f.csv", atomically: true, encoding: .utf8)
        r = try CLI.run([
            "locate-facilities", demand, "--weight", "people", "--problem", "mclp", "--sites", "1", "--radius", "12",
            "--candidates", dir + "/c.csv", "--capacity", "capacity", "--demand-as-candidates", "--fixed",
            dir + "/f.csv", "--out", dir + "/fixed",
        ])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(try jsonObject(dir + "/fixed/summary.json")["objective"] as? Double == 150)
        let sites = try csvRows(dir + "/fixed/sites.csv")
        #expect(sites.map { [$0[0], $0[1]] } == [["t1", "new"], ["old", "fixed"]])
        #expect(sites.map { Double($0[4]) ?? -1 } == [60, 90])
        // Without the towns as candidates only c is left, and it takes 25 of the 60.
        r = try CLI.run([
            "locate-facilities", demand, "--weight", "people", "--problem", "mclp", "--sites", "1", "--radius", "12",
            "--candidates", dir + "/c.csv", "--capacity", "capacity", "--fixed", dir + "/f.csv", "--out",
            dir + "/capped",
        ])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(abs((try jsonObject(dir + "/capped/summary.json")["objective"] as? Double ?? 0) - 115) < 1e-6)
    }

    @Test("Road travel minutes on the demo territory: every assignment within the radius, served adds up")
    func roads() throws {
        let dir = try CLI.temp()
        let r = try CLI.run([
            "locate-facilities", "shapes/demo/parroquias.shp", "--weight", "POB_2022", "--id", "DPA_PARROQ",
            "--problem", "mclp", "--sites", "3", "--radius", "30", "--distance", "travel", "--travel", "roads",
            "--roads", "shapes/demo/roads.shp", "--out", dir + "/roads",
        ])
        #expect(r.status == 0, "\(r.stderr)")
        let summary = try jsonObject(dir + "/roads/summary.json")
        #expect(summary["unit"] as? String == "minutes" && summary["proven_optimal"] as? Bool == true)
        let assigned = try csvRows(dir + "/roads/assignment.csv").filter { !$0[2].isEmpty }
        #expect(!assigned.isEmpty && assigned.allSatisfy { (Double($0[4]) ?? 99) <= 30 })
        let served = assigned.reduce(0) { $0 + (Double($1[3]) ?? 0) }
        #expect(abs(served - (summary["objective"] as? Double ?? -1)) < 1e-6)
        #expect(try csvRows(dir + "/roads/sites.csv").count == 3)
    }

    @Test("The same points in another order give byte-identical files")
    func orderDoesNotMatter() throws {
        let a = try CLI.temp(), b = try CLI.temp()
        for (dir, order) in [(a, [0, 1, 2, 3, 4]), (b, [3, 0, 4, 2, 1])] {
            let r = try CLI.run([
                "locate-facilities", try towns(dir, order: order), "--weight", "people", "--problem", "p-center",
                "--sites", "2", "--out", dir + "/out",
            ])
            #expect(r.status == 0, "\(r.stderr)")
        }
        for file in ["sites.csv", "sites.geojson", "assignment.csv", "summary.json"] {
            let x = try Data(contentsOf: URL(fileURLWithPath: a + "/out/" + file))
            let y = try Data(contentsOf: URL(fileURLWithPath: b + "/out/" + file))
            #expect(x == y, "\(file) differs")
        }
    }

    @Test("Bad input exits 2 with the option or record named, and writes nothing")
    func badInput() throws {
        let dir = try CLI.temp()
        let demand = try towns(dir)
        var r = try CLI.run(["locate-facilities", demand, "--problem", "mclp", "--sites", "2", "--out", dir + "/x"])
        #expect(r.status == 2 && r.stderr.contains("--radius"))
        r = try CLI.run(["locate-facilities", demand, "--problem", "p-median", "--sites", "-3", "--out", dir + "/x"])
        #expect(r.status == 2 && r.stderr.contains("--sites"))
        r = try CLI.run([
            "locate-facilities", demand, "--problem", "lscp", "--radius", "5", "--sites", "2", "--out", dir + "/x",
        ])
        #expect(r.status == 2 && r.stderr.contains("leave out --sites"))
        try "id,lon,lat,people\na,-79,0,5\nb,-78.9,0,-1\n".write(
            toFile: dir + "/bad.csv", atomically: true, encoding: .utf8)
        r = try CLI.run([
            "locate-facilities", dir + "/bad.csv", "--weight", "people", "--problem", "p-median", "--sites", "1",
            "--out", dir + "/x",
        ])
        // CSV errors name the line, as every CSV reader does (line 3: header, a, b).
        #expect(r.status == 2 && r.stderr.contains("bad.csv") && r.stderr.contains("record 3"), "\(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir + "/x"))
    }
}

/// The issue's national figures, checked on the written files with GEOS and PROJ directly:
/// each parroquia's point on surface in EPSG:32717, the written sites' lon/lat projected back,
/// and the covered population and mean distance recounted from them.
@Suite("locate-facilities on the 1,040 parroquias (../shared/data)", .enabled(if: CLIData.required))
struct NationalLocationTests {
    /// (population, point on surface in UTM 17S) per parroquia.
    func parroquias() throws -> [(Double, Coordinate)] {
        let layer = try ShapefileReader.read(CLIData.root + "/dpa/parroquias.shp")
        let pop = try #require(layer.fieldIndex("POB_2022"))
        let context = GeometryContext()
        return try layer.features.map { f in
            let g = try context.geometry(try #require(f.geometry))
            return (f.attributes[pop].number ?? 0, try g.pointOnSurface().pointCoordinate())
        }
    }

    /// Sites of a run in UTM 17S.
    func sites(_ dir: String) throws -> [Coordinate] {
        let transform = try ProjContext().transform(from: .wgs84, to: .utm17S)
        return try csvRows(dir + "/sites.csv").map {
            try transform.apply(Coordinate(Double($0[2]) ?? .nan, Double($0[3]) ?? .nan))
        }
    }

    func nearestKm(_ p: Coordinate, _ sites: [Coordinate]) -> Double {
        sites.map { ((p.x - $0.x) * (p.x - $0.x) + (p.y - $0.y) * (p.y - $0.y)).squareRoot() }.min()! / 1000
    }

    @Test(
        "MCLP p = 140 at 10 km: 14,609,993 people; p-median p = 140: 3,929.8 m per person; LSCP 10 km: 572 sites; all proven"
    )
    func issueFigures() throws {
        let dir = try CLI.temp()
        let common = [
            CLIData.root + "/dpa/parroquias.shp", "--weight", "POB_2022", "--id", "DPA_PARROQ", "--distance", "planar",
            "--quiet",
        ]
        var r = try CLI.run(
            ["locate-facilities"] + common + ["--problem", "mclp", "--sites", "140", "--radius", "10", "--out", dir + "/m"])
        #expect(r.status == 0, "\(r.stderr)")
        r = try CLI.run(["locate-facilities"] + common + ["--problem", "p-median", "--sites", "140", "--out", dir + "/p"])
        #expect(r.status == 0, "\(r.stderr)")
        let points = try parroquias()
        // Coverage recounted: sites are rounded to 1e-7° (about 1 cm), far below any margin here.
        let m = try sites(dir + "/m")
        #expect(m.count == 140)
        let covered = points.filter { nearestKm($0.1, m) <= 10 }.reduce(0) { $0 + $1.0 }
        #expect(covered == 14_609_993)
        #expect(try jsonObject(dir + "/m/summary.json")["proven_optimal"] as? Bool == true)
        let p = try sites(dir + "/p")
        #expect(p.count == 140)
        let total = points.reduce(0) { $0 + $1.0 }
        let perPerson = points.reduce(0) { $0 + $1.0 * nearestKm($1.1, p) } / total
        #expect(abs(perPerson - 3.9298) < 0.00005, "\(perPerson) km per person")
        let summary = try jsonObject(dir + "/p/summary.json")
        #expect(summary["proven_optimal"] as? Bool == true)
        // LSCP at 10 km: every parroquia of positive population within 10 km of a written site.
        r = try CLI.run(["locate-facilities"] + common + ["--problem", "lscp", "--radius", "10", "--out", dir + "/l"])
        #expect(r.status == 0, "\(r.stderr)")
        let l = try sites(dir + "/l")
        #expect(points.filter { $0.0 > 0 }.allSatisfy { nearestKm($0.1, l) <= 10 })
        let lscp = try jsonObject(dir + "/l/summary.json")
        #expect(l.count == 572 && lscp["proven_optimal"] as? Bool == true)
    }
}
