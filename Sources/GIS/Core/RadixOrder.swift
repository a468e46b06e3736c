/// Sorting by a Double key in linear time: an LSD radix sort (8 passes of 8 bits) on the
/// key's order-preserving bit pattern (sign bit flipped for positives, all bits for
/// negatives; −0 taken as +0), stable, so equal keys keep their input order. O(n).
public enum RadixOrder {
    /// The order-preserving unsigned image of a finite double.
    @inline(__always)
    static func key(_ d: Double) -> UInt64 {
        let bits = (d + 0.0).bitPattern  // −0 + 0 = +0
        return bits >> 63 == 1 ? ~bits : bits | (1 << 63)
    }

    /// Indices of `keys` in ascending order (stable). Keys travel with their indices, so
    /// every pass reads and writes sequentially.
    public static func ascending(_ keys: [Double]) -> [Int32] {
        let n = keys.count
        var bits = keys.map(key)
        var order = (0..<n).map { Int32($0) }
        var bitsScratch = [UInt64](repeating: 0, count: n)
        var orderScratch = [Int32](repeating: 0, count: n)
        var counts = [Int](repeating: 0, count: 256)
        for pass in 0..<8 {
            let shift = UInt64(pass * 8)
            for k in counts.indices { counts[k] = 0 }
            for b in bits { counts[Int((b >> shift) & 0xFF)] += 1 }
            // A byte every key shares orders nothing.
            if counts.contains(n) { continue }
            var total = 0
            for k in counts.indices {
                let c = counts[k]
                counts[k] = total
                total += c
            }
            bits.withUnsafeBufferPointer { src in
                order.withUnsafeBufferPointer { srcOrder in
                    bitsScratch.withUnsafeMutableBufferPointer { dst in
                        orderScratch.withUnsafeMutableBufferPointer { dstOrder in
                            for k in 0..<n {
                                let b = Int((src[k] >> shift) & 0xFF)
                                let at = counts[b]
                                dst[at] = src[k]
                                dstOrder[at] = srcOrder[k]
                                counts[b] = at + 1
                            }
                        }
                    }
                }
            }
            swap(&bits, &bitsScratch)
            swap(&order, &orderScratch)
        }
        return order
    }
}
