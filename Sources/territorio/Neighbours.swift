import ArgumentParser
import Foundation
import GIS

struct Neighbours: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "The contiguity graph of a polygon layer, with shared border lengths and islands.",
        discussion: """
            Queen: polygons sharing at least a point; rook: sharing a border of positive length.
            CSV: one row per edge (a, b, shared_m, overlapping). JSON: edges, connected components and
            the units with no neighbour. Shared lengths are geodesic metres.
            Examples, on the demo territory:
              territorio neighbours shapes/demo/parroquias.shp --id DPA_PARROQ \\
                  --rule rook -o out/help/neighbours.csv
            """)

    @Argument(help: "Input polygon layer.")
    var layer: String

    @Option(help: "queen or rook.")
    var rule: ContiguityRule = .queen

    @Option(help: "Field that identifies units in the output (default: record number).")
    var id: String?

    @Option(help: "csv or json (default: from the output extension, else csv).")
    var format: String?

    @Option(name: [.short, .long], help: "Output file (default: stdout).")
    var output: String?

    @OptionGroup var tables: TableOptions

    @OptionGroup var inputOptions: InputOptions

    func run() throws {
        try tables.validate(output: output)
        let source = try inputOptions.read(layer)
        let idIndex = try id.map { try source.requireField($0) }
        func name(_ i: Int) -> String { idIndex.map { source.features[i].attributes[$0].description } ?? String(i + 1) }
        Progress(quiet: inputOptions.quiet).step("building \(rule.rawValue) contiguity")
        let proj = try ProjContext()
        let graph = try Contiguity.build(
            source, rule: rule, measure: try GeodesicMeasure(crs: source.crs ?? .wgs84, context: proj))
        let chosen = format ?? (output?.lowercased().hasSuffix(".json") == true ? "json" : "csv")
        if chosen == "json" && !tables.format.isDefault {
            throw ValidationError("--table-dialect and --csvt are for CSV output, not JSON")
        }
        let text: String
        switch chosen {
        case "csv":
            var lines = ["a,b,shared_m,overlapping"]
            for e in graph.edges {
                lines.append(
                    "\(CSVText.field(name(e.a))),\(CSVText.field(name(e.b))),\(JSONText.fixed(e.sharedLength, decimals: 1)),\(e.overlapping)"
                )
            }
            text = lines.joined(separator: "\n") + "\n"
        case "json":
            let q = { (i: Int) in JSONText.quoted(name(i)) }
            let edges = graph.edges.map {
                "{\"a\":\(q($0.a)),\"b\":\(q($0.b)),\"shared_m\":\(JSONText.fixed($0.sharedLength, decimals: 1)),\"overlapping\":\($0.overlapping)}"
            }
            let components = graph.components.map { "[" + $0.map(q).joined(separator: ",") + "]" }
            text =
                "{\"rule\":\"\(rule.rawValue)\",\"units\":\(graph.nodeCount),\"edges\":[\n"
                + edges.joined(separator: ",\n")
                + "\n],\"components\":[" + components.joined(separator: ",") + "],\"isolated\":["
                + graph.isolated.map(q).joined(separator: ",") + "]}\n"
        default:
            throw ValidationError("--format must be csv or json")
        }
        if chosen == "csv" {
            try tables.write(Array(text.utf8), to: output, identifiers: ["a", "b"])
        } else if let output {
            try AtomicFile.write(text, to: output)
        } else {
            print(text, terminator: "")
        }
        let summary =
            "\(graph.nodeCount) units, \(graph.edges.count) \(rule.rawValue) edges, \(graph.components.count) connected components; no neighbour: "
            + (graph.isolated.isEmpty ? "none" : graph.isolated.map(name).joined(separator: ", "))
        Console.note(summary)
    }
}

extension ContiguityRule: ExpressibleByArgument {}
