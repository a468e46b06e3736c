import Foundation

extension RoadNetwork {
    /// Metres by road between pairs of `points` (longitude/latitude), as a flat n × n
    /// row-major table: the straight walk from each point to its nearest node, the length of
    /// the fastest route between the two nodes (the route `access` travels, by the class
    /// speeds; Dijkstra 1959) and the walk from the other node. `.infinity` where a point is
    /// farther than ``maxWalkMetres`` from every node, the two nodes are not joined by the
    /// network (islands without a ferry line), or the two points share no group; 0 on the
    /// diagonal. Symmetric.
    ///
    /// `groups` (one per point; nil, or of another length: one group) limits the pairs: a point is measured
    /// only to the points of its own group and to those of group ``everyGroup``, and each
    /// Dijkstra stops once it has settled every node it needs — for a plan whose units never
    /// leave their province, the search stays near the province.
    ///
    /// One Dijkstra per distinct access node, on all cores: O(k · E log V) time at worst for k
    /// distinct nodes (far less with groups), O(k · t + n²) memory for t targets per node.
    public func pairwiseMetres(_ points: [Coordinate], groups: [Int]? = nil) -> [Double] {
        let n = points.count
        let group = groups.flatMap { $0.count == n ? $0 : nil } ?? Array(repeating: 0, count: n)
        let access = points.map { p -> (node: Int, metres: Double)? in
            guard let hit = nodeIndex.nearest(p), hit.metres <= maxWalkMetres else { return nil }
            return (hit.index, hit.metres)
        }
        // The groups each distinct access node serves, and the nodes each group needs.
        var groupsAt: [Int: Set<Int>] = [:]
        var nodesOf: [Int: Set<Int>] = [:]
        var universal = Set<Int>()
        for (i, a) in access.enumerated() {
            guard let a else { continue }
            groupsAt[a.node, default: []].insert(group[i])
            if group[i] == Self.everyGroup {
                universal.insert(a.node)
            } else {
                nodesOf[group[i], default: []].insert(a.node)
            }
        }
        let allNodes = Set(groupsAt.keys)
        let sources = groupsAt.keys.sorted()
        let wanted = sources.map { source -> Set<Int> in
            let served = groupsAt[source] ?? []
            return served.contains(Self.everyGroup)
                ? allNodes : served.reduce(into: universal) { $0.formUnion(nodesOf[$1] ?? []) }
        }
        let rows = parallelMap(count: sources.count, grain: 1) { k in settle(from: sources[k], wanted: wanted[k]) }
        let row = Dictionary(zip(sources, rows), uniquingKeysWith: { a, _ in a })
        var table = [Double](repeating: .infinity, count: n * n)
        for i in 0..<n {
            table[i * n + i] = 0
            guard let a = access[i] else { continue }
            for j in 0..<n where j != i {
                guard let b = access[j], Self.measuredTogether(group[i], group[j]) else { continue }
                // Two routes of equal time may differ in length: the shorter, both ways.
                let road = min(row[a.node]?[b.node] ?? .infinity, row[b.node]?[a.node] ?? .infinity)
                if road.isFinite { table[i * n + j] = a.metres + road + b.metres }
            }
        }
        return table
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
