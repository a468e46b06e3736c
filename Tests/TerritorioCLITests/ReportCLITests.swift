import Cartography
import Foundation
import Testing

/// Debian's chromium, when installed (Scripts/setup.sh and .ci/run install it).
enum Browser {
    static let path = "/usr/bin/chromium"
    static var available: Bool { FileManager.default.isExecutableFile(atPath: path) }
    static var required: Bool { available || ProcessInfo.processInfo.environment["CI"] != nil }
}

@Suite("report: a whole analysis in one page", .serialized)
struct ReportCLITests {
    /// Runs propose, access and schedule on the demo, then the report; returns its folder.
    func makeReport(_ dir: String, language: String = "es") throws -> String {
        let plan = ["--units", "shapes/demo/parroquias.shp", "--links", "auto", "--quiet"]
        if !FileManager.default.fileExists(atPath: dir + "/plan/plan.csv") {
            let p = try CLI.run(["propose"] + plan + ["--out", dir + "/plan"])
            try #require(p.status == 0, "\(p.stderr)")
            let a = try CLI.run([
                "access", "--units", "shapes/demo/parroquias.shp", "--unit-id", "DPA_PARROQ", "--establishments",
                "Data/demo/establishments.csv", "--within", "30min", "--quiet", "--out", dir + "/access",
            ])
            try #require(a.status == 0, "\(a.stderr)")
            let s = try CLI.run(
                ["schedule", dir + "/plan/plan.csv"] + plan + [
                    "--establishments", "Data/demo/establishments.csv", "--scenarios", "Data/demo/scenarios.csv",
                    "--schedule-seconds", "1", "--out", dir + "/services",
                ])
            try #require(s.status == 0, "\(s.stderr)")
        }
        let out = dir + "/report_\(language)"
        let r = try CLI.run([
            "report", "--plan", dir + "/plan", "--access", dir + "/access", "--services", dir + "/services",
            "--language", language, "--quiet", "--out", out,
        ])
        try #require(r.status == 0, "\(r.stderr)")
        return out
    }

    @Test func thePageIsSelfContainedAndTheMarkdownHasTheSameMaps() throws {
        let dir = NSTemporaryDirectory() + "territorio-report-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let out = try makeReport(dir)
        let html = try String(contentsOfFile: out + "/report.html", encoding: .utf8)
        let md = try String(contentsOfFile: out + "/report.md", encoding: .utf8)
        // Nothing fetched from elsewhere: no script, no link, every image a data URI.
        #expect(!html.contains("<script") && !html.contains("<link") && !html.contains("http://www.w3.org/1999/xlink"))
        let images = html.components(separatedBy: "<img ").dropFirst()
        #expect(images.count >= 3)  // the plan, access per type, the sites
        #expect(images.allSatisfy { $0.contains("src=\"data:image/png;base64,") })
        // Each map in the Markdown is a file beside it, a PNG.
        let files = md.components(separatedBy: "](").dropFirst().compactMap {
            $0.split(separator: ")").first.map(String.init)
        }
        #expect(
            files.contains("maps/plan.png") && files.contains("maps/sites.png") && files.contains("charts/spending.svg")
        )
        for f in files {
            #expect(FileManager.default.fileExists(atPath: out + "/" + f), "\(f)")
        }
        #expect(images.count == files.filter { $0.hasSuffix(".png") }.count)
        // Spanish by default, numbers as INEC writes them; English on request.
        #expect(md.contains("## Distritos y circuitos") && md.contains("Presupuesto necesario"))
        // With the plan, the worst places are circuitos; the deficit goes down to zona, distrito
        // and circuito.
        #expect(md.contains("| circuito | población |"))
        #expect(md.contains("### Déficit por zona") && md.contains("### Déficit por circuito"))
        #expect(md.range(of: #"\d{1,3}\.\d{3}\.\d{3} USD"#, options: .regularExpression) != nil)
        let english = try String(contentsOfFile: try makeReport(dir, language: "en") + "/report.md", encoding: .utf8)
        #expect(english.contains("## Distritos and circuitos") && english.contains("Budget needed"))
        // Same inputs, same bytes.
        let again = try makeReport(dir)
        #expect(try Data(contentsOf: URL(fileURLWithPath: again + "/report.html")) == Data(html.utf8))
    }

    /// The page in a real browser: Debian's chromium renders it headless to a PNG, which is
    /// decoded and looked at — the plan map's colours and the access maps' colours are drawn.
    @Test(.enabled(if: Browser.required)) func chromiumDrawsTheMaps() throws {
        try #require(Browser.available, "chromium is missing (CI is set): Scripts/setup.sh installs it")
        let dir = NSTemporaryDirectory() + "territorio-browser-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let out = try makeReport(dir)
        let shot = dir + "/page.png"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Browser.path)
        process.arguments = [
            "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--screenshot=\(shot)",
            "--window-size=1200,4200", "file://" + out + "/report.html",
        ]
        let err = Pipe()
        process.standardError = err
        process.standardOutput = Pipe()
        try process.run()
        let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(stderr)")
        // Errors other than the missing D-Bus of a container and chromium's own IPC between its
        // processes (`mojo/…`: "Message … rejected by interface blink.mojom.FrameWidgetHost",
        // seen once in a loaded full run as the headless screenshot closed) are page errors.
        let errors = stderr.split(separator: "\n").filter {
            $0.contains(":ERROR:") && !$0.contains("dbus") && !$0.contains(":ERROR:mojo/")
        }
        #expect(errors.isEmpty, "\(errors)")
        let raster = try MapRaster.read(png: Array(try Data(contentsOf: URL(fileURLWithPath: shot))), source: shot)
        #expect(raster.width == 1200)
        func count(_ colours: [MapColour]) -> Int {
            let set = Set(colours.map(MapRaster.opaque))
            return raster.pixels.reduce(0) { $0 + (set.contains($1 | 0xFF00_0000) ? 1 : 0) }
        }
        // The plan map (Tol's light palette) and the access maps (YlGnBu) are on the page.
        #expect(count(QualitativePalette.light) > 20_000)
        #expect(count(SequentialPalette.ylgnbu.colours(5)) > 20_000)
    }
}
