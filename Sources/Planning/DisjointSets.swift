/// Union–find with path halving and union by index (Tarjan 1975): near-constant time per
/// operation; the root of a set is its smallest member, so results do not depend on order.
public struct DisjointSets: Sendable {
    private var parent: [Int]

    public init(_ count: Int) { parent = Array(0..<count) }

    public mutating func root(_ x: Int) -> Int {
        var x = x
        while parent[x] != x {
            parent[x] = parent[parent[x]]
            x = parent[x]
        }
        return x
    }

    public mutating func join(_ a: Int, _ b: Int) {
        let ra = root(a), rb = root(b)
        if ra != rb { parent[max(ra, rb)] = min(ra, rb) }
    }
}
