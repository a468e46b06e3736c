import GIS
import Planning

/// Planning's ``TravelTimes`` answered by a GIS ``TravelModel``, so that the services commands
/// measure travel exactly as `access` does: straight lines (geodesic, `geod_inverse`, × detour
/// at a speed) or a road network (Dijkstra on the network, walking off-road to and from it).
public struct ModelTravelTimes: TravelTimes {
    public let model: TravelModel

    public init(_ model: TravelModel) { self.model = model }

    public var description: String { model.description }

    /// Straight lines: O(origins × destinations) geodesics. Roads: one Dijkstra over the whole
    /// network per destination (``TravelModel/matrix(_:supply:candidates:cutoffMinutes:)``
    /// without a cutoff), unreachable pairs at infinity.
    public func minutes(from origins: [GeoPoint], to destinations: [GeoPoint]) -> [[Double]] {
        guard !origins.isEmpty, !destinations.isEmpty else { return origins.map { _ in [] } }
        switch model {
        case .straight(let line):
            return StraightLineTimes(metric: GeodesicMetric(), speedKmh: line.speedKmh, detour: line.detour)
                .minutes(from: origins, to: destinations)
        case .roads:
            let supply = Self.supply(destinations)
            let sparse = model.matrix(
                Self.demand(origins), supply: supply, candidates: Array(destinations.indices),
                cutoffMinutes: .infinity)
            return sparse.rows.map { row in
                var dense = [Double](repeating: .infinity, count: destinations.count)
                for (j, minutes) in row { dense[j] = minutes }
                return dense
            }
        }
    }

    /// One nearest-neighbour query per origin (k-d tree on the sphere for straight lines, one
    /// multi-source Dijkstra for roads).
    public func nearestMinutes(from origins: [GeoPoint], to destinations: [GeoPoint]) -> [Double] {
        guard !destinations.isEmpty else { return origins.map { _ in .infinity } }
        return model.nearest(
            Self.demand(origins), supply: Self.supply(destinations), candidates: Array(destinations.indices)
        ).map(\.minutes)
    }

    static func demand(_ points: [GeoPoint]) -> [DemandPoint] {
        points.map { DemandPoint(location: Coordinate($0.lon, $0.lat), population: 0, unit: nil) }
    }

    static func supply(_ points: [GeoPoint]) -> Supply {
        Supply(
            establishments: points.enumerated().map {
                GIS.Establishment(
                    id: String($0.offset), location: Coordinate($0.element.lon, $0.element.lat), type: "", capacity: nil,
                    unit: nil)
            }, report: SupplyReport())
    }
}
