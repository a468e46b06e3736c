extension SetPartitioning {
    /// What column generation found: a lower bound on every partition no worse than the
    /// incumbent, and the columns that can still be part of one.
    struct Priced {
        var bound: Double
        /// Indices into the columns, ascending.
        var survivors: [Int]
        var rounds: Int
    }

    /// A lower bound on the set-partitioning problem over `columns` by column generation
    /// (Gilmore & Gomory 1961; for districting, Mehrotra, Johnson & Nemhauser 1998), then the
    /// columns reduced-cost fixing leaves (the textbook argument, e.g. Wolsey 1998, §7.3).
    ///
    /// The LP over a few columns (the incumbent's parts to start, x ≥ 0) gives duals πᵢ on the
    /// unit rows and σ on Σ x = k; every column's reduced cost is r_j = c_j − Σ_{i ∈ j} πᵢ − σ.
    /// For any partition x into k of the columns, Σ c_j x_j = Σ r_j x_j + Σ πᵢ + k σ, so
    ///
    ///     cost ≥ L = Σ πᵢ + k σ + k · min(0, min_j r_j)
    ///
    /// whatever the duals (Lagrangian bound; at the LP optimum every r_j ≥ 0 and L is the LP
    /// value); the most negative columns join the LP and it is solved again, until none is
    /// negative, the bound reaches `upper`, or `maxRounds`. Then a column j is in a partition
    /// costing at most `upper` only if r_j + (k − 1) · min(0, min r) + Σ πᵢ + k σ ≤ upper:
    /// the others are dropped, usually nearly all, so a MIP over the survivors decides the
    /// problem where the whole set of columns is too large for one (08D02's circuitos:
    /// 165,000 columns, which need 1 GB in CBC). The LPs go to `solver`'s relaxation.
    /// O(rounds · columns · units) for the pricing.
    static func priceOut(
        _ columns: [(mask: UInt64, cost: Double)], units: Int, parts: Int, start: [Int], upper: Double,
        solver: any LinearSolver, perRound: Int = 200, maxRounds: Int = 100
    ) -> Priced? {
        guard parts >= 1, !columns.isEmpty, upper.isFinite else { return nil }
        var active = Array(Set(start)).sorted()
        var isActive = [Bool](repeating: false, count: columns.count)
        for j in active { isActive[j] = true }
        var reduced = [Double](repeating: 0, count: columns.count)
        var best: (bound: Double, base: Double, least: Double, reduced: [Double])? = nil
        var rounds = 0
        let slack = 1e-9 * max(1, abs(upper))
        while rounds < maxRounds {
            rounds += 1
            var model = LinearModel(maximise: false)
            var covering = [[(Int, Double)]](repeating: [], count: units)
            for (local, j) in active.enumerated() {
                model.variable(upper: .infinity, objective: columns[j].cost)
                var rest = columns[j].mask
                while rest != 0 {
                    covering[rest.trailingZeroBitCount].append((local, 1))
                    rest &= rest - 1
                }
            }
            for terms in covering { model.row(terms, lower: 1, upper: 1) }
            model.row(active.indices.map { ($0, 1.0) }, lower: Double(parts), upper: Double(parts))
            guard let lp = try? solver.relaxation(model), lp.outcome == .optimal, let duals = lp.solution?.duals,
                duals.count == units + 1, duals.allSatisfy(\.isFinite)
            else { break }
            let sigma = duals[units]
            var least = 0.0
            for (j, c) in columns.enumerated() {
                var r = c.cost - sigma
                var rest = c.mask
                while rest != 0 {
                    r -= duals[rest.trailingZeroBitCount]
                    rest &= rest - 1
                }
                reduced[j] = r
                least = min(least, r)
            }
            let base = duals[0..<units].reduce(0, +) + Double(parts) * sigma
            let bound = base + Double(parts) * least
            if bound > (best?.bound ?? -.infinity) { best = (bound, base, least, reduced) }
            if bound >= upper - slack { break }
            // The most negative columns not yet in the LP, ties to the lower index.
            let entering = columns.indices.filter { !isActive[$0] && reduced[$0] < -slack }
                .sorted { (reduced[$0], $0) < (reduced[$1], $1) }.prefix(perRound)
            guard !entering.isEmpty else { break }
            for j in entering { isActive[j] = true }
            active.append(contentsOf: entering)
        }
        guard let best else { return nil }
        let keep = upper + slack - best.base - Double(parts - 1) * best.least
        let started = Set(start)
        let survivors = columns.indices.filter { best.reduced[$0] <= keep || started.contains($0) }
        return Priced(bound: best.bound, survivors: survivors, rounds: rounds)
    }
}
