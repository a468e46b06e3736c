import Cartography
import Foundation
import GIS
import Testing

@Suite("map command on the demo")
struct MapCLITests {
    func temporary(_ name: String) -> String {
        NSTemporaryDirectory() + "territorio-mapcli-" + UUID().uuidString + "-" + name
    }

    @Test func writesAPNGAndAnSVGOfAPlanWithSites() throws {
        let png = temporary("plan.png"), svg = temporary("plan.svg")
        defer { for f in [png, svg] { try? FileManager.default.removeItem(atPath: f) } }
        for out in [png, svg] {
            let r = try CLI.run([
                "map", "shapes/demo/parroquias.shp", "--categories", "DPA_CANTON", "--dissolve",
                "--points", "Data/demo/establishments.csv", "--point-class", "type",
                "--overlay", "shapes/demo/roads.shp", "--title", "Cantones", "-o", out,
            ])
            #expect(r.status == 0, "\(r.stderr)")
            #expect(r.stdout.contains("categories in") && r.stdout.contains("points"))
        }
        let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: png)))
        #expect(Array(bytes.prefix(4)) == [0x89, 0x50, 0x4E, 0x47])
        let raster = try MapRaster.read(png: bytes, source: png)
        // Not blank: the main frame (right 70 % of the page) holds many colours.
        var colours = Set<UInt32>()
        for y in stride(from: 0, to: raster.height, by: 3) {
            for x in stride(from: raster.width * 3 / 10, to: raster.width, by: 3) {
                colours.insert(raster.pixels[y * raster.width + x])
            }
        }
        #expect(colours.count > 20)
        let text = try String(contentsOfFile: svg, encoding: .utf8)
        #expect(text.hasPrefix("<?xml") && text.contains("<svg"))
        // Same command, same bytes.
        let again = temporary("again.svg")
        defer { try? FileManager.default.removeItem(atPath: again) }
        _ = try CLI.run([
            "map", "shapes/demo/parroquias.shp", "--categories", "DPA_CANTON", "--dissolve",
            "--points", "Data/demo/establishments.csv", "--point-class", "type",
            "--overlay", "shapes/demo/roads.shp", "--title", "Cantones", "-o", again,
        ])
        #expect(try Data(contentsOf: URL(fileURLWithPath: again)) == Data(text.utf8))
    }

    @Test func badArgumentsAreExitTwoAndWriteNothing() throws {
        let out = temporary("bad.png")
        let cases: [([String], String)] = [
            (["--field", "POB_2022", "--classes", "12"], "--classes"),
            (["--field", "DPA_DESPAR"], "not numeric"),
            (["--field", "NOPE"], "NOPE"),
            (["--categories", "DPA_CANTON", "--field", "POB_2022"], "exclude"),
            (["--dissolve"], "--dissolve needs --categories"),
            (["--width", "50"], "--width"),
            (["--map-crs", "EPSG:99999999"], "EPSG:99999999"),
            (["--join", "Data/demo/establishments.csv"], "--join-on"),
            (["--points", "missing.csv"], "missing.csv"),
            (["--points", "Data/demo/establishments.csv", "--point-class", "id"], "at most 24"),
        ]
        for (extra, expected) in cases {
            let r = try CLI.run(["map", "shapes/demo/parroquias.shp", "-o", out] + extra)
            #expect(r.status == 2, "\(extra): \(r.stderr)")
            #expect(r.stderr.contains(expected), "\(extra): \(r.stderr)")
            #expect(!FileManager.default.fileExists(atPath: out))
        }
        let pdf = try CLI.run(["map", "shapes/demo/parroquias.shp", "-o", temporary("x.pdf")])
        #expect(pdf.status == 2 && pdf.stderr.contains(".png or .svg"))
    }
}

