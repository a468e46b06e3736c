import ArgumentParser
import GIS

struct DissolveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dissolve",
        abstract: "Merge features by a field or a code prefix, summing numeric fields.",
        discussion: """
            Parroquias to cantones: --by DPA_PARROQ --by-prefix 4 --as DPA_CANTON
            Parroquias to provincias: --by DPA_PARROQ --by-prefix 2 --as DPA_PROVIN
            Numeric fields (population) are summed and the sums before and after are printed; text
            fields are kept when constant within every group, dropped otherwise.
            Examples, on the demo territory:
              territorio dissolve shapes/demo/parroquias.shp --by DPA_PARROQ \\
                  --by-prefix 4 --as DPA_CANTON -o out/help/cantones.geojson
            """)

    @Argument(help: "Input polygon layer.")
    var layer: String

    @Option(help: "Field whose values group the features.")
    var by: String

    @Option(help: "Group by the first N characters of the field.")
    var byPrefix: Int?

    @Option(name: .customLong("as"), help: "Name of the key field in the output.")
    var keyName: String?

    @Option(help: "auto (coverage union, overlay where it does not check out), coverage or overlay.")
    var method: Dissolve.Method = .auto

    @Option(name: [.short, .long], help: "Output layer (.geojson or .shp).")
    var output: String

    @OptionGroup var inputOptions: InputOptions
    @OptionGroup var outputOptions: OutputOptions

    func run() throws {
        let source = try inputOptions.read(layer)
        Progress(quiet: inputOptions.quiet).step("dissolving \(source.features.count) features")
        let (result, report) = try Dissolve.run(
            source, options: .init(keyField: by, prefix: byPrefix, outputKey: keyName, method: method))
        try outputOptions.write(result, to: output, proj: try ProjContext())
        print("dissolved \(report.inputFeatures) features into \(report.groups) groups → \(output)")
        for s in report.sums {
            let status = s.input == s.output ? "conserved" : "NOT conserved"
            print("  \(s.field): \(JSONText.number(s.input)) in, \(JSONText.number(s.output)) out (\(status))")
        }
        if !report.droppedFields.isEmpty {
            print("  dropped (vary within groups): \(report.droppedFields.joined(separator: ", "))")
        }
        if !report.overlayGroups.isEmpty {
            print(
                "  overlay union used for \(report.overlayGroups.count) groups: \(report.overlayGroups.prefix(20).joined(separator: ", "))"
            )
        }
        if report.hairlineHoles > 0 {
            print(
                "  \(report.hairlineHoles) hairline holes between members filled (narrower on average than a billionth of the layer's extent)"
            )
        }
        if report.nullKeys > 0 { print("  \(report.nullKeys) features with an empty key grouped under \"\"") }
        if report.nullGeometries > 0 {
            print("  \(report.nullGeometries) features without geometry (attributes summed)")
        }
    }
}

extension Dissolve.Method: ExpressibleByArgument {}
