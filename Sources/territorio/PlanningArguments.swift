import ArgumentParser
import Workflows

/// The options that build a planning territory, shared by validate, compare, propose and the
/// service commands; ``options`` turns them into Workflows' typed ``TerritoryOptions``.
struct PlanningArguments: ParsableArguments {
    @Option(help: "Parroquia polygons (the units plans are made of).")
    var units: String

    @Option(help: "Field with the 6-digit parroquia code.")
    var unitId = "DPA_PARROQ"

    @Option(help: "Field with the population.")
    var populationField = "POB_2022"

    @Option(help: "Field with the parroquia name.")
    var nameField = "DPA_DESPAR"

    @Option(
        help:
            "CSV of links joining islands: columns a,b (parroquia codes). 'auto' uses the proposed ones: islands to the mainland, then detached parts of a cantón to the rest of it."
    )
    var links: String?

    @Option(help: "Zona grouping (CSV zona,province,canton; default: the table shipped with territorio).")
    var zonas: String?

    @Option(
        help:
            "DPA recode CSV (dpa_parroq_2022,dpa_parroq_2012,method): units recoded to another cantón take its cantón and province."
    )
    var recode: String?

    @Option(help: "Distrito population target (1–1,000,000,000).")
    var distritoTarget = 90_000

    @Option(help: "Circuito population target (1–1,000,000,000).")
    var circuitoTarget = 11_000

    @Option(help: "Relative deviation from the target tolerated before a unit is flagged (0–100).")
    var tolerance = 0.5

    @Option(
        help:
            "The cantones that may be divided into several distritos (CSV with a 'canton' column; default: the table shipped with territorio, the five cities the source names)."
    )
    var divisibleCantones: String?

    @Option(
        help:
            "Population of a distrito inside a divisible cantón (default 3 × --distrito-target; those cities are exempt from the average, and outside --distritos totals). Each city takes the count of distritos whose equal shares lie nearest it."
    )
    var cityDistritoTarget: Int?

    @Option(
        help:
            "Instead of the table: a cantón may be divided into distritos when above this population (1–1,000,000,000)."
    )
    var splitCantonAbove: Int?

    @Flag(help: "Deviations beyond the tolerance are violations, not warnings.")
    var strictBalance = false

    @Flag(
        help:
            "Divide parroquias above 1.5 × the circuito target into contiguous pieces of about one circuito (ids PARENT-NNN)."
    )
    var split = false

    @Option(
        help:
            "With --split: population points that weight the pieces (CSV with lon/lat, or any layer; polygons count by their interior point). Without it pieces are equal in area."
    )
    var splitPoints: String?

    @Option(help: "With --split-points: the column holding each point's weight (default: every point weighs 1).")
    var splitWeight: String?

    @Option(
        help:
            "With --split: where oversized parroquias may be divided (CSV scope,code: cabeceras | canton CODE | parroquia CODE | all; default: the table shipped with territorio, 'all' — every oversized parroquia; Data/rules/divisible_parroquias_urban.csv allows only the cabeceras cantonales and the five named cities). Others stay whole, named as exceptions."
    )
    var divisibleParroquias: String?

    @Option(
        help:
            "Points standing for where people live (CSV with lon/lat, or any layer; e.g. schools): each parroquia's people are placed at the weighted medoid of the points inside it for every distance to a seat. Without it, at the polygon's interior point."
    )
    var peoplePoints: String?

    @Option(help: "With --people-points: the column holding each point's weight (default: every point weighs 1).")
    var peopleWeight: String?

    @Flag(help: "No progress messages on stderr.")
    var quiet = false

    var options: TerritoryOptions {
        var o = TerritoryOptions(units: units)
        o.unitId = unitId
        o.populationField = populationField
        o.nameField = nameField
        o.links = LinksOption(argument: links)
        if let zonas { o.zonas = zonas }
        o.recode = recode
        o.distritoTarget = distritoTarget
        o.circuitoTarget = circuitoTarget
        o.tolerance = tolerance
        o.splitCantonAbove = splitCantonAbove
        if let divisibleCantones { o.divisibleCantons = divisibleCantones }
        o.cityDistritoTarget = cityDistritoTarget
        o.strictBalance = strictBalance
        o.split = split
        o.splitPoints = splitPoints
        o.splitWeight = splitWeight
        o.divisibleParroquias = divisibleParroquias
        o.peoplePoints = peoplePoints
        o.peopleWeight = peopleWeight
        return o
    }

    var log: WorkflowLog { Console.log(quiet: quiet) }

    /// The territory options with a plan's distances (``TravelArguments/planDistances()``).
    func options(distances: PlanDistanceOption) -> TerritoryOptions {
        var o = options
        o.distances = distances
        return o
    }

    func load(distances: PlanDistanceOption = .straight(detour: 1)) throws -> LoadedTerritory {
        try TerritoryLoader.load(options(distances: distances), log: log)
    }
}
