import GIS
import Planning

/// How a plan's distances are measured — the distance bounds, compactness and access from the
/// people to the seat: a straight line, or along a road layer.
public enum PlanDistanceOption: Sendable {
    /// The geodesic straight line times a detour factor (1–10).
    case straight(detour: Double)
    /// Along the roads of a line layer (``RoadNetwork``): the walk to the network, the length
    /// of the fastest route, the walk from it.
    case roads(TravelSettings.RoadSettings)

    /// Checks the numbers at the border.
    func validated() throws -> PlanDistanceOption {
        switch self {
        case .straight(let detour): _ = try Checked.number(detour, in: 1...10, "--detour")
        case .roads(let r):
            _ = try Checked.number(r.snapMetres, in: 0...10_000, "--snap (m)")
            _ = try Checked.number(r.maxWalkMetres, in: 0...1_000_000, "--max-walk (m)")
        }
        return self
    }
}

/// The planning module's distances (``DistanceMetric``) as the plan's option asks: the geodesic
/// straight line (GeographicLib's `geod_inverse`) times the detour factor, or a table of road
/// distances between the units' locations of each province (``RoadNetwork/pairwiseMetres(_:groups:)``).
/// By road, a pair the roads do not join (a unit beyond the walking limit, an island without
/// a ferry line), a pair across provinces, or a point that is no unit's location, is measured
/// in a straight line; a road distance is never shorter than the straight line between the
/// same points.
///
/// A concrete type, so the planning module's generic code is specialised for it; with a
/// detour of 1 it returns the geodesic distance exactly, as ``GeodesicMetric`` does.
public struct PlanMetric: DistanceMetric {
    enum Kind: Sendable {
        case straight(detour: Double)
        case roads(index: [GeoPoint: Int], count: Int, metres: [Double])
    }

    let kind: Kind
    let geodesic = Geodesic()

    /// The straight line, no detour.
    public static let geodesic = PlanMetric(kind: .straight(detour: 1))

    public func metres(_ a: GeoPoint, _ b: GeoPoint) -> Double {
        let straight = geodesic.distance(Coordinate(a.lon, a.lat), Coordinate(b.lon, b.lat))
        switch kind {
        case .straight(let detour):
            return straight * detour
        case .roads(let index, let count, let metres):
            guard let i = index[a], let j = index[b] else { return straight }
            let road = metres[i * count + j]
            return road.isFinite ? max(road, straight) : straight
        }
    }

    /// The metric for `units` (their final locations) and what it says of itself for the
    /// report; by road, builds the network and one Dijkstra per distinct access node.
    static func build(_ option: PlanDistanceOption, units: [PlanningUnit], log: WorkflowLog) throws -> (
        PlanMetric, String
    ) {
        switch try option.validated() {
        case .straight(let detour):
            return (
                PlanMetric(kind: .straight(detour: detour)),
                detour == 1
                    ? "Distances are geodesic straight lines."
                    : "Distances are geodesic straight lines × \(fmt(detour, 2)) (the detour factor)."
            )
        case .roads(let settings):
            let (model, _) = try TravelSettings.roads(settings).model(
                readOptions: LayerReadOptions(), proj: try ProjContext(), log: log)
            guard case .roads(let network) = model else {
                throw WorkflowError("\(settings.layer): no road network was built")
            }
            // Each location's province (a distrito never spans two, so pairs across provinces
            // are never a distance to a seat): the searches stay near each province. The
            // undelimited zones, which join a neighbour's distritos, are measured to all.
            var province: [GeoPoint: String] = [:]
            for u in units {
                let p = u.isUndelimited ? "" : u.province
                if let seen = province[u.location], seen != p {
                    province[u.location] = ""
                } else {
                    province[u.location] = p
                }
            }
            let points = province.keys.sorted { ($0.lon, $0.lat) < ($1.lon, $1.lat) }
            let codes = Set(province.values).subtracting([""]).sorted()
            let number = Dictionary(codes.enumerated().map { ($0.element, $0.offset) }, uniquingKeysWith: { a, _ in a })
            let groups = points.map { number[province[$0] ?? ""] ?? RoadNetwork.everyGroup }
            log.step("road distances between \(points.count) unit locations")
            let metres = network.pairwiseMetres(points.map { Coordinate($0.lon, $0.lat) }, groups: groups)
            let index = Dictionary(points.enumerated().map { ($0.element, $0.offset) }, uniquingKeysWith: { a, _ in a })
            let n = points.count
            var measured = 0, unjoined = 0
            for i in 0..<n {
                for j in i + 1..<n where RoadNetwork.measuredTogether(groups[i], groups[j]) {
                    measured += 1
                    if !metres[i * n + j].isFinite { unjoined += 1 }
                }
            }
            return (
                PlanMetric(kind: .roads(index: index, count: n, metres: metres)),
                "Distances are along the roads of \(settings.layer) (\(network.nodeCount) nodes; the length of the fastest route, with straight walks of up to \(fmt(settings.maxWalkMetres)) m to and from it) between the units of a province; \(unjoined) of those \(measured) pairs the roads do not join, and pairs across provinces, are straight lines."
            )
        }
    }
}
