import ArgumentParser
import Planning
import Workflows

/// What every service command reads: the plan, the territory, the catalogue and the registry.
struct ServiceArguments: ParsableArguments {
    @Argument(help: "The plan (CSV: dpa_parroq,distrito[,circuito]; official, proposed or repaired).")
    var plan: String

    @OptionGroup var territory: PlanningArguments

    @Option(help: "Standards catalogue (CSV; see Data/standards/README.md; default: the one shipped with territorio).")
    var catalogue: String?

    @Option(help: "Establishments registry: CSV of points (lon/lat).")
    var establishments: String

    @Option(
        name: [.customLong("type-field"), .customLong("type-column")],
        help: "Registry field whose values the catalogue's 'matches' name (e.g. subtype, sostenimiento).")
    var typeField = "subtype"

    @Option(
        help: ArgumentHelp(
            "Rules giving each registry row its typologies and provider from its text fields, in place of --type-field (CSV, see Data/standards/README.md; 'amie': the shipped rules for the AMIE schools registry).",
            valueName: "file"))
    var registryRules: String?

    @Option(
        help: ArgumentHelp(
            "Share (0–1) of each private establishment's capacity netted from the demand the Executive serves, for every typology (default: the catalogue's private_share).",
            valueName: "share"))
    var privateShare: Double?

    @Option(
        name: [.customLong("condition-field"), .customLong("condition-column")],
        help: "Registry field with the building's condition (good/fair/poor or buena/regular/mala); optional.")
    var conditionField = "condition"

    @Option(
        help:
            "Registry field with each establishment's capacity (people it serves; blank: the catalogue's); used when the registry has it."
    )
    var capacityField = "capacity"

    @Option(
        name: [.customLong("establishment-id"), .customLong("id-column")],
        help: "Registry field with the establishment id (default: the row number).")
    var establishmentId: String?

    @Option(help: "Only these sectors or typologies of the catalogue (comma-separated names).")
    var only: String?

    @OptionGroup var travel: TravelArguments

    @Flag(help: "Run on a plan that breaks hard rules (the summary lists the violations).")
    var acceptInvalidPlan = false

    @Flag(
        help:
            "On a plan without circuitos, apply circuito norms per distrito instead of deriving circuitos inside its distritos."
    )
    var noDerivedCircuitos = false

    @Option(help: "Output folder (written all together at the end, or not at all).")
    var out: String

    @OptionGroup var tables: TableOptions

    func options() throws -> ServiceOptions {
        var o = ServiceOptions(plan: plan, establishments: establishments)
        if let catalogue { o.catalogue = catalogue }
        o.typeField = typeField
        o.registryRules = registryRules.map { $0 == "amie" ? DataFiles.path(DataFiles.registryAMIE) : $0 }
        o.privateShare = privateShare
        o.conditionField = conditionField
        o.capacityField = capacityField
        o.idField = establishmentId
        o.only = only.map { $0.split(separator: ",").map(String.init) }
        o.travel = try travel.settings(defaultSpeed: 20)
        o.acceptInvalidPlan = acceptInvalidPlan
        o.deriveCircuitos = !noDerivedCircuitos
        return o
    }

    var log: WorkflowLog { territory.log }

    func load() throws -> LoadedServices { try ServiceLoader.load(territory.options, try options(), log: log) }

    /// The national lines on stdout, the notes on stderr.
    func finish(_ loaded: LoadedServices) {
        for n in ServiceTables.notes(loaded) { Console.note(n) }
        for line in ServiceTables.nationalLines(loaded.deficit) { print(line) }
    }
}

/// How sites are chosen, for `place` and `schedule`.
struct PlacementArguments: ParsableArguments {
    @Option(help: "Placement objective: coverage (MCLP) or median (p-median).")
    var objective: PlacementObjective = .coverage

    @Option(help: "Extra candidate sites (CSV of points lon/lat, optional id column 'id').")
    var sites: String?

    @Option(help: "Time limit of the MIP solver per problem, seconds.")
    var mipSeconds = 10.0

    @Flag(help: "Do not use the MIP solver (enumeration or vertex substitution only).")
    var noMip = false

    @Option(help: "Solver of the placement MIPs: glpk or cbc.")
    var solver: MIPSolver = .glpk

    @Option(
        help:
            "Population points (CSV lon/lat): each parroquia's population centres (weighted k-means, snapped to a point) become candidate sites and its demand."
    )
    var populationPoints: String?

    @Option(help: "With --population-points: the weight column (default: every point weighs 1).")
    var populationWeight: String?

    @Option(
        help:
            "With --population-points: one population centre (candidate site and demand node) per this many people of a parroquia, at most 64."
    )
    var peoplePerCentre = 5_000.0

    @Flag(help: "Also write sites.gpkg: the proposed sites as a GeoPackage layer 'sites'.")
    var gpkg = false

    var settings: PlacementSettings {
        var s = PlacementSettings()
        s.objective = objective
        s.sites = sites
        s.mipSeconds = mipSeconds
        s.useMIP = !noMip
        s.solverChoice = solver
        s.populationPoints = populationPoints
        s.populationWeight = populationWeight
        s.peoplePerCentre = peoplePerCentre
        s.geoPackage = gpkg
        return s
    }
}

extension PlacementObjective: ExpressibleByArgument {}
