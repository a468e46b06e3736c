import Foundation
import GIS

/// How travel times are measured: one service for every command that needs them.
public enum TravelSettings: Sendable {
    /// Geodesic straight lines at a speed, times a detour factor.
    case straight(speedKmh: Double, detour: Double)
    /// A road network.
    case roads(RoadSettings)

    public struct RoadSettings: Sendable {
        public var layer: String
        /// Field with the road class (unused when the layer has no such field).
        public var classField = "class"
        /// CSV 'class,speed_kmh' (defaults: primary 80, secondary 50, track 20, ferry 15...).
        public var speeds: String?
        public var walkingKmh = 5.0
        public var snapMetres = 1.0
        public var maxWalkMetres = 5_000.0

        public init(layer: String) { self.layer = layer }
    }

    /// The kind of travel, as `--travel` names it.
    public enum Kind: String, Sendable, CaseIterable {
        case straight, roads
    }

    /// Checks every number and builds the model (reading the road layer when needed).
    public func model(readOptions: LayerReadOptions, proj: ProjContext, log: WorkflowLog) throws -> (
        TravelModel, RoadNetworkReport?
    ) {
        switch self {
        case .straight(let speed, let detour):
            _ = try Checked.number(speed, in: 0.1...1_000, "--speed (km/h)")
            _ = try Checked.number(detour, in: 1...10, "--detour")
            return (.straight(try StraightLine(detour: detour, speedKmh: speed)), nil)
        case .roads(let r):
            _ = try Checked.number(r.walkingKmh, in: 0.1...50, "--walking-speed (km/h)")
            _ = try Checked.number(r.snapMetres, in: 0...10_000, "--snap (m)")
            _ = try Checked.number(r.maxWalkMetres, in: 0...1_000_000, "--max-walk (m)")
            log.step("building the road network")
            let table = try r.speeds.map { try SpeedTable.read($0) } ?? .defaults
            let roadLayer = try LayerIO.read(r.layer, options: readOptions)
            let classField = roadLayer.fieldIndex(r.classField) != nil ? r.classField : nil
            let built = try RoadNetwork.build(
                roadLayer, classField: classField, speeds: table, snapMetres: r.snapMetres,
                walkingKmh: r.walkingKmh, maxWalkMetres: r.maxWalkMetres, proj: proj)
            return (.roads(built), built.report)
        }
    }
}

/// Inputs shared by `access` and `check coverage`: units, population, establishments, travel.
public struct AccessSettings: Sendable {
    public var units: String
    public var unitId: String
    /// Population polygons (default: the units layer).
    public var population: String?
    public var populationField = "POB_2022"
    public var populationId: String?
    /// Population points (grid cells, CSV/GeoJSON/shapefile).
    public var populationPoints: String?
    public var weight = "pop"
    public var pointsOnly = false
    public var establishments: String
    public var typeField = "type"
    /// CSV 'raw,type' mapping raw type values to service types.
    public var typeMap: String?
    public var capacityField: String?
    public var establishmentId: String?
    public var duplicateDistance = 5.0
    public var mergeDuplicates = false
    public var travel: TravelSettings = .straight(speedKmh: 30, detour: 1)
    public var readOptions = LayerReadOptions()

    public init(units: String, unitId: String, establishments: String) {
        self.units = units
        self.unitId = unitId
        self.establishments = establishments
    }
}

/// Units, demand, supply and the travel model, built from ``AccessSettings``.
public struct LoadedAccess {
    public var units: Layer
    public var demand: Demand
    public var supply: Supply
    public var model: TravelModel
    public var network: RoadNetworkReport?
    public let context: GeometryContext
    public let proj: ProjContext
}

public enum AccessLoader {
    public static func load(_ s: AccessSettings, log: WorkflowLog) throws -> LoadedAccess {
        _ = try Checked.number(s.duplicateDistance, in: 0...100_000, "--duplicate-distance (m)")
        let context = GeometryContext()
        let proj = try ProjContext()
        log.step("reading \(s.units)")
        let unitsLayer = try LayerIO.read(s.units, options: s.readOptions)
        guard unitsLayer.kind == .polygon else {
            throw GISError(
                .usage, operation: "read units", file: s.units,
                message: "units must be polygons, the layer holds \(unitsLayer.kind.rawValue)")
        }
        log.step("building demand")
        let source: Demand.Source
        let polygons = try s.population.map { try LayerIO.read($0, options: s.readOptions) } ?? unitsLayer
        if let populationPoints = s.populationPoints {
            var options = s.readOptions
            options.csv.crs = .wgs84
            let points = try LayerIO.read(populationPoints, options: options)
            source =
                s.pointsOnly
                ? .points(points, weight: s.weight)
                : .both(
                    polygons: polygons, field: s.populationField, id: s.populationId ?? s.unitId, points: points,
                    weight: s.weight)
        } else {
            source = .polygons(polygons, field: s.populationField, id: s.populationId ?? s.unitId)
        }
        let demand = try Demand.build(source, units: unitsLayer, unitID: s.unitId, context: context, proj: proj)
        if s.populationPoints != nil, demand.report.input > 0, demand.report.counted == 0 {
            throw GISError(
                .input, operation: "locate population points", file: s.populationPoints,
                message:
                    "no population point falls inside a unit: are longitude and latitude swapped, or is the CRS wrong?")
        }
        log.step("reading establishments")
        var csv = s.readOptions.csv
        csv.skipBadRows = true
        csv.crs = .wgs84
        let format = try LayerFormat(path: s.establishments)
        var rejected: [RejectedRow] = []
        let registry: Layer
        if format == .csv {
            let result = try CSVPointReader.read(s.establishments, options: csv)
            registry = result.layer
            rejected = result.rejected
        } else {
            registry = try LayerIO.read(s.establishments, options: s.readOptions)
        }
        let mapping = try s.typeMap.map { try Supply.mapping(from: $0) } ?? [:]
        let supply = try Supply.build(
            registry, rejected: rejected,
            options: .init(
                typeField: s.typeField, mapping: mapping, capacityField: s.capacityField, idField: s.establishmentId,
                duplicateDistance: s.duplicateDistance, mergeDuplicates: s.mergeDuplicates),
            units: unitsLayer, context: context, proj: proj)
        let located = supply.establishments.count
        if located > 0, supply.report.outsideUnits.count == located {
            throw GISError(
                .input, operation: "locate establishments", file: s.establishments,
                message:
                    "all \(located) establishments fall outside every unit: are longitude and latitude swapped, or is the CRS wrong?"
            )
        }
        let (model, network) = try s.travel.model(readOptions: s.readOptions, proj: proj, log: log)
        return LoadedAccess(
            units: unitsLayer, demand: demand, supply: supply, model: model, network: network, context: context,
            proj: proj)
    }

    /// `--within 15min,30min` or `--within 5km`.
    public static func thresholds(_ text: String) throws -> [Threshold] {
        try text.split(separator: ",").map { try Threshold.parse(String($0)) }
    }
}
