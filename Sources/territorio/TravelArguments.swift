import ArgumentParser
import Workflows

/// How travel times are measured, the same options for `access`, `check coverage` and the
/// services commands (deficit, place, cost, schedule).
struct TravelArguments: ParsableArguments {
    @Option(help: "straight or roads.")
    var travel: TravelSettings.Kind = .straight

    @Option(
        name: [.customLong("speed"), .customLong("speed-kmh")],
        help: "Straight line: travel speed in km/h (0.1–1,000; default 30 for access, 20 for the services commands).")
    var speed: Double?

    @Option(help: "Straight line: detour factor (1–10).")
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

    /// The typed settings; `defaultSpeed` is the command's straight-line speed.
    func settings(defaultSpeed: Double) throws -> TravelSettings {
        switch travel {
        case .straight:
            return .straight(speedKmh: speed ?? defaultSpeed, detour: detour)
        case .roads:
            guard let roads else { throw ValidationError("--travel roads needs --roads LAYER") }
            if speed != nil { throw ValidationError("--speed is for straight lines; with roads use --speeds CSV") }
            var r = TravelSettings.RoadSettings(layer: roads)
            r.classField = roadClass
            r.speeds = speeds
            r.walkingKmh = walkingSpeed
            r.snapMetres = snap
            r.maxWalkMetres = maxWalk
            return .roads(r)
        }
    }
}

extension TravelSettings.Kind: ExpressibleByArgument {}
