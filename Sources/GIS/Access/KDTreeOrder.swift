/// The point order of a k-d tree kept implicitly in an array (Bentley 1975,
/// doi:10.1145/361002.361007): the range `lo..<hi` is split at its middle position `mid`
/// by the median on the axis cycling with depth (Hoare's quickselect), the left half before
/// `mid` and the right half after it, down to leaves of at most `leafSize` points.
/// O(n log n). Shared by ``SphereIndex`` (3 axes) and ``PlaneIndex`` (2 axes).
enum KDTreeOrder {
    /// The tree order of `count` points whose coordinate on `axis` is `key(point, axis)`.
    static func build(count: Int, axes: Int, leafSize: Int, key: (Int, Int) -> Double) -> [Int32] {
        var idx = (0..<count).map { Int32($0) }
        split(&idx, 0, count, 0, axes: axes, leafSize: leafSize, key: key)
        return idx
    }

    private static func split(
        _ idx: inout [Int32], _ lo: Int, _ hi: Int, _ depth: Int, axes: Int, leafSize: Int, key: (Int, Int) -> Double
    ) {
        guard hi - lo > leafSize else { return }
        let axis = depth % axes
        func value(_ k: Int) -> Double { key(Int(idx[k]), axis) }
        let mid = (lo + hi) / 2
        var left = lo, right = hi - 1
        while left < right {
            let pivot = value((left + right) / 2)
            var i = left, j = right
            while i <= j {
                while value(i) < pivot { i += 1 }
                while value(j) > pivot { j -= 1 }
                if i <= j {
                    idx.swapAt(i, j)
                    i += 1
                    j -= 1
                }
            }
            if mid <= j { right = j } else if mid >= i { left = i } else { break }
        }
        split(&idx, lo, mid, depth + 1, axes: axes, leafSize: leafSize, key: key)
        split(&idx, mid + 1, hi, depth + 1, axes: axes, leafSize: leafSize, key: key)
    }
}
