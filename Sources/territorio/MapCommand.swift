import ArgumentParser
import Cartography
import Foundation
import GIS
import Workflows

struct MapCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "map",
        abstract: "A PNG or SVG map of a layer or result: choropleth, plan or plain, with sites and boundaries.",
        discussion: """
            --field draws a choropleth of a numeric field (quantile, natural-breaks or equal-interval
            classes; colour-blind-safe sequential palettes). --categories colours a plan so that no
            two neighbouring distritos/circuitos share a colour (DSatur colouring of the contiguity
            graph), with --dissolve to merge the units of each category first. --join adds a CSV
            table's columns to the layer by a key, so any result table can be mapped on the units.
            Every map has a title, legend, scale bar, true-north arrow and source line; Galápagos goes
            to an inset (UTM 15S) so the mainland (UTM 17S) is not shrunk.
            Examples, on the demo outputs:
              territorio map out/demo/access_roads/units.geojson --field health_mean_min \\
                  --reverse --title "Minutos a salud" -o out/help/health.png
              territorio map out/demo/plan/units.geojson --join out/demo/plan/plan.csv \\
                  --join-on DPA_PARROQ=dpa_parroq --categories distrito --dissolve \\
                  --points Data/demo/establishments.csv --point-class type -o out/help/plan.svg
            """)

    @Argument(help: "The layer to map (.shp, .geojson, .csv of points).")
    var layer: String

    @Option(name: [.short, .long], help: "Output map: .png or .svg.")
    var output: String

    @Option(help: "Numeric field for a choropleth.")
    var field: String?

    @Option(help: "Number of classes (2–9).")
    var classes: Int = 5

    @Option(help: "quantile, natural-breaks (Fisher-Jenks) or equal-interval.")
    var breaks: ClassificationMethod = .quantile

    @Option(help: "ylgnbu (ColorBrewer) or viridis.")
    var palette: SequentialPalette = .ylgnbu

    @Flag(help: "Dark for low values (e.g. for coverage shares, where low is the problem).")
    var reverse = false

    @Option(help: "Category field (a plan's distrito or circuito): neighbours get different colours.")
    var categories: String?

    @Flag(help: "With --categories: merge the features of each category before drawing.")
    var dissolve = false

    @Option(help: "Field whose values label the features (default with --categories: the category).")
    var labels: String?

    @Flag(help: "No labels.")
    var noLabels = false

    @Option(help: "CSV table joined to the layer (see --join-on).")
    var join: String?

    @Option(help: "Join key: FIELD, or LAYER_FIELD=TABLE_COLUMN.")
    var joinOn: String?

    @Option(help: "Layer drawn as outlines on top (repeatable): provincias, distritos…")
    var overlay: [String] = []

    @Option(help: "Points drawn as symbols: establishments (.csv) or proposed sites (.geojson).")
    var points: String?

    @Option(help: "Field of --points giving each one's typology (one symbol per value).")
    var pointClass: String?

    @Option(help: "Title (default: the layer's name and the field).")
    var title: String?

    @Option(help: "A line under the title.")
    var subtitle: String?

    @Option(help: "Source line, e.g. \"INEC, DPA 2012 y Censo 2022\".")
    var source: String?

    @Option(name: .customLong("map-crs"), help: "CRS of the map (default EPSG:32717, UTM 17S).")
    var mapCRS: String = "EPSG:32717"

    @Option(help: "auto (Galápagos in an inset when the layer also has the mainland) or none.")
    var inset: MapSettings.Inset = .auto

    @Option(help: "Page width in pixels (400–8000).")
    var width: Int = 1600

    @Option(help: "Language of the map's words and numbers: es or en.")
    var language: MapLanguage = .spanish

    @OptionGroup var inputOptions: InputOptions

    func run() throws {
        var settings = MapSettings(layer: layer, output: output)
        if field != nil && categories != nil { throw ValidationError("--field and --categories exclude each other") }
        if dissolve && categories == nil { throw ValidationError("--dissolve needs --categories") }
        if (join == nil) != (joinOn == nil) { throw ValidationError("--join and --join-on go together") }
        if pointClass != nil && points == nil { throw ValidationError("--point-class needs --points") }
        if let field {
            settings.theme = .choropleth(
                field: field, classes: classes, method: breaks, palette: palette, reversed: reverse)
        } else if let categories {
            settings.theme = .categories(field: categories, dissolve: dissolve)
        }
        if let join, let joinOn { settings.join = try TableJoin(table: join, on: joinOn) }
        settings.labelField = labels
        settings.drawLabels = !noLabels
        settings.overlays = overlay
        settings.points = points
        settings.pointClassField = pointClass
        settings.title = title
        settings.subtitle = subtitle
        settings.source = source
        settings.crs = CRS.parse(mapCRS)
        settings.inset = inset
        settings.width = width
        settings.language = language
        settings.readOptions = try inputOptions.readOptions()
        let result = try MapWorkflow.run(settings, log: Console.log(quiet: inputOptions.quiet))
        for note in result.notes { Console.note(note) }
        var summary = "\(result.output): \(result.width)×\(result.height), \(result.mainFeatures) features"
        if result.insetFeatures > 0 { summary += " + \(result.insetFeatures) in the Galápagos inset" }
        if let b = result.breaks { summary += ", \(b.classCount) classes" }
        if let c = result.categories, let k = result.colours { summary += ", \(c) categories in \(k) colours" }
        if result.points > 0 { summary += ", \(result.points) points" }
        print(summary)
    }
}

extension ClassificationMethod: ExpressibleByArgument {}
extension SequentialPalette: ExpressibleByArgument {}
extension MapSettings.Inset: ExpressibleByArgument {}
extension MapLanguage: ExpressibleByArgument {}
