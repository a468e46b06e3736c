import Foundation
import Testing

/// Issue 15 from the command line: gzip inputs, input order, planar distances, user zones,
/// full precision, and the errors around them.
@Suite("Many points from the command line")
struct PointsCLITests {
    let units = ["--units", "shapes/demo/parroquias.shp", "--unit-id", "DPA_PARROQ"]
    let registry = ["--establishments", "Data/demo/establishments.csv", "--establishment-id", "id"]

    /// The demo's population points, shuffled (seeded) and optionally gzipped, in `dir`.
    func points(in dir: String, shuffled: Bool = false, gzip: Bool = false) throws -> String {
        var lines = try String(contentsOfFile: CLI.root + "/Data/demo/population_points.csv", encoding: .utf8)
            .split(separator: "\n").map(String.init)
        if shuffled {
            var rng = SystemRandomNumberGenerator()
            _ = rng.next()
            var state: UInt64 = 99
            var body = Array(lines.dropFirst())
            for i in stride(from: body.count - 1, to: 0, by: -1) {
                state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                body.swapAt(i, Int(state >> 33) % (i + 1))
            }
            lines = [lines[0]] + body
        }
        let path = dir + "/points\(shuffled ? "-shuffled" : "").csv"
        try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        guard gzip else { return path }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/sh")
        p.arguments = ["-c", "gzip -kf '\(path)'"]
        try p.run()
        p.waitUntilExit()
        #expect(p.terminationStatus == 0)
        return path + ".gz"
    }

    @Test func locateReadsGzipAndNamesOutsidePoints() throws {
        let dir = try CLI.temp()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let plain = try points(in: dir), packed = try points(in: dir, gzip: true)
        for (input, output) in [(plain, "a.csv"), (packed, "b.csv")] {
            let r = try CLI.run([
                "locate", input, "--in", "shapes/demo/parroquias.shp", "--id", "DPA_PARROQ", "--point-id",
                "dpa_parroq", "-o", dir + "/" + output, "--quiet",
            ])
            #expect(r.status == 0, "\(r.stderr)")
        }
        let a = try String(contentsOfFile: dir + "/a.csv", encoding: .utf8)
        #expect(a == (try String(contentsOfFile: dir + "/b.csv", encoding: .utf8)))
        // Every demo point lies in the parish its own column names.
        let rows = a.split(separator: "\n").dropFirst().map {
            $0.split(separator: ",", omittingEmptySubsequences: false)
        }
        #expect(rows.count > 1_000)
        #expect(rows.allSatisfy { $0[0] == $0[1] })
        // A point at sea: no parish, the nearest listed with its distance.
        try "id,lon,lat\nsea,-81.5,-2.2\n".write(toFile: dir + "/sea.csv", atomically: true, encoding: .utf8)
        let sea = try CLI.run([
            "locate", dir + "/sea.csv", "--in", "shapes/demo/parroquias.shp", "--id", "DPA_PARROQ", "--point-id", "id",
        ])
        #expect(sea.status == 0)
        let line = sea.stdout.split(separator: "\n")[1].split(separator: ",", omittingEmptySubsequences: false)
        #expect(line[0] == "sea" && line[1].isEmpty && !line[2].isEmpty && (Double(line[3]) ?? 0) > 1_000)
        // A truncated gzip file is refused, naming it.
        let bytes = try Data(contentsOf: URL(fileURLWithPath: packed))
        try bytes.prefix(bytes.count / 2).write(to: URL(fileURLWithPath: dir + "/cut.csv.gz"))
        let cut = try CLI.run([
            "locate", dir + "/cut.csv.gz", "--in", "shapes/demo/parroquias.shp", "--id", "DPA_PARROQ",
        ])
        #expect(cut.status == 2)
        #expect(cut.stderr.contains("cut.csv.gz") && cut.stderr.contains("truncated"))
    }

    @Test func accessIsTheSameWhateverTheOrderAndCompression() throws {
        let dir = try CLI.temp()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let inputs = [try points(in: dir), try points(in: dir, shuffled: true, gzip: true)]
        var outputs: [String] = []
        for (k, input) in inputs.enumerated() {
            let r = try CLI.run(
                ["access"] + units + registry + [
                    "--population-points", input, "--points-only", "--type", "health", "--within", "5km",
                    "--decay", "step,zones(2km=1,5km=0.5),gaussian", "--no-basins", "--out", dir + "/o\(k)", "--quiet",
                ])
            #expect(r.status == 0, "\(r.stderr)")
            outputs.append(try String(contentsOfFile: dir + "/o\(k)/units.csv", encoding: .utf8))
        }
        #expect(outputs[0] == outputs[1])
        #expect(outputs[0].contains("health_2sfca_zones_2km_1_5km_0.5_per1000"))
    }

