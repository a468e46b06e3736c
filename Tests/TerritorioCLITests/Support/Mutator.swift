import Foundation
import Planning

/// A deterministic mutation fuzzer (SplitMix64, Steele et al. 2014): each case applies one to
/// three byte- or token-level mutations to a valid file — flipped, inserted, deleted or
/// duplicated bytes, truncation, numbers replaced by extremes (0, −1, 1e308, NaN, 2³¹…), lines
/// swapped or repeated, header words overwritten — so the same seed gives the same cases.
struct Mutator {
    private var random: SeededRandom

    init(seed: UInt64) { random = SeededRandom(seed: seed) }

    mutating func next() -> UInt64 { random.next() }

    mutating func int(_ n: Int) -> Int { n <= 1 ? 0 : Int(next() % UInt64(n)) }

    static let extremes = [
        "0", "-1", "1e308", "-1e308", "1e-300", "NaN", "inf", "2147483648", "4294967296", "99999999999999999999",
        "-0", "", "1e20", "0.0000001", "\"", ",", "\n",
    ]

    /// One mutated copy of `data`.
    mutating func mutate(_ data: [UInt8], text: Bool) -> [UInt8] {
        var bytes = data
        let rounds = 1 + int(3)
        for _ in 0..<rounds {
            guard !bytes.isEmpty else { break }
            switch int(text ? 9 : 7) {
            case 0:  // flip a byte
                let i = int(bytes.count)
                bytes[i] ^= UInt8(truncatingIfNeeded: 1 << int(8))
            case 1:  // random byte
                bytes[int(bytes.count)] = UInt8(truncatingIfNeeded: next())
            case 2:  // insert random bytes
                let i = int(bytes.count + 1)
                bytes.insert(contentsOf: (0..<(1 + int(16))).map { _ in UInt8(truncatingIfNeeded: next()) }, at: i)
            case 3:  // delete a range
                let i = int(bytes.count), n = min(bytes.count - i, 1 + int(64))
                bytes.removeSubrange(i..<(i + n))
            case 4:  // duplicate a range
                let i = int(bytes.count), n = min(bytes.count - i, 1 + int(256))
                bytes.insert(contentsOf: Array(bytes[i..<(i + n)]), at: int(bytes.count + 1))
            case 5:  // truncate
                bytes = Array(bytes.prefix(int(bytes.count)))
            case 6:  // overwrite four bytes with an extreme 32-bit integer (headers, counts)
                let i = int(max(1, bytes.count - 3))
                let v: UInt32 = [0xFFFF_FFFF, 0x7FFF_FFFF, 0x8000_0000, 0, 1][int(5)]
                for k in 0..<4 where i + k < bytes.count { bytes[i + k] = UInt8(truncatingIfNeeded: v >> (8 * k)) }
            case 7:  // a number token replaced by an extreme
                bytes = replaceNumber(bytes)
            default:  // swap or repeat lines
                var lines = bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).map(Array.init)
                guard lines.count > 1 else { break }
                let a = int(lines.count), b = int(lines.count)
                if next() % 2 == 0 { lines.swapAt(a, b) } else { lines.insert(lines[a], at: b) }
                bytes = Array(lines.joined(separator: [UInt8(ascii: "\n")]))
            }
        }
        return bytes
    }

    private mutating func replaceNumber(_ bytes: [UInt8]) -> [UInt8] {
        func isDigit(_ b: UInt8) -> Bool { b >= 48 && b <= 57 }
        let starts = bytes.indices.filter { isDigit(bytes[$0]) && ($0 == 0 || !isDigit(bytes[$0 - 1])) }
        guard !starts.isEmpty else { return bytes }
        let start = starts[int(starts.count)]
        var end = start
        while end < bytes.count, isDigit(bytes[end]) || bytes[end] == UInt8(ascii: ".") { end += 1 }
        var out = bytes
        out.replaceSubrange(start..<end, with: Array(Self.extremes[int(Self.extremes.count)].utf8))
        return out
    }
}
