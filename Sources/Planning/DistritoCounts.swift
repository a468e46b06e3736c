/// How many distritos each group of whole cantones gets: the count that balances best **and**
/// keeps the distritos within the distance bounds, not population ÷ target alone.
///
/// Population ÷ target ignores lumps: a province whose capital is a whole cantón of 260,000
/// people (2.9 × the target, one distrito since it may not be divided) gets six distritos, and
/// the other five share what is left at half the target each. Here every count in a window
/// around population ÷ target is solved, and each solution is scored first by the distance
/// bounds — the count with the least breach (the partition's penalty for each distrito of
/// several cantones) wins — then by balance Σ ((P − T) / T)², the partition's own measure, all
/// at one national target T, so counts compare across groups. Squared, not absolute: under
/// Σ |P − T| a small cantón merged into a distrito already far above the target costs nothing
/// more than it saves (on the demo a whole province became one distrito of 3.3 × the target),
/// while the squared measure keeps lumps alone. The national mean absolute deviation came out
/// the same either way (49.4 against 49.1 % on the 140 run):
/// - with the default targets each group takes its best count (ties to the fewer distritos);
/// - with a fixed national total the counts minimise the summed criterion with the total
///   given, by dynamic programming over the groups (O(groups × seats × window)); T is then the
///   implied average of the groups outside the divisible cities.
///
/// The window reaches `extra` counts above population ÷ target, never so far that a group's
/// distritos would average less than `minimumShare` × T, and two below. The mean-distance
/// bound comes before the share: where every count of the window leaves a distrito of several
/// cantones beyond it, the proposer tries further counts, up to `extra` above, for the first
/// that meets it (the Galápagos' three island cantones, 28,583 people, 42.6 km from the seat on
/// average as one distrito).
enum DistritoCounts {
    /// Counts tried per group: `lower...upper`, within 1...`maxParts`.
    static func window(population: Double, target: Double, maxParts: Int, extra: Int, minimumShare: Double)
        -> ClosedRange<Int>
    {
        let base = max(1, min(maxParts, Int((population / target).rounded())))
        let floorCount = Int(population / (minimumShare * target))
        let upper = max(base, min(maxParts, base + extra, floorCount))
        return max(1, base - 2)...upper
    }

    /// The distritos of a divisible city: the count whose equal shares lie nearest the city
    /// target, |P / k − T| least (ties to the fewer), within 1...`maxParts`. That is Dean's
    /// method of apportionment, P / T rounded up past the harmonic mean of k and k + 1
    /// (Balinski & Young, *Fair Representation*, 1982), not at k + ½: the city's distritos
    /// come out of one balanced partition, so each deviates by about |P / k − T| and that is
    /// what their mean absolute deviation measures; rounding P / T measures the count instead.
    /// Ambato, 370,664 people at the default 270,000 (P / T = 1.37, above 4/3), is two
    /// distritos 31 % below the target, as in the official plan, not one 37 % above it — which
    /// would leave the named city undivided and the largest distrito in the country. O(1).
    static func cityCount(population: Double, target: Double, maxParts: Int) -> Int {
        guard population > 0, target > 0, maxParts > 1 else { return 1 }
        let lower = min(maxParts, max(1, Int((population / target).rounded(.down))))
        let upper = min(maxParts, lower + 1)
        return abs(population / Double(upper) - target) < abs(population / Double(lower) - target) ? upper : lower
    }

    /// What a count costs: its balance term and its distance-bound penalty.
    struct Score {
        var balance = 0.0
        var bounds = 0.0
        /// Whether a distrito of several cantones lies beyond the mean-distance bound (the
        /// issue's accessibility rule, which the minimum share yields to).
        var meanBreach = false
        /// The part of `bounds` that is the farthest-distance penalty of distritos reaching no
        /// farther than one of their cantones alone (the bound's exception): still counted, so
        /// the counts are the same, but not a breach a note should report.
        var exemptBounds = 0.0
        /// The bounds first: any breach outweighs every balance difference (10⁶ × the penalty,
        /// whose smallest meaningful value, 1 km beyond a bound, is 0.008), then balance.
        var total: Double { bounds * 1e6 + balance }
    }

    /// The criterion of a solution over `nodes` (each a list of units), at target `target`:
    /// balance Σ ((P − T) / T)² × the objective's balance weight, plus the objective's bound
    /// penalty for every part of several nodes (a whole cantón alone is exempt), its seat the
    /// most populous unit. O(units) distances.
    static func criterion(
        _ solution: PartitionSolution, nodes: [[Int]], territory: Territory, target: Double,
        objective: PartitionObjective, metric: some DistanceMetric
    ) -> Score {
        let units = territory.units
        var members: [Int: [Int]] = [:]
        var nodeCount: [Int: Int] = [:]
        for (n, part) in solution.assignment.enumerated() {
            members[part, default: []] += nodes[n]
            nodeCount[part, default: 0] += 1
        }
        var score = Score()
        let extents = objective.maxDistanceBound == nil ? [:] : territory.cantonExtents(metric: metric)
        for part in members.keys.sorted() {
            let list = members[part] ?? []
            let people = list.reduce(0.0) { $0 + Double(units[$1].population) }
            let deviation = (people - target) / target
            score.balance += objective.balance * deviation * deviation
            guard (nodeCount[part] ?? 0) > 1, objective.hasBounds,
                let seat = territory.mostPopulous(of: list)
            else { continue }
            var weighted = 0.0, farthest = 0.0
            for m in list where units[m].population > 0 {
                let metres = metric.metres(units[m].location, units[seat].location)
                weighted += Double(units[m].population) * metres
                farthest = max(farthest, metres)
            }
            let mean = people > 0 ? weighted / people : 0
            score.bounds += objective.boundCost(mean: mean, max: farthest)
            let reach = Set(list.map { units[$0].canton }).map { extents[$0] ?? 0 }.max() ?? 0
            if farthest <= reach + 1e-3 {
                score.exemptBounds +=
                    objective.boundCost(mean: mean, max: farthest) - objective.boundCost(mean: mean, max: 0)
            }
            if let bound = objective.meanDistanceBound, mean > bound { score.meanBreach = true }
        }
        return score
    }

    /// The count of each group minimising the summed criterion with `total` distritos in all:
    /// `criteria[g]` maps the counts tried for group g (those with a contiguous split) to
    /// their criterion. Ties go to the fewer distritos in the earlier groups. Nil when no
    /// choice adds up to `total`. O(groups × total × window).
    static func allocate(_ criteria: [[Int: Double]], total: Int) -> [Int]? {
        guard total >= 0 else { return nil }
        // best[g][s]: least criterion of groups g... with s distritos among them.
        let groups = criteria.count
        var best = [[Double]](repeating: [Double](repeating: .infinity, count: total + 1), count: groups + 1)
        var choice = [[Int]](repeating: [Int](repeating: -1, count: total + 1), count: groups + 1)
        best[groups][0] = 0
        for g in stride(from: groups - 1, through: 0, by: -1) {
            for s in 0...total {
                for (count, cost) in criteria[g].sorted(by: { $0.key < $1.key }) where count <= s {
                    let rest = best[g + 1][s - count]
                    if rest.isFinite, cost + rest < best[g][s] - 1e-12 {
                        best[g][s] = cost + rest
                        choice[g][s] = count
                    }
                }
            }
        }
        guard best[0][total].isFinite else { return nil }
        var out: [Int] = []
        var s = total
        for g in 0..<groups {
            let c = choice[g][s]
            out.append(c)
            s -= c
        }
        return out
    }
}
