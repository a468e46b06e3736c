/// How two plans differ at one level (distritos or circuitos), over the units both plan.
public struct PlanComparison: Sendable {
    /// Code in A → matched code in B (Hungarian matching maximising shared population).
    public var matching: [String: String]
    /// Share of units, and of people, whose A unit matches their B unit.
    public var sameUnitShare: Double
    public var samePopulationShare: Double
    /// Adjusted Rand index over the units (Hubert & Arabie 1985, doi:10.1007/BF01908075): 1 for
    /// identical partitions, about 0 for unrelated ones.
    public var adjustedRand: Double
    /// B units drawing on two or more A units (merges), A units spread over two or more B units
    /// (splits), B units sharing no unit with their match or unmatched (created), A units left
    /// unmatched (removed).
    public var merged: [String]
    public var split: [String]
    public var created: [String]
    public var removed: [String]
    /// Units whose matched code changes: (unit, A code, B code, population).
    public var moves: [(unit: String, from: String, to: String, population: Int)]
    public var compared: Int

    /// Compares `a` and `b`; `level` picks distritos or circuitos. A split unit counts under
    /// its first code.
    public static func compare(_ a: Plan, _ b: Plan, territory: Territory, circuitos: Bool = false) -> PlanComparison {
        func code(_ p: Plan, _ id: String) -> String? {
            guard let x = p.assignments[id] else { return nil }
            return circuitos ? x.circuitos.first : x.distritos.first
        }
        var pairs: [(unit: PlanningUnit, a: String, b: String)] = []
        for u in territory.units {
            if let x = code(a, u.id), let y = code(b, u.id) { pairs.append((u, x, y)) }
        }
        let aCodes = Array(Set(pairs.map(\.a))).sorted(), bCodes = Array(Set(pairs.map(\.b))).sorted()
        let ai = Dictionary(uniqueKeysWithValues: aCodes.enumerated().map { ($1, $0) })
        let bi = Dictionary(uniqueKeysWithValues: bCodes.enumerated().map { ($1, $0) })
        var people = [[Double]](repeating: [Double](repeating: 0, count: bCodes.count), count: aCodes.count)
        var counts = [[Int]](repeating: [Int](repeating: 0, count: bCodes.count), count: aCodes.count)
        for p in pairs {
            guard let i = ai[p.a], let j = bi[p.b] else { continue }
            people[i][j] += Double(p.unit.population)
            counts[i][j] += 1
        }
        // Hungarian on (population + 1e-6 × units) so that empty units still match by count.
        let weight = people.enumerated().map { i, row in
            row.enumerated().map { j, w in w + 1e-6 * Double(counts[i][j]) }
        }
        let assignment = Hungarian.maximise(weight)
        var matching: [String: String] = [:]
        for (i, j) in assignment.enumerated() where j >= 0 && weight[i][j] > 0 { matching[aCodes[i]] = bCodes[j] }
        var same = 0, samePeople = 0.0, totalPeople = 0.0
        var moves: [(String, String, String, Int)] = []
        for p in pairs {
            totalPeople += Double(p.unit.population)
            if matching[p.a] == p.b {
                same += 1
                samePeople += Double(p.unit.population)
            } else {
                moves.append((p.unit.id, p.a, p.b, p.unit.population))
            }
        }
        let matchedB = Set(matching.values)
        return PlanComparison(
            matching: matching, sameUnitShare: pairs.isEmpty ? 1 : Double(same) / Double(pairs.count),
            samePopulationShare: totalPeople > 0 ? samePeople / totalPeople : 1,
            adjustedRand: adjustedRandIndex(counts),
            merged: bCodes.indices.filter { j in aCodes.indices.filter { counts[$0][j] > 0 }.count > 1 }.map {
                bCodes[$0]
            },
            split: aCodes.indices.filter { i in bCodes.indices.filter { counts[i][$0] > 0 }.count > 1 }.map {
                aCodes[$0]
            },
            created: bCodes.filter { !matchedB.contains($0) },
            removed: aCodes.filter { matching[$0] == nil },
            moves: moves.sorted { $0.0 < $1.0 }, compared: pairs.count)
    }

    /// ARI from a contingency table of counts.
    static func adjustedRandIndex(_ table: [[Int]]) -> Double {
        func choose2(_ n: Int) -> Double { Double(n) * Double(n - 1) / 2 }
        let n = table.reduce(0) { $0 + $1.reduce(0, +) }
        guard n > 1 else { return 1 }
        let sumCells = table.reduce(0.0) { $0 + $1.reduce(0.0) { $0 + choose2($1) } }
        let rows = table.map { $0.reduce(0, +) }
        let columns = (0..<(table.first?.count ?? 0)).map { j in table.reduce(0) { $0 + $1[j] } }
        let sumRows = rows.reduce(0.0) { $0 + choose2($1) }, sumColumns = columns.reduce(0.0) { $0 + choose2($1) }
        let expected = sumRows * sumColumns / choose2(n)
        let maximum = (sumRows + sumColumns) / 2
        guard maximum != expected else { return 1 }
        return (sumCells - expected) / (maximum - expected)
    }
}

/// Maximum-weight assignment (Kuhn 1955; Munkres 1957, doi:10.1137/0105003), O(n³), on a
/// rectangular matrix padded to square with zeros.
enum Hungarian {
    /// For each row, the column assigned to it, or −1.
    static func maximise(_ w: [[Double]]) -> [Int] {
        let rows = w.count, cols = w.first?.count ?? 0
        let n = max(rows, cols)
        guard n > 0 else { return [] }
        let top = w.flatMap { $0 }.max() ?? 0
        // Minimise cost = top − weight on the padded square matrix.
        var cost = [[Double]](repeating: [Double](repeating: top, count: n), count: n)
        for i in 0..<rows { for j in 0..<cols { cost[i][j] = top - w[i][j] } }
        var u = [Double](repeating: 0, count: n + 1), v = [Double](repeating: 0, count: n + 1)
        var p = [Int](repeating: 0, count: n + 1), way = [Int](repeating: 0, count: n + 1)
        for i in 1...n {
            p[0] = i
            var j0 = 0
            var minv = [Double](repeating: .infinity, count: n + 1)
            var used = [Bool](repeating: false, count: n + 1)
            repeat {
                used[j0] = true
                let i0 = p[j0]
                var delta = Double.infinity
                var j1 = 0
                for j in 1...n where !used[j] {
                    let cur = cost[i0 - 1][j - 1] - u[i0] - v[j]
                    if cur < minv[j] {
                        minv[j] = cur
                        way[j] = j0
                    }
                    if minv[j] < delta {
                        delta = minv[j]
                        j1 = j
                    }
                }
                for j in 0...n {
                    if used[j] {
                        u[p[j]] += delta
                        v[j] -= delta
                    } else {
                        minv[j] -= delta
                    }
                }
                j0 = j1
            } while p[j0] != 0
            repeat {
                let j1 = way[j0]
                p[j0] = p[j1]
                j0 = j1
            } while j0 != 0
        }
        var result = [Int](repeating: -1, count: rows)
        for j in 1...n where p[j] >= 1 && p[j] <= rows && j <= cols { result[p[j] - 1] = j - 1 }
        return result
    }
}
