import ArgumentParser
import Cartography
import Foundation
import Workflows

struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "One self-contained HTML page (and Markdown) for a whole analysis: plan, access, services.",
        discussion: """
            Puts together the folders earlier runs wrote: --plan (propose), --access (access),
            --services (deficit, cost, place or schedule). The plan: its map (neighbours in different
            colours), balance and distance tables, the validation. Access: coverage per service type
            (national figure, a map, the worst units). Services: deficit and cost by typology and
            distrito, the budget needed, the proposed sites, the spending per year under each
            scenario and the year each sector's deficit closes. report.html embeds its maps and
            charts (no network, no script); report.md shows the same with maps/ and charts/.
            Spanish by default, --language en for English.
            Examples, after Scripts/demo.sh:
              territorio report --plan out/demo/plan --access out/demo/access_roads \\
                  --services out/demo/services/schedule --out out/help/report
            """)

    @Option(help: "Folder written by propose.")
    var plan: String?

    @Option(help: "Folder written by access.")
    var access: String?

    @Option(help: "Folder written by deficit, cost, place or schedule.")
    var services: String?

    @Option(help: "Title of the report.")
    var title: String?

    @Option(help: "es or en.")
    var language: MapLanguage = .spanish

    @Option(help: "Width of the maps in pixels (600–4000).")
    var mapWidth: Int = 1400

    @Flag(help: "No progress messages on stderr.")
    var quiet = false

    @Option(help: "Output folder (written all together at the end, or not at all).")
    var out: String

    func run() throws {
        var settings = ReportSettings()
        settings.plan = plan
        settings.access = access
        settings.services = services
        settings.title = title
        settings.language = language
        settings.mapWidth = mapWidth
        let log = Console.log(quiet: quiet)
        let doc = try OutputSet.run(into: out) { set in try ReportWorkflow.run(settings, into: set, log: log) }
        print("\(out)/report.html and report.md: \(doc.blocks.count) blocks, \(doc.files.count) maps and charts")
    }
}
