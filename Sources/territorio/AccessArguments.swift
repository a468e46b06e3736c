import ArgumentParser
import GIS
import Workflows

extension AccessSettings.DistanceKind: ExpressibleByArgument {}

/// Inputs shared by `access` and `check coverage`: units, population, establishments, travel.
struct AccessArguments: ParsableArguments {
    @Option(help: "Analysis units (circuitos, parroquias, distritos...): a polygon layer.")
    var units: String

    @Option(help: "Field identifying units.")
    var unitId: String

    @Option(help: "Population polygons (default: the units layer).")
    var population: String?

    @Option(help: "Population field of the population polygons.")
    var populationField = "POB_2022"

    @Option(help: "Field identifying population polygons (default: --unit-id).")
    var populationId: String?

    @Option(
        help: "Population points (grid cells, CSV/GeoJSON/shapefile); combined with the polygons when both are given.")
    var populationPoints: String?

    @Option(help: "Weight field of the population points.")
    var weight = "pop"

    @Flag(help: "Use only the population points, not the polygons.")
    var pointsOnly = false

    @Option(
        help: ArgumentHelp(
            "Field of the population points naming each point's unit (a --unit-id code): the points are not located in the units. Needs --points-only.",
            valueName: "field"))
    var pointUnit: String?

    @Option(help: "Establishments (CSV, GeoJSON or shapefile of points).")
    var establishments: String

    @Option(
        name: [.customLong("type-field"), .customLong("type-column")], help: "Field holding the establishment type.")
    var typeField = "type"

    @Option(help: "CSV 'raw,type' mapping raw type values to service types (default: each raw value, lowercased).")
    var typeMap: String?

    @Option(help: "Field holding capacities (people).")
    var capacityField: String?

    @Option(
        name: [.customLong("establishment-id"), .customLong("id-column")],
        help: "Field identifying establishments (default: record number).")
    var establishmentId: String?

    @Option(help: "Same-type establishments closer than this many metres are reported as duplicates.")
    var duplicateDistance = 5.0

    @Flag(help: "Leave duplicates out instead of keeping them (they are reported either way).")
    var mergeDuplicates = false

    @Option(
        help:
            "Straight lines: geodesic (WGS 84, default) or planar (metres in --planar-crs, as tools on projected layers measure)."
    )
    var distance: AccessSettings.DistanceKind = .geodesic

    @Option(help: "Planar distances: a projected CRS (default: the units layer's CRS when projected, else EPSG:32717).")
    var planarCrs: String?

    @OptionGroup var travel: TravelArguments

    @OptionGroup var input: InputOptions

    func settings() throws -> AccessSettings {
        var s = AccessSettings(units: units, unitId: unitId, establishments: establishments)
        s.population = population
        s.populationField = populationField
        s.populationId = populationId
        s.populationPoints = populationPoints
        s.weight = weight
        s.pointsOnly = pointsOnly
        s.pointUnit = pointUnit
        s.typeField = typeField
        s.typeMap = typeMap
        s.capacityField = capacityField
        s.establishmentId = establishmentId
        s.duplicateDistance = duplicateDistance
        s.mergeDuplicates = mergeDuplicates
        s.readOptions = try input.readOptions()
        s.travel = try travel.settings(defaultSpeed: 30)
        s.distance = distance
        s.planarCRS = planarCrs
        return s
    }

    func load(prepareUnitsGeoJSON: Bool = false) throws -> LoadedAccess {
        try AccessLoader.load(
            try settings(), log: Console.log(quiet: input.quiet), prepareUnitsGeoJSON: prepareUnitsGeoJSON)
    }
}
