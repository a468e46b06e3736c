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
