import ArgumentParser
import Workflows

/// How travel times are measured, the same options for `access`, `check coverage` and the
/// services commands (deficit, place, cost, schedule); and a plan's distances, in km, for
/// `propose`, `validate` and `compare` (``planDistances()``).
struct TravelArguments: ParsableArguments {
    @Option(
        help:
            "straight or roads. For propose, validate and compare, a plan's distances in km: a straight line × --detour, or the length of the fastest route along --roads."
    )
    var travel: TravelSettings.Kind = .straight

    @Option(
        name: [.customLong("speed"), .customLong("speed-kmh")],
        help:
            "Straight line: travel speed in km/h (0.1–1,000; default 30 for access, 20 for the services commands; not for a plan's distances)."
    )
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

extension TravelArguments {
    /// The same options as a plan's distances (`propose`, `validate`, `compare`): kilometres
    /// in a straight line × --detour, or by road; no speed, which only times a trip.
    func planDistances() throws -> PlanDistanceOption {
        if speed != nil { throw ValidationError("--speed times a trip; a plan's distances are in kilometres") }
        switch travel {
        case .straight:
            if roads != nil { throw ValidationError("--roads needs --travel roads") }
            return .straight(detour: detour)
        case .roads:
            if detour != 1 { throw ValidationError("--detour is for straight lines") }
            guard case .roads(let r) = try settings(defaultSpeed: 1) else {
                throw ValidationError("--travel roads needs --roads LAYER")
            }
            return .roads(r)
        }
    }
}

extension TravelSettings.Kind: ExpressibleByArgument {}
