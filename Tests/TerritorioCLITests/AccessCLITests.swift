import Foundation
import GIS
import Testing

@Suite("territorio access and check coverage")
struct AccessCLITests {
    let base = [
        "--units", "shapes/demo/parroquias.shp", "--unit-id", "DPA_PARROQ", "--establishments",
        "Data/demo/establishments.csv",
        "--establishment-id", "id",
    ]

    @Test func accessWritesTablesAndMaps() throws {
        let dir = try CLI.temp()
        let r = try CLI.run(["access"] + base + ["--type", "health,police", "--within", "15min,30min", "--out", dir])
        #expect(r.status == 0)
        #expect(r.stdout.contains("population: 477438 read, 477438 in 61 units, 0 outside every unit"))
        #expect(r.stdout.contains("travel: straight line"))
        for file in [
            "units.csv", "units.json", "units.geojson", "establishments.csv", "report.json", "basins_health.geojson",
            "basins_police.geojson",
        ] {
            #expect(FileManager.default.fileExists(atPath: dir + "/" + file), "\(file) missing")
        }
        let units = try GeoJSONReader.read(dir + "/units.geojson")
        #expect(units.features.count == 61)
        #expect(units.fieldIndex("health_share_within_30min") != nil)
        let basins = try GeoJSONReader.read(dir + "/basins_health.geojson")
        #expect(basins.features.count == 49)
        // The basins tile the territory: their areas add up to the units' area.
        let measure = try GeodesicMeasure(crs: .wgs84, context: try ProjContext())
        let basinArea = try basins.features.reduce(0.0) { $0 + (try measure.area(try #require($1.geometry))) }
        let unitArea = try units.features.reduce(0.0) { $0 + (try measure.area(try #require($1.geometry))) }
        #expect(abs(basinArea - unitArea) / unitArea < 1e-6)
        let report =
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dir + "/report.json")))
            as? [String: Any]
        #expect((report?["population"] as? [String: Any])?["balanced"] as? Bool == true)
    }

    /// `--table-dialect es-spreadsheet --csvt`: every table with a BOM, ';' and decimal commas,
    /// its .csvt naming codes as text; the same figures as the default tables.
    @Test func spreadsheetTablesAndSidecars() throws {
        let plain = try CLI.temp(), sheet = try CLI.temp()
        let arguments = ["access"] + base + ["--type", "health", "--within", "15min", "--no-basins"]
        #expect(try CLI.run(arguments + ["--out", plain]).status == 0)
        #expect(!FileManager.default.fileExists(atPath: plain + "/units.csvt"))
        let r = try CLI.run(arguments + ["--out", sheet, "--table-dialect", "es-spreadsheet", "--csvt"])
        #expect(r.status == 0)
        for table in ["units", "establishments"] {
            let bytes = try #require(FileManager.default.contents(atPath: sheet + "/\(table).csv"))
            #expect(bytes.starts(with: [0xEF, 0xBB, 0xBF]), "\(table).csv has no BOM")
            let a = try CSVTable.read(plain + "/\(table).csv"), b = try CSVTable.read(sheet + "/\(table).csv")
            #expect(a.header == b.header)
            let types = try String(contentsOfFile: sheet + "/\(table).csvt", encoding: .utf8)
                .trimmingCharacters(in: .newlines).split(separator: ",").map { $0.trimmingCharacters(in: ["\""]) }
            #expect(types.count == a.header.count)
            for (c, name) in a.header.enumerated() {
                let real = types[c] == "Real"
                for (x, y) in zip(a.rows, b.rows) {
                    #expect((real ? x[c].replacingOccurrences(of: ".", with: ",") : x[c]) == y[c], "\(table) \(name)")
                }
            }
            if let unit = a.header.firstIndex(of: "unit") { #expect(types[unit] == "String") }
        }
        let bad = try CLI.run(arguments + ["--out", try CLI.temp(), "--table-dialect", "excel"])
        #expect(bad.status == 2)
    }

    /// One-table commands: `locate -o` and `neighbours -o` take the same options; their code
    /// columns are text; `--csvt` without a file and a dialect on JSON are usage errors.
    @Test func oneTableCommandsTakeTheTableOptions() throws {
        let dir = try CLI.temp()
        let locate = [
            "locate", "Data/demo/establishments.csv", "--in", "shapes/demo/parroquias.shp", "--id", "DPA_PARROQ",
        ]
        #expect(
            try CLI.run(locate + ["-o", dir + "/p.csv", "--table-dialect", "es-spreadsheet", "--csvt"]).status == 0)
        let bytes = try #require(FileManager.default.contents(atPath: dir + "/p.csv"))
        #expect(bytes.starts(with: [0xEF, 0xBB, 0xBF] + Array("point;unit;nearest_unit;distance_m\r\n".utf8)))
        #expect(try String(contentsOfFile: dir + "/p.csvt", encoding: .utf8).hasPrefix("\"String\",\"String\""))
        let neighbours = ["neighbours", "shapes/demo/parroquias.shp", "--id", "DPA_PARROQ"]
        #expect(try CLI.run(neighbours + ["-o", dir + "/n.csv", "--csvt"]).status == 0)
        #expect(
            try String(contentsOfFile: dir + "/n.csvt", encoding: .utf8)
                == "\"String\",\"String\",\"Real\",\"String\"\n")
        #expect(try CLI.run(locate + ["--csvt"]).status == 2)
        #expect(try CLI.run(neighbours + ["-o", dir + "/n.json", "--table-dialect", "es-spreadsheet"]).status == 2)
        #expect(!FileManager.default.fileExists(atPath: dir + "/n.json"))
    }

    @Test func accessOnRoadsWithPopulationPoints() throws {
        let dir = try CLI.temp()
        let r = try CLI.run(
            ["access"] + base + [
                "--population-points", "Data/demo/population_points.csv", "--type", "health", "--within", "30min",
                "--travel", "roads",
                "--roads", "shapes/demo/roads.shp", "--no-basins", "--out", dir,
            ])
        #expect(r.status == 0)
        #expect(r.stdout.contains("travel: road network"))
        let report =
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dir + "/report.json")))
            as? [String: Any]
        let network = report?["road_network"] as? [String: Any]
        #expect(network?["ferry_edges"] as? Int == 1)
        #expect(network?["components"] as? Int == 1)
    }

    @Test func coverageCheckExitCodes() throws {
        let pass = try CLI.run(
            ["check", "coverage"] + base + [
                "--type", "education", "--within", "30min", "--min-share", "0.5", "--per", "parroquia",
            ])
        #expect(pass.status == 0)
        let json = try JSONSerialization.jsonObject(with: Data(pass.stdout.utf8)) as? [String: Any]
        #expect(json?["passed"] as? Bool == true)
        #expect(pass.stderr.contains("coverage check passed"))

        let fail = try CLI.run(
            ["check", "coverage"] + base + [
                "--type", "health", "--within", "15min", "--min-share", "0.9", "--per", "parroquia",
            ])
        #expect(fail.status == 1)
        let failed = try JSONSerialization.jsonObject(with: Data(fail.stdout.utf8)) as? [String: Any]
        let assertion = (failed?["assertions"] as? [[String: Any]])?.first
        let failures = assertion?["failures"] as? [[String: Any]] ?? []
        #expect(!failures.isEmpty)
        #expect(failures.allSatisfy { ($0["share"] as? Double ?? 1) < 0.9 && $0["parroquia"] is String })
        #expect(fail.stderr.contains("coverage check FAILED"))

        let dir = try CLI.temp()
        try "type,within,min_share\neducation,30min,0.5\npolice,5km,0.99\n".write(
            toFile: dir + "/rules.csv", atomically: true, encoding: .utf8)
        let rules = try CLI.run(["check", "coverage"] + base + ["--rules", dir + "/rules.csv"])
        #expect(rules.status == 1)
        let parsed = try JSONSerialization.jsonObject(with: Data(rules.stdout.utf8)) as? [String: Any]
        #expect((parsed?["assertions"] as? [[String: Any]])?.map { $0["passed"] as? Bool } == [true, false])
    }

    @Test func badInputExitsTwo() throws {
        let unknownType = try CLI.run(
            ["check", "coverage"] + base + ["--type", "hospital", "--within", "30min", "--min-share", "0.9"])
        #expect(unknownType.status == 2)
        #expect(unknownType.stderr.contains("types present"))
        let badThreshold = try CLI.run(
            ["check", "coverage"] + base + ["--type", "health", "--within", "soon", "--min-share", "0.9"])
        #expect(badThreshold.status == 2)
        let badShare = try CLI.run(
            ["check", "coverage"] + base + ["--type", "health", "--within", "30min", "--min-share", "9"])
        #expect(badShare.status == 2)
        let dir = try CLI.temp()
        try "raw,type\nHOSPITAL,health\n".write(toFile: dir + "/map.csv", atomically: true, encoding: .utf8)
        let noMatch = try CLI.run(
            ["check", "coverage"] + base + [
                "--type-map", dir + "/map.csv", "--type", "health", "--within", "30min", "--min-share", "0.9",
            ])
        #expect(noMatch.status == 2)
        #expect(noMatch.stderr.contains("matches no record"))
        let noRoads = try CLI.run(["access"] + base + ["--within", "30min", "--travel", "roads", "--out", dir])
        #expect(noRoads.status == 2)
        try "id,name\n1,x\n".write(toFile: dir + "/empty.csv", atomically: true, encoding: .utf8)
        let emptyRoads = try CLI.run(
            ["access"] + base + [
                "--within", "30min", "--travel", "roads", "--roads", "Data/demo/population_points.csv", "--out", dir,
            ])
        #expect(emptyRoads.status == 2)
        #expect(emptyRoads.stderr.contains("no lines"))
    }
}
