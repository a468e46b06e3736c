/// How a numeric field is cut into classes for a choropleth.
public enum ClassificationMethod: String, Sendable, CaseIterable {
    /// Equal counts per class (breaks at the k-quantiles of the values).
    case quantile
    /// Fisher's exact optimal partition (Fisher 1958, "On grouping for maximum homogeneity";
    /// the "natural breaks" of Jenks 1977): the k classes of the sorted values that minimise the
    /// within-class sum of squared deviations, by dynamic programming in O(k n²) time and O(k n)
    /// memory. Above ``ClassBreaks/naturalBreaksSampleLimit`` values it runs on that many
    /// evenly spaced order statistics (as mapclassify's `FisherJenksSampled`).
    case naturalBreaks = "natural-breaks"
    /// Classes of equal width between the minimum and the maximum.
    case equalInterval = "equal-interval"
}

/// Class limits of a numeric variable: class `i` holds the values in (upper[i-1], upper[i]]
/// (the first class also holds the minimum). Null and non-finite values are left out (the map
/// draws them as "no data").
public struct ClassBreaks: Sendable, Equatable {
    public let method: ClassificationMethod
    public let minimum: Double
    /// Upper limit of each class, increasing; the last is the maximum.
    public let upperBounds: [Double]

    public static let naturalBreaksSampleLimit = 3000

    public var classCount: Int { upperBounds.count }

    /// Breaks of `values` into at most `classes` classes (fewer when the values have fewer
    /// distinct levels: ties never straddle a break). nil when no value is finite.
    public init?(_ values: [Double], classes: Int, method: ClassificationMethod) {
        let sorted = values.filter(\.isFinite).sorted()
        guard let first = sorted.first, let last = sorted.last, classes >= 1 else { return nil }
        self.method = method
        minimum = first
        var bounds: [Double]
        switch method {
        case .quantile:
            bounds = (1..<classes).map { k in
                // Nearest-rank quantile: the value at rank ⌈k·n/classes⌉.
                let rank = (k * sorted.count + classes - 1) / classes
                return sorted[max(0, min(sorted.count - 1, rank - 1))]
            }
        case .equalInterval:
            let width = (last - first) / Double(classes)
            bounds = (1..<classes).map { first + width * Double($0) }
        case .naturalBreaks:
            bounds = Self.fisherJenks(Self.sample(sorted), classes: classes)
        }
        bounds.append(last)
        // Drop repeated limits (ties) and limits below the minimum.
        var unique: [Double] = []
        for b in bounds where b >= first && (unique.last.map { b > $0 } ?? true) { unique.append(b) }
        upperBounds = unique
    }

    /// The class of `value` (0-based), or nil for a null/non-finite value.
    public func classIndex(_ value: Double?) -> Int? {
        guard let value, value.isFinite else { return nil }
        // First upper bound ≥ value (binary search).
        var lo = 0, hi = upperBounds.count - 1
        while lo < hi {
            let mid = (lo + hi) / 2
            if upperBounds[mid] >= value { hi = mid } else { lo = mid + 1 }
        }
        return lo
    }

    /// Evenly spaced order statistics of sorted values (all of them up to the limit).
    static func sample(_ sorted: [Double]) -> [Double] {
        let limit = naturalBreaksSampleLimit
        guard sorted.count > limit else { return sorted }
        return (0..<limit).map { sorted[$0 * (sorted.count - 1) / (limit - 1)] }
    }

    /// Upper bounds of the first k−1 classes of Fisher's optimal partition of sorted `x`.
    static func fisherJenks(_ x: [Double], classes: Int) -> [Double] {
        let n = x.count
        let k = min(classes, n)
        guard k >= 2 else { return [] }
        // Prefix sums (shifted to the first value for precision) give each class's cost in O(1).
        var s1 = [Double](repeating: 0, count: n + 1)
        var s2 = [Double](repeating: 0, count: n + 1)
        for i in 0..<n {
            let v = x[i] - x[0]
            s1[i + 1] = s1[i] + v
            s2[i + 1] = s2[i] + v * v
        }
        /// Sum of squared deviations of x[i...j].
        func cost(_ i: Int, _ j: Int) -> Double {
            let m = Double(j - i + 1)
            let a = s1[j + 1] - s1[i]
            return max(0, (s2[j + 1] - s2[i]) - a * a / m)
        }
        // best[c][j]: least cost of x[0...j] in c+1 classes; start[c][j]: first index of the last.
        var best = [[Double]](repeating: [Double](repeating: .infinity, count: n), count: k)
        var start = [[Int]](repeating: [Int](repeating: 0, count: n), count: k)
        for j in 0..<n { best[0][j] = cost(0, j) }
        for c in 1..<k {
            for j in c..<n {
                var bestValue = Double.infinity, bestStart = c
                for i in c...j {
                    let v = best[c - 1][i - 1] + cost(i, j)
                    if v < bestValue {
                        bestValue = v
                        bestStart = i
                    }
                }
                best[c][j] = bestValue
                start[c][j] = bestStart
            }
        }
        var bounds: [Double] = []
        var j = n - 1
        for c in stride(from: k - 1, to: 0, by: -1) {
            let i = start[c][j]
            bounds.append(x[i - 1])
            j = i - 1
        }
        return bounds.reversed()
    }
}
