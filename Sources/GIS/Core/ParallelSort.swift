import Foundation

extension Array where Element: Sendable {
    /// Sorts in place on all cores: contiguous pieces are sorted at once, then merged pairwise.
    /// For a strict total order (ties only between equal elements) the result is exactly
    /// that of `sort(by:)`. O(n log n) work; below `grain` elements it is `sort(by:)`.
    public mutating func parallelSort(
        grain: Int = 1 << 16, by areInIncreasingOrder: @Sendable (Element, Element) -> Bool
    ) {
        let n = count
        let pieces = Swift.max(1, Swift.min(ProcessInfo.processInfo.activeProcessorCount, n / Swift.max(1, grain)))
        guard pieces > 1 else {
            sort(by: areInIncreasingOrder)
            return
        }
        let size = (n + pieces - 1) / pieces
        var runs = [[Element]](repeating: [], count: pieces)
        withUnsafeBufferPointer { all in
            nonisolated(unsafe) let source = all
            runs.withUnsafeMutableBufferPointer { slots in
                nonisolated(unsafe) let out = slots
                DispatchQueue.concurrentPerform(iterations: pieces) { p in
                    let lo = p * size, hi = Swift.min(n, lo + size)
                    out[p] = lo < hi ? source[lo..<hi].sorted(by: areInIncreasingOrder) : []
                }
            }
        }
        while runs.count > 1 {
            var merged: [[Element]] = []
            for k in stride(from: 0, to: runs.count, by: 2) {
                merged.append(k + 1 < runs.count ? Self.merge(runs[k], runs[k + 1], areInIncreasingOrder) : runs[k])
            }
            runs = merged
        }
        self = runs[0]
    }

    static func merge(_ a: [Element], _ b: [Element], _ less: (Element, Element) -> Bool) -> [Element] {
        var out: [Element] = []
        out.reserveCapacity(a.count + b.count)
        var i = 0, j = 0
        while i < a.count && j < b.count {
            if less(b[j], a[i]) {
                out.append(b[j])
                j += 1
            } else {
                out.append(a[i])
                i += 1
            }
        }
        out += a[i...]
        out += b[j...]
        return out
    }
}
