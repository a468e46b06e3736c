import Foundation

/// The parts one after another in one array, each part transformed and copied by its own task
/// (`DispatchQueue.concurrentPerform`) straight into the result's storage
/// (`Array(unsafeUninitializedCapacity:)`): no serial copy, and the result's pages are first
/// touched on all cores. `transform` gets the part's index with each element. Every slot is
/// initialized exactly once (the parts' offsets are their prefix sums) before the array takes
/// ownership. O(total) work, O(total / cores) time.
public func parallelJoined<T: Sendable, R: Sendable>(
    _ parts: [[T]], _ transform: @Sendable (_ part: Int, _ element: T) -> R
) -> [R] {
    var offsets = [0]
    offsets.reserveCapacity(parts.count + 1)
    for p in parts { offsets.append(offsets[offsets.count - 1] + p.count) }
    let total = offsets[parts.count]
    let starts = offsets
    guard parts.count > 1, total >= 1 << 14 else {
        return parts.enumerated().flatMap { p, part in part.map { transform(p, $0) } }
    }
    return [R](unsafeUninitializedCapacity: total) { output, count in
        nonisolated(unsafe) let target = output
        DispatchQueue.concurrentPerform(iterations: parts.count) { p in
            guard let base = target.baseAddress else { return }
            parts[p].withUnsafeBufferPointer { part in
                let start = base + starts[p]
                for (k, element) in part.enumerated() { (start + k).initialize(to: transform(p, element)) }
            }
        }
        count = total
    }
}

/// ``parallelJoined(_:_:)`` without a transform.
public func parallelJoined<T: Sendable>(_ parts: [[T]]) -> [T] {
    parallelJoined(parts) { _, element in element }
}
