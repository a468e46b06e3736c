import Foundation

extension RoadNetwork {
    /// Metres by road between pairs of `points` (longitude/latitude), as a flat n × n
    /// row-major table: the straight walk from each point to its nearest node, the length of
    /// the fastest route between the two nodes (the route `access` travels, by the class
    /// speeds; Dijkstra 1959) and the walk from the other node. `.infinity` where a point is
    /// farther than ``maxWalkMetres`` from every node, the two nodes are not joined by the
    /// network (islands without a ferry line), or the two points share no group; 0 on the
    /// diagonal. Symmetric: each pair is measured once, by the search from the earlier of its
    /// two nodes, so of two routes equally fast the length is the one that search finds.
    ///
    /// `groups` (one per point; nil, or of another length: one group) limits the pairs: a point is measured
    /// only to the points of its own group and to those of group ``everyGroup``, and each
    /// Dijkstra stops once it has settled every node it needs — for a plan whose units never
    /// leave their province, the search stays near the province.
    ///
    /// One Dijkstra per distinct access node, on all cores, each stopping once it has settled
    /// the nodes after it in ``searchOrder(_:)``: O(k · E log V) time at worst for k distinct
    /// nodes (far less with groups), O(k · t + n²) memory for t targets per node.
    public func pairwiseMetres(_ points: [Coordinate], groups: [Int]? = nil) -> [Double] {
        let n = points.count
        let group = groups.flatMap { $0.count == n ? $0 : nil } ?? Array(repeating: 0, count: n)
        let access = points.map { p -> (node: Int, metres: Double)? in
            guard let hit = nodeIndex.nearest(p), hit.metres <= maxWalkMetres else { return nil }
            return (hit.index, hit.metres)
        }
        // The groups each distinct access node serves.
        var groupsAt: [Int: Set<Int>] = [:]
        for (i, a) in access.enumerated() {
            guard let a else { continue }
            groupsAt[a.node, default: []].insert(group[i])
        }
        let sources = searchOrder(groupsAt)
        let rank = Dictionary(sources.enumerated().map { ($0.element, $0.offset) }, uniquingKeysWith: { a, _ in a })
        // Each search settles only the nodes after its source that share a group with it: the
        // distance is symmetric, so a pair is measured once, from the earlier of its nodes.
        var nodesOf: [Int: [Int]] = [:]
        for source in sources {
            for g in groupsAt[source] ?? [] { nodesOf[g, default: []].append(source) }
        }
        let wanted = sources.enumerated().map { k, source -> Set<Int> in
            let served = groupsAt[source] ?? []
            if served.contains(Self.everyGroup) { return Set(sources[(k + 1)...]) }
            var later = Set<Int>()
            for g in served {
                for node in nodesOf[g] ?? [] where (rank[node] ?? 0) > k { later.insert(node) }
            }
            return later
        }
        let rows = parallelMap(count: sources.count, grain: 1) { k in settle(from: sources[k], wanted: wanted[k]) }
        let row = Dictionary(zip(sources, rows), uniquingKeysWith: { a, _ in a })
        var table = [Double](repeating: .infinity, count: n * n)
        for i in 0..<n {
            table[i * n + i] = 0
            guard let a = access[i] else { continue }
            for j in 0..<n where j != i {
                guard let b = access[j], Self.measuredTogether(group[i], group[j]) else { continue }
                let (first, second) = (rank[a.node] ?? 0) <= (rank[b.node] ?? 0) ? (a.node, b.node) : (b.node, a.node)
                let road = first == second ? 0 : row[first]?[second] ?? .infinity
                if road.isFinite { table[i * n + j] = (a.metres + b.metres) + road }  // the same sum both ways
            }
        }
        return table
    }

    /// The order in which ``pairwiseMetres(_:groups:)`` searches from its access nodes: the
    /// nodes measured to every group first (their searches span the country anyway), then
    /// each group's nodes from its edge inwards — farthest from the mean position of its
    /// nodes first — so that what a search must still reach lies ever nearer the middle of
    /// what is left, and the later searches stop early. Ties by node number; O(k log k).
    func searchOrder(_ groupsAt: [Int: Set<Int>]) -> [Int] {
        var sum: [Int: (lon: Double, lat: Double, count: Double)] = [:]
        for (node, served) in groupsAt {
            for g in served {
                let s = sum[g] ?? (0, 0, 0)
                sum[g] = (s.lon + nodes[node].x, s.lat + nodes[node].y, s.count + 1)
            }
        }
        func key(_ node: Int) -> (Int, Double) {
            let served = groupsAt[node] ?? []
            guard !served.contains(Self.everyGroup), let home = served.min(), let s = sum[home] else {
                return (0, 0)
            }
            let dx = (nodes[node].x - s.lon / s.count) * cos(nodes[node].y * .pi / 180)
            let dy = nodes[node].y - s.lat / s.count
            return (1, -(dx * dx + dy * dy))
        }
        let keys = Dictionary(groupsAt.keys.map { ($0, key($0)) }, uniquingKeysWith: { a, _ in a })
        return groupsAt.keys.sorted { a, b in
            let (ka, kb) = (keys[a] ?? (0, 0), keys[b] ?? (0, 0))
            return ka != kb ? ka < kb : a < b
        }
    }

    /// The group whose points are measured to every point.
    public static let everyGroup = -1

    /// Whether ``pairwiseMetres(_:groups:)`` measures a point of group `a` to one of group `b`:
    /// the same group, or either is ``everyGroup``.
    public static func measuredTogether(_ a: Int, _ b: Int) -> Bool {
        a == b || a == everyGroup || b == everyGroup
    }

    /// Dijkstra by minutes from `source` until every node of `wanted` is settled (or none is
    /// left to reach): the metres along the fastest route to each wanted node reached.
    func settle(from source: Int, wanted: Set<Int>) -> [Int: Double] {
        var minutes = [Double](repeating: .infinity, count: nodes.count)
        var metres = [Double](repeating: .infinity, count: nodes.count)
        var settled = [Bool](repeating: false, count: nodes.count)
        var found: [Int: Double] = [:]
        var heap = BinaryHeap()
        minutes[source] = 0
        metres[source] = 0
        heap.push(0, source)
        while found.count < wanted.count, let (d, node) = heap.pop() {
            guard !settled[node], d <= minutes[node] else { continue }
            settled[node] = true
            if wanted.contains(node) { found[node] = metres[node] }
            for e in offsets[node]..<offsets[node + 1] {
                let next = Int(targets[e]), t = d + edgeMinutes[e]
                if t < minutes[next] {
                    minutes[next] = t
                    metres[next] = metres[node] + edgeMetres[e]
                    heap.push(t, next)
                }
            }
        }
        return found
    }
}
