/// Colours the nodes of a graph so that no two neighbours share a colour: the map colouring of
/// plans (neighbouring distritos or circuitos always differ).
///
/// DSatur (Brélaz 1979, "New methods to color the vertices of a graph"): repeatedly colour the
/// uncoloured node with the most distinct colours among its neighbours (ties: more uncoloured
/// neighbours, then the lower index) with the smallest colour none of them uses. O((n + m) n)
/// here; deterministic. Exact on bipartite graphs and in practice within one colour of the
/// optimum on map graphs (which are 4-colourable when planar).
public enum MapColouring {
    /// One colour (0-based) per node. `adjacency[i]` lists the neighbours of node i; edges are
    /// taken in both directions and self-loops and out-of-range indices are ignored.
    public static func dsatur(_ adjacency: [[Int]]) -> [Int] {
        let n = adjacency.count
        var neighbours = [Set<Int>](repeating: [], count: n)
        for (i, list) in adjacency.enumerated() {
            for j in list where j != i && j >= 0 && j < n {
                neighbours[i].insert(j)
                neighbours[j].insert(i)
            }
        }
        var colour = [Int](repeating: -1, count: n)
        var seen = [Set<Int>](repeating: [], count: n)  // colours among a node's neighbours
        var uncolouredDegree = neighbours.map(\.count)
        for _ in 0..<n {
            var pick = -1
            for v in 0..<n where colour[v] < 0 {
                if pick < 0 || seen[v].count > seen[pick].count
                    || (seen[v].count == seen[pick].count && uncolouredDegree[v] > uncolouredDegree[pick])
                {
                    pick = v
                }
            }
            var c = 0
            while seen[pick].contains(c) { c += 1 }
            colour[pick] = c
            for w in neighbours[pick] {
                seen[w].insert(c)
                uncolouredDegree[w] -= 1
            }
        }
        return colour
    }

    /// Pairs of neighbours with the same colour (empty for a proper colouring).
    public static func conflicts(_ adjacency: [[Int]], colours: [Int]) -> [(Int, Int)] {
        var found: [(Int, Int)] = []
        for (i, list) in adjacency.enumerated() {
            for j in list where j > i && j < colours.count && colours[i] == colours[j] { found.append((i, j)) }
        }
        return found
    }
}
