import ArgumentParser
import Foundation
import GIS

/// Inputs shared by `access` and `check coverage`: units, population, establishments, travel.
struct AccessInputs: ParsableArguments {
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

    @Option(help: "Establishments (CSV, GeoJSON or shapefile of points).")
    var establishments: String

    @Option(help: "Field holding the establishment type.")
    var typeField = "type"

    @Option(help: "CSV 'raw,type' mapping raw type values to service types (default: each raw value, lowercased).")
    var typeMap: String?

    @Option(help: "Field holding capacities (people).")
    var capacityField: String?

    @Option(help: "Field identifying establishments (default: record number).")
    var establishmentId: String?

    @Option(help: "Same-type establishments closer than this many metres are reported as duplicates.")
    var duplicateDistance = 5.0

    @Flag(help: "Leave duplicates out instead of keeping them (they are reported either way).")
    var mergeDuplicates = false

    @Option(help: "straight or roads.")
    var travel = "straight"

    @Option(help: "Straight line: travel speed in km/h.")
    var speed = 30.0

    @Option(help: "Straight line: detour factor (≥ 1).")
    var detour = 1.0

    @Option(help: "Roads: a line layer.")
    var roads: String?

    @Option(help: "Roads: field with the road class.")
    var roadClass = "class"

    @Option(help: "Roads: CSV 'class,speed_kmh' (defaults: primary 80, secondary 50, track 20, ferry 15...).")
    var speeds: String?

    @Option(help: "Roads: off-road walking speed, km/h.")
    var walkingSpeed = 5.0

    @Option(help: "Roads: vertices closer than this many metres are one node.")
    var snap = 1.0

    @Option(help: "Roads: longest walk to or from the network, metres.")
    var maxWalk = 5_000.0

    @OptionGroup var input: InputOptions

    struct Loaded {
        var units: Layer
        var demand: Demand
        var supply: Supply
        var model: TravelModel
        var network: RoadNetworkReport?
        let context: GeometryContext
        let proj: ProjContext
    }

    func load() throws -> Loaded {
        let progress = Progress(quiet: input.quiet)
        let context = GeometryContext()
        let proj = try ProjContext()
        let unitsLayer = try input.read(units)
        guard unitsLayer.kind == .polygon else {
            throw GISError(
                .usage, operation: "read units", file: units,
                message: "units must be polygons, the layer holds \(unitsLayer.kind.rawValue)")
        }
        progress.step("building demand")
        let source: Demand.Source
        let polygons = try population.map { try input.read($0) } ?? unitsLayer
        if let populationPoints {
            var options = try input.readOptions()
            options.csv.crs = .wgs84
            let points = try LayerIO.read(populationPoints, options: options)
            source =
                pointsOnly
                ? .points(points, weight: weight)
                : .both(
                    polygons: polygons, field: populationField, id: populationId ?? unitId, points: points,
                    weight: weight)
        } else {
            source = .polygons(polygons, field: populationField, id: populationId ?? unitId)
        }
        let demand = try Demand.build(source, units: unitsLayer, unitID: unitId, context: context, proj: proj)
        progress.step("reading establishments")
        var csv = try input.readOptions().csv
        csv.skipBadRows = true
        csv.crs = .wgs84
        let format = try LayerFormat(path: establishments)
        var rejected: [RejectedRow] = []
        let registry: Layer
        if format == .csv {
            let result = try CSVPointReader.read(establishments, options: csv)
            registry = result.layer
            rejected = result.rejected
        } else {
            registry = try input.read(establishments)
        }
        let mapping = try typeMap.map { try Supply.mapping(from: $0) } ?? [:]
        let supply = try Supply.build(
            registry, rejected: rejected,
            options: .init(
                typeField: typeField, mapping: mapping, capacityField: capacityField, idField: establishmentId,
                duplicateDistance: duplicateDistance, mergeDuplicates: mergeDuplicates),
            units: unitsLayer, context: context, proj: proj)
        let model: TravelModel
        var network: RoadNetworkReport? = nil
        switch travel {
        case "straight":
            model = .straight(try StraightLine(detour: detour, speedKmh: speed))
        case "roads":
            guard let roads else { throw ValidationError("--travel roads needs --roads LAYER") }
            progress.step("building the road network")
            let table = try speeds.map { try SpeedTable.read($0) } ?? .defaults
            let roadLayer = try input.read(roads)
            let classField = roadLayer.fieldIndex(roadClass) != nil ? roadClass : nil
            let built = try RoadNetwork.build(
                roadLayer, classField: classField, speeds: table, snapMetres: snap, walkingKmh: walkingSpeed,
                maxWalkMetres: maxWalk, proj: proj)
            model = .roads(built)
            network = built.report
        default:
            throw ValidationError("--travel must be straight or roads")
        }
        return Loaded(
            units: unitsLayer, demand: demand, supply: supply, model: model, network: network, context: context,
            proj: proj)
    }
}

/// `--within 15min,30min` or `--within 5km`.
func parseThresholds(_ text: String) throws -> [Threshold] {
    try text.split(separator: ",").map { try Threshold.parse(String($0)) }
}
