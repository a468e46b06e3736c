import Foundation

/// How travel is measured; every result says which one was used.
public enum TravelModel: Sendable {
    /// Geodesic distance × detour factor at a constant speed.
    case straight(StraightLine)
    /// Shortest time on a road network, walking off-road to and from it.
    case roads(RoadNetwork)

    public var name: String {
        switch self {
        case .straight: "straight"
        case .roads: "roads"
        }
    }

    public var description: String {
        switch self {
        case .straight(let s):
            s.planarCRS.map { "straight line: planar distance in \($0) × detour \(s.detour) at \(s.speedKmh) km/h" }
                ?? "straight line: geodesic distance (WGS 84) × detour \(s.detour) at \(s.speedKmh) km/h"
        case .roads(let r):
            "road network: \(r.nodeCount) nodes, \(r.edgeCount) edges, walking \(r.walkingKmh) km/h off-road"
        }
    }
}

/// Straight-line travel: geodesic metres × `detour`, at `speedKmh` — or planar metres in
/// `planarCRS` (a projected CRS) when it is set, for comparisons with tools that measure in
/// a projection. Planar distances are honoured by ``AccessAnalysis`` (nearest, coverage,
/// floating catchments, capacity allocation); other users of the model measure geodesics.
public struct StraightLine: Sendable {
    public var detour: Double
    public var speedKmh: Double
    public var planarCRS: CRS? = nil

    public init(detour: Double = 1, speedKmh: Double = 30) throws {
        guard detour >= 1, detour.isFinite else {
            throw GISError(
                .usage, operation: "straight-line travel", message: "detour factor must be ≥ 1, got \(detour)")
        }
        guard speedKmh > 0, speedKmh.isFinite else {
            throw GISError(
                .usage, operation: "straight-line travel", message: "speed must be positive, got \(speedKmh)")
        }
        self.detour = detour
        self.speedKmh = speedKmh
    }

    public func minutes(metres: Double) -> Double { metres * detour / (speedKmh * 1000 / 60) }
    public func metres(minutes: Double) -> Double { minutes * speedKmh * 1000 / 60 / detour }
}

/// For one demand point and one service type: the nearest establishment and how far.
public struct NearestResult: Sendable, Hashable {
    /// Index into ``Supply/establishments``; nil when none is reachable.
    public var establishment: Int?
    /// Travel distance in metres (geodesic for straight lines; network + walking for roads).
    public var metres: Double
    public var minutes: Double
}

/// A sparse demand × establishment table of travel times within a cutoff.
public struct TravelMatrix: Sendable {
    /// Per demand point: (establishment index, minutes), ascending establishment.
    public var rows: [[(establishment: Int, minutes: Double)]]
    public var cutoffMinutes: Double
    public var pairCount: Int { rows.reduce(0) { $0 + $1.count } }

    public init(rows: [[(establishment: Int, minutes: Double)]], cutoffMinutes: Double) {
        self.rows = rows
        self.cutoffMinutes = cutoffMinutes
    }
}

extension TravelModel {
    /// Nearest establishment among `candidates` (indices into `supply`) for every demand
    /// point, on two cores.
    public func nearest(_ demand: [DemandPoint], supply: Supply, candidates: [Int], cutoffMinutes: Double = .infinity)
        -> [NearestResult]
    {
        switch self {
        case .straight(let s):
            let index = SphereIndex(candidates.map { supply.establishments[$0].location })
            return index.nearestAll(parallelMap(demand, grain: 1 << 16) { $0.location }) { hit in
                guard let hit else {
                    return NearestResult(establishment: nil, metres: .infinity, minutes: .infinity)
                }
                return NearestResult(
                    establishment: candidates[hit.index], metres: hit.metres * s.detour,
                    minutes: s.minutes(metres: hit.metres))
            }
        case .roads(let network):
            return network.nearest(demand, supply: supply, candidates: candidates, cutoffMinutes: cutoffMinutes)
        }
    }

    /// All (demand, establishment) pairs within `cutoffMinutes`.
    public func matrix(_ demand: [DemandPoint], supply: Supply, candidates: [Int], cutoffMinutes: Double)
        -> TravelMatrix
    {
        switch self {
        case .straight(let s):
            let index = SphereIndex(candidates.map { supply.establishments[$0].location })
            let radius = s.metres(minutes: cutoffMinutes)
            let rows = parallelMap(demand) { p in
                index.within(p.location, metres: radius).map { (candidates[$0.index], s.minutes(metres: $0.metres)) }
            }
            return TravelMatrix(rows: rows, cutoffMinutes: cutoffMinutes)
        case .roads(let network):
            return network.matrix(demand, supply: supply, candidates: candidates, cutoffMinutes: cutoffMinutes)
        }
    }
}

/// `map` split into contiguous chunks run on all cores (`DispatchQueue.concurrentPerform`);
/// results keep the input order. Every chunk initializes its own range of the result's
/// storage in place (`Array(unsafeUninitializedCapacity:)`), so the result needs no joining
/// copy and its pages are first touched on all cores; since `transform` cannot throw, every
/// element is initialized exactly once before the array takes ownership of them (an earlier
/// raw-buffer version that freed its buffer without deinitializing leaked results holding
/// references; this one hands the buffer to the array). `grain` is the fewest items worth a
/// task: below twice that, the map runs on the calling thread. `tasksPerCore` chunks per core
/// at most (more when items cost very unequal amounts: the cores take chunks as they free up).
public func parallelMap<T: Sendable, R: Sendable>(
    _ items: [T], grain: Int = 1_000, tasksPerCore: Int = 4, _ transform: @Sendable (T) -> R
) -> [R] {
    items.withUnsafeBufferPointer { input in
        nonisolated(unsafe) let source = input
        return parallelMap(count: items.count, grain: grain, tasksPerCore: tasksPerCore) { transform(source[$0]) }
    }
}

/// ``parallelMap(_:grain:tasksPerCore:_:)`` over the indices `0..<count`.
public func parallelMap<R: Sendable>(
    count n: Int, grain: Int = 1_000, tasksPerCore: Int = 4, _ transform: @Sendable (Int) -> R
) -> [R] {
    let grain = max(1, grain)
    guard n >= 2 * grain else { return (0..<max(0, n)).map(transform) }
    let chunks = max(1, min(ProcessInfo.processInfo.activeProcessorCount * max(1, tasksPerCore), n / grain))
    let size = (n + chunks - 1) / chunks
    return [R](unsafeUninitializedCapacity: n) { output, count in
        nonisolated(unsafe) let target = output
        DispatchQueue.concurrentPerform(iterations: chunks) { c in
            let lo = c * size, hi = min(n, lo + size)
            guard lo < hi, let base = target.baseAddress else { return }
            for i in lo..<hi { (base + i).initialize(to: transform(i)) }
        }
        count = n
    }
}