@Suite("National maps (../shared/data)", .enabled(if: CLIData.required))
struct NationalMapTests {
    @Test func officialDistritosWithGalapagosInAnInset() throws {
        let out = NSTemporaryDirectory() + "territorio-national-" + UUID().uuidString + ".png"
        defer { try? FileManager.default.removeItem(atPath: out) }
        let r = try CLI.run([
            "map", CLIData.root + "/dpa/parroquias.shp", "--join",
            CLIData.root + "/plans/distritos_oficial_parroquias2012.csv", "--join-on", "DPA_PARROQ=dpa_parroq",
            "--categories", "distrito", "--dissolve", "--no-labels", "--quiet", "-o", out,
        ])
        #expect(r.status == 0, "\(r.stderr)")
        // Hand counts from the table: the distinct distritos the parishes map to, plus one
        // "no data" feature for the parishes without one; Galápagos (province 20) is one
        // distrito and goes to the inset.
        let table = try CSVTable.read(CLIData.root + "/plans/distritos_oficial_parroquias2012.csv")
        let column = try #require(table.header.firstIndex(of: "distrito"))
        let keys = table.rows.map { $0[column] }
        let distritos = Set(keys.filter { !$0.isEmpty })
        let galapagos = distritos.filter { $0.hasPrefix("20") }.count
        let unmapped = keys.contains("") ? 1 : 0
        #expect(
            r.stdout.contains(
                "\(distritos.count - galapagos + unmapped) features + \(galapagos) in the Galápagos inset"))
        #expect(r.stdout.contains("\(distritos.count) categories in"))
        #expect(r.stderr.contains("1040 features matched"))
    }

    @Test func parishChoroplethAndInsetCountsMatchTheLayer() throws {
        let out = NSTemporaryDirectory() + "territorio-national-" + UUID().uuidString + ".svg"
        defer { try? FileManager.default.removeItem(atPath: out) }
        let r = try CLI.run([
            "map", CLIData.root + "/dpa/parroquias.shp", "--field", "POB_2022", "--breaks", "natural-breaks",
            "--overlay", CLIData.root + "/dpa/provincias.shp", "--quiet", "-o", out,
        ])
        #expect(r.status == 0, "\(r.stderr)")
        let layer = try ShapefileReader.read(CLIData.root + "/dpa/parroquias.shp")
        let province = try layer.requireField("DPA_PROVIN")
        let islands = layer.features.filter { $0.attributes[province].description == "20" }.count
        #expect(r.stdout.contains("\(layer.features.count - islands) features + \(islands) in the Galápagos inset"))
    }
}

@Suite("Progress of long steps")
struct ProgressCLITests {
    /// Not on a terminal (a pipe here): plain lines that reach 100 %; nothing with --quiet.
    @Test func plainLinesOffATerminalAndNothingWhenQuiet() throws {
        let dir = NSTemporaryDirectory() + "territorio-progress-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let propose = ["propose", "--units", "shapes/demo/parroquias.shp", "--links", "auto", "--out", dir + "/plan"]
        let loud = try CLI.run(propose)
        #expect(loud.status == 0, "\(loud.stderr)")
        let lines = loud.stderr.split(separator: "\n").filter { $0.hasPrefix("circuito subproblems: ") }
        #expect(lines.last?.contains("(100 %)") == true, "\(loud.stderr)")
        #expect(lines.count <= 5)  // quarters and the end, not one line per subproblem
        #expect(!loud.stderr.contains("\u{1B}[K"))  // no terminal codes in a log
        let quiet = try CLI.run(propose + ["--quiet"])
        #expect(quiet.status == 0)
        #expect(!quiet.stderr.contains("subproblems:"))
        let access = try CLI.run([
            "access", "--units", "shapes/demo/parroquias.shp", "--unit-id", "DPA_PARROQ", "--establishments",
            "Data/demo/establishments.csv", "--within", "15min", "--out", dir + "/access",
        ])
        #expect(access.stderr.contains("service types: 4/4 (100 %)"), "\(access.stderr)")
    }
}
