import Foundation
import GIS

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
    /// Field of the population points naming each point's unit (a `unitId` code), read
    /// instead of locating the points; only with `pointsOnly`.
    public var pointUnit: String?
    public var establishments: String
    public var typeField = "type"
    /// CSV 'raw,type' mapping raw type values to service types.
    public var typeMap: String?
    public var capacityField: String?
    public var establishmentId: String?
    public var duplicateDistance = 5.0
    public var mergeDuplicates = false
    public var travel: TravelSettings = .straight(speedKmh: 30, detour: 1)
    /// Straight lines measured as geodesics (default) or in a projected CRS.
    public var distance: DistanceKind = .geodesic
    /// The projected CRS of planar distances (default: the units layer's CRS when projected,
    /// else EPSG:32717).
    public var planarCRS: String?
    public var readOptions = LayerReadOptions()

    /// How straight-line distances are measured.
    public enum DistanceKind: String, Sendable, CaseIterable {
        case geodesic, planar
    }

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
    /// The units' GeoJSON geometries, made on a thread of their own from the moment the units
    /// are read (when asked for): they do not depend on the analysis. Wait for it before
    /// leaving, even on an error.
    public var unitsGeoJSON: BackgroundTask<GeoJSONWriter.GeometryTexts>? = nil
}

public enum AccessLoader {
    /// Reads and builds everything; `prepareUnitsGeoJSON` starts the units' map geometries
    /// in the background (``LoadedAccess/unitsGeoJSON``).
    public static func load(_ s: AccessSettings, log: WorkflowLog, prepareUnitsGeoJSON: Bool = false) throws
        -> LoadedAccess
    {
        _ = try Checked.number(s.duplicateDistance, in: 0...100_000, "--duplicate-distance (m)")
        if s.pointUnit != nil, s.populationPoints == nil || !s.pointsOnly {
            throw GISError(
                .usage, operation: "read population",
                message:
                    "--point-unit names the unit of each population point: it needs --population-points and --points-only"
            )
        }
        let context = GeometryContext()
        let proj = try ProjContext()
        // The registry is read while the units and the demand are: its errors still surface
        // at the step they belong to, after any error of the units or the demand.
        let registryRead = BackgroundTask { try readRegistry(s) }
        defer { registryRead.wait() }  // also when the units or the demand fail
        // The population points too, while the units are read.
        let pointsRead = s.populationPoints.map { path in
            BackgroundTask {
                var options = s.readOptions
                options.csv.crs = .wgs84
                // Column-wise: millions of points without a feature each.
                return try PointColumns.read(
                    path, options: options.csv, numeric: [s.weight], text: s.pointUnit.map { [$0] } ?? [],
                    layerOptions: options)
            }
        }
        defer { pointsRead?.wait() }
        log.step("reading \(s.units)")
        let unitsLayer = try LayerIO.read(s.units, options: s.readOptions)
        guard unitsLayer.kind == .polygon else {
            throw GISError(
                .usage, operation: "read units", file: s.units,
                message: "units must be polygons, the layer holds \(unitsLayer.kind.rawValue)")
        }
        let unitsGeoJSON =
            prepareUnitsGeoJSON ? BackgroundTask(idle: true) { try GeoJSONWriter().geometryTexts(of: unitsLayer) } : nil
        // Joined by the caller on success; here when loading fails.
        var loaded = false
        defer { if !loaded { unitsGeoJSON?.wait() } }
        log.step("building demand")
        let source: Demand.Source
        let polygons = try s.population.map { try LayerIO.read($0, options: s.readOptions) } ?? unitsLayer
        if let pointsRead {
            let points = try pointsRead.value()
            source =
                s.pointsOnly
                ? .columns(points, weightColumn: 0, unitColumn: s.pointUnit.map { (0, $0) })
                : .both(
                    polygons: polygons, field: s.populationField, id: s.populationId ?? s.unitId, points: points,
                    weightColumn: 0)
        } else {
            source = .polygons(polygons, field: s.populationField, id: s.populationId ?? s.unitId)
        }
        // One point index on the units serves the demand and the supply.
        let unitLocator = PolygonLocator(layer: unitsLayer, context: context)
        let demand = try Demand.build(
            source, units: unitsLayer, unitID: s.unitId, context: context, proj: proj, unitLocator: unitLocator)
        if s.populationPoints != nil, demand.report.input > 0, demand.report.counted == 0 {
            throw GISError(
                .input, operation: "locate population points", file: s.populationPoints,
                message:
                    "no population point falls inside a unit: are longitude and latitude swapped, or is the CRS wrong?")
        }
        log.step("reading establishments")
        let (registry, rejected) = try registryRead.value()
        let mapping = try s.typeMap.map { try Supply.mapping(from: $0) } ?? [:]
        let supply = try Supply.build(
            registry, rejected: rejected,
            options: .init(
                typeField: s.typeField, mapping: mapping, capacityField: s.capacityField, idField: s.establishmentId,
                duplicateDistance: s.duplicateDistance, mergeDuplicates: s.mergeDuplicates),
            units: unitsLayer, context: context, proj: proj, unitLocator: unitLocator)
        let located = supply.establishments.count
        if located > 0, supply.report.outsideUnits.count == located {
            throw GISError(
                .input, operation: "locate establishments", file: s.establishments,
                message:
                    "all \(located) establishments fall outside every unit: are longitude and latitude swapped, or is the CRS wrong?"
            )
        }
        var (model, network) = try s.travel.model(readOptions: s.readOptions, proj: proj, log: log)
        if s.distance == .planar {
            guard case .straight(var line) = model else {
                throw GISError(
                    .usage, operation: "planar distances", message: "--distance planar is for --travel straight")
            }
            let unitsCRS = unitsLayer.crs.flatMap { (try? proj.describe($0).isGeographic) == false ? $0 : nil }
            let crs = s.planarCRS.map(CRS.parse) ?? unitsCRS ?? .utm17S
            try PlanarPoints.requireProjected(crs, context: proj)
            line.planarCRS = crs
            model = .straight(line)
        } else if s.planarCRS != nil {
            throw GISError(.usage, operation: "planar distances", message: "--planar-crs needs --distance planar")
        }
        loaded = true
        return LoadedAccess(
            units: unitsLayer, demand: demand, supply: supply, model: model, network: network, context: context,
            proj: proj, unitsGeoJSON: unitsGeoJSON)
    }

    /// The establishments' layer, with the rows a CSV registry rejected.
    static func readRegistry(_ s: AccessSettings) throws -> (Layer, [RejectedRow]) {
        guard try LayerFormat(path: s.establishments) == .csv else {
            return (try LayerIO.read(s.establishments, options: s.readOptions), [])
        }
        var csv = s.readOptions.csv
        csv.skipBadRows = true
        csv.crs = .wgs84
        let result = try CSVPointReader.read(s.establishments, options: csv)
        return (result.layer, result.rejected)
    }

    /// `--within 15min,30min` or `--within 5km`.
    public static func thresholds(_ text: String) throws -> [Threshold] {
        try text.split(separator: ",").map { try Threshold.parse(String($0)) }
    }
}
