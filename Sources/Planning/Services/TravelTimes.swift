/// Travel times between places, as the services analyses need them: from the seats of the
/// planning units to establishments and candidate sites. The Workflows module provides one
/// backed by the GIS travel models (straight lines or a road network); tests use
/// ``StraightLineTimes`` with a simple metric.
public protocol TravelTimes: Sendable {
    /// Minutes from every origin to every destination, one row per origin; `.infinity` where a
    /// destination cannot be reached.
    func minutes(from origins: [GeoPoint], to destinations: [GeoPoint]) -> [[Double]]

    /// Minutes from every origin to its nearest destination (`.infinity` when none is
    /// reachable or there is none).
    func nearestMinutes(from origins: [GeoPoint], to destinations: [GeoPoint]) -> [Double]

    /// One line saying how times are measured, for reports.
    var description: String { get }
}

extension TravelTimes {
    /// O(origins × destinations) through ``minutes(from:to:)``; providers with a spatial index
    /// override it.
    public func nearestMinutes(from origins: [GeoPoint], to destinations: [GeoPoint]) -> [Double] {
        minutes(from: origins, to: destinations).map { $0.min() ?? .infinity }
    }
}

/// Straight-line travel: `metric` distance × `detour` at `speedKmh`.
public struct StraightLineTimes<Metric: DistanceMetric>: TravelTimes {
    public let metric: Metric
    public let speedKmh: Double
    public let detour: Double

    public init(metric: Metric, speedKmh: Double, detour: Double = 1) {
        self.metric = metric
        self.speedKmh = speedKmh
        self.detour = detour
    }

    var metresPerMinute: Double { speedKmh * 1000 / 60 }

    public func minutes(from origins: [GeoPoint], to destinations: [GeoPoint]) -> [[Double]] {
        origins.map { o in destinations.map { metric.metres(o, $0) * detour / metresPerMinute } }
    }

    public var description: String { "straight line × \(detour) at \(speedKmh) km/h" }
}
