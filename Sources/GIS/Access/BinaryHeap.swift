/// A binary min-heap of (key, value) pairs; ties broken by value so that runs are
/// deterministic.
struct BinaryHeap {
    private var keys: [Double] = []
    private var values: [Int32] = []

    var isEmpty: Bool { keys.isEmpty }

    private func less(_ i: Int, _ j: Int) -> Bool {
        keys[i] < keys[j] || (keys[i] == keys[j] && values[i] < values[j])
    }

    mutating func push(_ key: Double, _ value: Int) {
        keys.append(key)
        values.append(Int32(value))
        var i = keys.count - 1
        while i > 0 {
            let parent = (i - 1) / 2
            guard less(i, parent) else { break }
            keys.swapAt(i, parent)
            values.swapAt(i, parent)
            i = parent
        }
    }

    mutating func pop() -> (key: Double, value: Int)? {
        guard let top = keys.first, let v = values.first else { return nil }
        let lastKey = keys.removeLast(), lastValue = values.removeLast()
        if !keys.isEmpty {
            keys[0] = lastKey
            values[0] = lastValue
            var i = 0
            while true {
                let l = 2 * i + 1, r = l + 1
                var m = i
                if l < keys.count && less(l, m) { m = l }
                if r < keys.count && less(r, m) { m = r }
                if m == i { break }
                keys.swapAt(i, m)
                values.swapAt(i, m)
                i = m
            }
        }
        return (top, Int(v))
    }
}
