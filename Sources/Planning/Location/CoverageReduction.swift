/// The covering problems (MCLP, LSCP) reduced before any model is built, by the classic
/// reductions of set covering (Toregas & ReVelle 1973, "Binary logic solutions to a class of
/// location problems"; Church & ReVelle 1974 for the weighted case):
///
/// 1. demand already within the radius of a fixed, uncapacitated site leaves the problem (its
///    weight is a constant);
/// 2. demand points that the same candidates cover form one group, their weights summed;
/// 3. a candidate whose covered groups are a subset of another candidate's is dominated: any
///    solution using it is no better than one using the other (uncapacitated only; equal sets
///    keep the lower index);
/// 4. for LSCP, a group whose coverers include all the coverers of another group is covered
///    whenever that one is, so its row is dropped.
///
/// Steps 2–4 repeat until nothing changes. Each round is O(Σ|cover sets| · d) with d the
/// number of candidates a subset test visits (the coverers of the rarest group), far below the
/// O(m²) of comparing every pair.
struct CoverageReduction {
    struct Group {
        var weight: Double
        var members: [Int]
        /// Live candidates within the radius (sorted). With capacities, fixed sites are included.
        var coverers: [Int]
    }

    var groups: [Group] = []
    /// Live candidates (free ones; with capacities, the fixed ones too), sorted.
    var candidates: [Int] = []
    /// Demand within the radius of a fixed uncapacitated site (uncapacitated problems only).
    var alreadyCovered: [Int] = []
    /// Demand of positive weight that no site can cover.
    var uncoverable: [Int] = []
    var notes: [String] = []

    /// `dropDominatedRows` for LSCP (rows), dominated columns dropped when uncapacitated;
    /// `reduce` false keeps one group per demand point and every candidate (to check the
    /// reductions against the plain model).
    init(_ problem: LocationProblem, radius: Double, dropDominatedRows: Bool, reduce: Bool = true) {
        let capacitated = problem.capacitated
        let fixedSites = (0..<problem.candidateCount).filter { problem.fixed[$0] }
        let columns = capacitated ? Array(0..<problem.candidateCount) : problem.free
        var rawGroups: [[Int]: Group] = [:]
        var order: [[Int]] = []
        for i in 0..<problem.demandCount where problem.weights[i] > 0 {
            if !capacitated, fixedSites.contains(where: { problem.distance(i, $0) <= radius }) {
                alreadyCovered.append(i)
                continue
            }
            let cover = columns.filter { problem.distance(i, $0) <= radius }
            guard !cover.isEmpty else {
                uncoverable.append(i)
                continue
            }
            guard reduce else {
                order.append([i] + cover)
                rawGroups[[i] + cover] = Group(weight: problem.weights[i], members: [i], coverers: cover)
                continue
            }
            if rawGroups[cover] == nil {
                rawGroups[cover] = Group(weight: 0, members: [], coverers: cover)
                order.append(cover)
            }
            rawGroups[cover]?.weight += problem.weights[i]
            rawGroups[cover]?.members.append(i)
        }
        groups = order.compactMap { rawGroups[$0] }
        let demandPoints = groups.reduce(0) { $0 + $1.members.count }
        candidates = columns
        let columnsBefore = columns.count
        for _ in 0..<(reduce ? 50 : 0) {
            let before = (groups.count, candidates.count)
            if !capacitated { dropDominatedColumns(fixed: problem.fixed) }
            if dropDominatedRows { dropRowsCoveredByOthers() }
            regroup()
            if (groups.count, candidates.count) == before { break }
        }
        if !alreadyCovered.isEmpty {
            notes.append("\(alreadyCovered.count) demand points already within reach of a fixed site")
        }
        notes.append("\(demandPoints) demand points → \(groups.count) groups by the candidates that reach them")
        notes.append("\(columnsBefore) candidates → \(candidates.count) after removing dominated ones")
        if !uncoverable.isEmpty { notes.append("\(uncoverable.count) demand points beyond the reach of every site") }
    }

    /// Merges groups whose coverer sets became identical, dropping candidates no longer live.
    mutating func regroup() {
        let live = Set(candidates)
        var merged: [[Int]: Int] = [:]
        var out: [Group] = []
        for var g in groups {
            g.coverers = g.coverers.filter { live.contains($0) }
            if let k = merged[g.coverers] {
                out[k].weight += g.weight
                out[k].members += g.members
            } else {
                merged[g.coverers] = out.count
                out.append(g)
            }
        }
        groups = out
        for k in groups.indices { groups[k].members.sort() }
    }

    /// Step 3. A candidate with no group is dominated by any other.
    mutating func dropDominatedColumns(fixed: [Bool]) {
        var cover: [Int: [Int]] = [:]
        for (g, group) in groups.enumerated() { for j in group.coverers { cover[j, default: []].append(g) } }
        var alive = Set(candidates)
        for j in candidates {
            guard !fixed[j] else { continue }
            guard let mine = cover[j], !mine.isEmpty else {
                alive.remove(j)
                continue
            }
            // Every dominating candidate covers the group with fewest coverers.
            let rarest = mine.min { groups[$0].coverers.count < groups[$1].coverers.count } ?? mine[0]
            for k in groups[rarest].coverers where k != j && alive.contains(k) {
                guard let theirs = cover[k], isSubset(mine, of: theirs) else { continue }
                if mine.count < theirs.count || k < j {
                    alive.remove(j)
                    break
                }
            }
        }
        candidates = candidates.filter { alive.contains($0) }
    }

    /// Step 4: a group whose coverer set contains another group's is redundant.
    mutating func dropRowsCoveredByOthers() {
        var groupsOf: [Int: [Int]] = [:]
        for (g, group) in groups.enumerated() { for j in group.coverers { groupsOf[j, default: []].append(g) } }
        var redundant = Set<Int>()
        for (h, group) in groups.enumerated() {
            guard let first = group.coverers.first else { continue }
            for g in groupsOf[first] ?? [] where g != h && !redundant.contains(g) {
                if groups[g].coverers.count > group.coverers.count, isSubset(group.coverers, of: groups[g].coverers) {
                    redundant.insert(g)
                }
            }
        }
        guard !redundant.isEmpty else { return }
        // A dropped row's demand is still covered by any feasible answer: keep its members for
        // the assignment by giving them to no group (they are re-assigned by distance later).
        groups = groups.enumerated().filter { !redundant.contains($0.offset) }.map(\.element)
    }

    /// Whether sorted `a` ⊆ sorted `b` (merge walk, O(|a| + |b|)).
    func isSubset(_ a: [Int], of b: [Int]) -> Bool {
        guard a.count <= b.count else { return false }
        var k = 0
        for x in a {
            while k < b.count && b[k] < x { k += 1 }
            guard k < b.count, b[k] == x else { return false }
            k += 1
        }
        return true
    }
}