    @Test func planarDistancesAndFullPrecision() throws {
        let dir = try CLI.temp()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let common = ["access"] + units + registry + ["--type", "health", "--within", "5km", "--no-basins", "--quiet"]
        let geodesic = try CLI.run(common + ["--out", dir + "/g", "--full-precision"])
        let planar = try CLI.run(common + ["--out", dir + "/p", "--distance", "planar", "--full-precision"])
        #expect(geodesic.status == 0 && planar.status == 0, "\(planar.stderr)")
        #expect(planar.stdout.contains("planar distance in"))
        let g = try String(contentsOfFile: dir + "/g/units.csv", encoding: .utf8)
        let p = try String(contentsOfFile: dir + "/p/units.csv", encoding: .utf8)
        // UTM 17S scales distances by 0.9996–1.0004 here: close, not equal.
        #expect(g != p)
        // Full precision: shortest round-trip figures, longer than the rounded 3 decimals.
        #expect(
            g.split(separator: "\n")[1].split(separator: ",").contains { $0.split(separator: ".").last?.count ?? 0 > 6 }
        )
        for (extra, message) in [
            (["--distance", "planar", "--planar-crs", "EPSG:4326"], "geographic"),
            (["--planar-crs", "EPSG:32717"], "--distance planar"),
            (["--distance", "planar", "--travel", "roads", "--roads", "shapes/demo/roads.shp"], "--travel straight"),
            (["--decay", "zones(5km=1,2km=0.5)"], "limits must increase"),
        ] {
            let r = try CLI.run(common + ["--out", dir + "/bad"] + extra)
            #expect(r.status == 2, "\(extra): \(r.stderr)")
            #expect(r.stderr.contains(message), "\(extra): \(r.stderr)")
            #expect(!FileManager.default.fileExists(atPath: dir + "/bad"))
        }
    }

    /// `--point-unit`: the unit each point's own column names instead of its location. The demo
    /// points lie in the parish they name, so the results equal the located ones (shuffled and
    /// gzipped too); a code that is no unit, or no code, is an error naming file, line and
    /// field, and the option needs points alone.
    @Test func pointUnitFromTheFileEqualsLocatedPoints() throws {
        let dir = try CLI.temp()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let common =
            ["access"] + units + registry + ["--points-only", "--type", "health", "--within", "5km", "--quiet"]
        let plain = try points(in: dir), shuffled = try points(in: dir, shuffled: true, gzip: true)
        let located = try CLI.run(common + ["--population-points", plain, "--out", dir + "/located"])
        let named = try CLI.run(
            common + ["--population-points", shuffled, "--point-unit", "dpa_parroq", "--out", dir + "/named"])
        #expect(located.status == 0 && named.status == 0, "\(named.stderr)")
        for file in ["units.csv", "units.geojson", "establishments.csv"] {
            let a = try String(contentsOfFile: dir + "/located/" + file, encoding: .utf8)
            #expect(a == (try String(contentsOfFile: dir + "/named/" + file, encoding: .utf8)), "\(file)")
        }
        // Line 3 of the file names a parish that does not exist; line 4 names none.
        var lines = try String(contentsOfFile: plain, encoding: .utf8).split(separator: "\n").map(String.init)
        lines[2] = lines[2].split(separator: ",").dropLast().joined(separator: ",") + ",999999"
        try (lines.joined(separator: "\n") + "\n").write(toFile: dir + "/bad.csv", atomically: true, encoding: .utf8)
        lines[2] = lines[1]
        lines[3] = lines[3].split(separator: ",").dropLast().joined(separator: ",") + ", "
        try (lines.joined(separator: "\n") + "\n").write(toFile: dir + "/empty.csv", atomically: true, encoding: .utf8)
        for (input, message) in [("bad.csv", "'999999' is not a unit"), ("empty.csv", "names no unit")] {
            let r = try CLI.run(
                common + ["--population-points", dir + "/" + input, "--point-unit", "dpa_parroq", "--out", dir + "/x"])
            #expect(r.status == 2, "\(r.stderr)")
            #expect(
                r.stderr.contains(input) && r.stderr.contains("dpa_parroq") && r.stderr.contains(message), "\(r.stderr)"
            )
            #expect(r.stderr.contains(input == "bad.csv" ? "record 3," : "record 4,"), "\(r.stderr)")
            #expect(!FileManager.default.fileExists(atPath: dir + "/x"))
        }
        let mixed = try CLI.run(
            ["access"] + units + registry + [
                "--population-points", plain, "--point-unit", "dpa_parroq", "--type", "health", "--within", "5km",
                "--out", dir + "/y",
            ])
        #expect(mixed.status == 2 && mixed.stderr.contains("--points-only"), "\(mixed.stderr)")
    }
}
