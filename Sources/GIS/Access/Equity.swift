/// Inequality of a quantity (a unit's mean travel time, its coverage) across units weighted by
/// population.
public enum Equity {
    /// Weighted Gini coefficient, Σ_i Σ_j w_i w_j |x_i − x_j| / (2 W² μ) (0 = equal, → 1 =
    /// concentrated); nil when there is no weight or the mean is 0.
    public static func gini(_ values: [Double], weights: [Double]) -> Double? {
        let pairs = zip(values, weights).filter { $0.1 > 0 && $0.0.isFinite }.sorted { $0.0 < $1.0 }
        let w = pairs.reduce(0) { $0 + $1.1 }
        guard w > 0 else { return nil }
        let mean = pairs.reduce(0) { $0 + $1.0 * $1.1 } / w
        guard mean > 0 else { return nil }
        // Sorted form: Σ_i w_i x_i (2 W_<i + w_i − W) / (W² μ) with W_<i the weight below i.
        var below = 0.0, sum = 0.0
        for (x, wi) in pairs {
            sum += wi * x * (2 * below + wi - w)
            below += wi
        }
        return sum / (w * w * mean)
    }

    /// Palma ratio (Palma 2011; Cobham & Sumner 2013): the share of the total held by the
    /// 10 % of people with the highest values over the share held by the 40 % with the lowest
    /// (units split at the boundaries by population). For travel time, > 1 means the worst-off
    /// tenth travels more in all than the best-off four tenths.
    public static func palma(_ values: [Double], weights: [Double]) -> Double? {
        let pairs = zip(values, weights).filter { $0.1 > 0 && $0.0.isFinite }.sorted { $0.0 < $1.0 }
        let w = pairs.reduce(0) { $0 + $1.1 }
        guard w > 0 else { return nil }
        func share(from lo: Double, to hi: Double) -> Double {
            var acc = 0.0, start = 0.0
            for (x, wi) in pairs {
                let end = start + wi
                let overlap = max(0, min(end, hi) - max(start, lo))
                acc += overlap * x
                start = end
            }
            return acc
        }
        let bottom = share(from: 0, to: 0.4 * w)
        guard bottom > 0 else { return nil }
        return share(from: 0.9 * w, to: w) / bottom
    }

    /// Weighted quantiles from one sort: for each q, the smallest value whose cumulative
    /// weight reaches q × W.
    ///
    /// Finite values are put in order by a stable radix sort (``RadixOrder``, O(n)), which
    /// gives the same order as a stable comparison sort, so the same sums and answers.
    public static func quantiles(_ values: [Double], weights: [Double], _ qs: [Double]) -> [Double?] {
        let kept = zip(values, weights).filter { $0.1 > 0 }
        let pairs =
            kept.allSatisfy { $0.0.isFinite }
            ? RadixOrder.ascending(kept.map(\.0)).map { kept[Int($0)] }
            : kept.sorted { $0.0 < $1.0 }
        let w = pairs.reduce(0) { $0 + $1.1 }
        return qs.map { q in
            guard w > 0 else { return nil }
            var acc = 0.0
            for (x, wi) in pairs {
                acc += wi
                if acc >= q * w - 1e-9 * w { return x }
            }
            return pairs.last?.0
        }
    }

    /// Weighted quantile: the smallest value whose cumulative weight reaches q × W.
    public static func quantile(_ values: [Double], weights: [Double], _ q: Double) -> Double? {
        quantiles(values, weights: weights, [q])[0]
    }
}
