import Foundation

extension RoadNetwork {
    /// Metres by road between every pair of `points` (longitude/latitude), as a flat n × n
    /// row-major table: the straight walk from each point to its nearest node, the length of
    /// the fastest route between the two nodes (the route `access` travels, by the class
    /// speeds; Dijkstra 1959) and the walk from the other node. `.infinity` where a point is
    /// farther than ``maxWalkMetres`` from every node or the two nodes are not joined by the
    /// network (islands without a ferry line); 0 on the diagonal. Symmetric.
    ///
    /// One Dijkstra per distinct access node, on all cores: O(k · E log V) time for k distinct
    /// nodes, O(k² + n²) memory for the results.
    public func pairwiseMetres(_ points: [Coordinate]) -> [Double] {
        let n = points.count
        let access = points.map { p -> (node: Int, metres: Double)? in
            guard let hit = nodeIndex.nearest(p), hit.metres <= maxWalkMetres else { return nil }
            return (hit.index, hit.metres)
        }
        let distinct = Array(Set(access.compactMap { $0?.node })).sorted()
        let slot = Dictionary(distinct.enumerated().map { ($0.element, $0.offset) }, uniquingKeysWith: { a, _ in a })
        // Row s: metres along the fastest route from distinct[s] to every distinct node.
        let rows = parallelMap(distinct, grain: 1) { source -> [Double] in
            let (_, metres, _) = dijkstra(sources: [(source, 0, 0, 0)], cutoff: .infinity)
            return distinct.map { metres[$0] }
        }
        var table = [Double](repeating: .infinity, count: n * n)
        for i in 0..<n {
            table[i * n + i] = 0
            guard let a = access[i], let sa = slot[a.node] else { continue }
            for j in 0..<n where j != i {
                guard let b = access[j], let sb = slot[b.node] else { continue }
                // Two routes of equal time may differ in length: the shorter, both ways.
                let road = min(rows[sa][sb], rows[sb][sa])
                if road.isFinite { table[i * n + j] = a.metres + road + b.metres }
            }
        }
        return table
    }
}
