import Foundation

/// Whether bytes are well-formed UTF-8 (Unicode 15, table 3-7: no overlong forms, no
/// surrogates, nothing above U+10FFFF) — the same verdict as `String(validating:as:)`, with
/// no string made: eight ASCII bytes are checked at a time. Large inputs are checked in
/// parallel pieces cut at ASCII bytes (which never fall inside a multi-byte sequence). O(n).
public enum UTF8Validation {
    public static func isValid(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        let n = bytes.count
        let pieces = max(1, min(ProcessInfo.processInfo.activeProcessorCount * 2, n / (1 << 22)))
        guard pieces > 1 else { return isValid(bytes, 0, n) }
        var cuts = [0]
        for p in 1..<pieces {
            var k = max(cuts[p - 1], n * p / pieces)
            while k < n && bytes[k] >= 0x80 { k += 1 }
            cuts.append(k)
        }
        cuts.append(n)
        let verdicts = TaskSlots<Bool>(count: pieces)
        nonisolated(unsafe) let input = bytes
        let frozen = cuts
        DispatchQueue.concurrentPerform(iterations: pieces) { p in
            verdicts.set(p, isValid(input, frozen[p], frozen[p + 1]))
        }
        return verdicts.values.allSatisfy { $0 == true }
    }

    static func isValid(_ b: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Bool {
        var i = start
        guard let base = b.baseAddress else { return true }
        let raw = UnsafeRawPointer(base)
        while i < end {
            if i + 8 <= end && raw.loadUnaligned(fromByteOffset: i, as: UInt64.self) & 0x8080_8080_8080_8080 == 0 {
                i += 8
                continue
            }
            let c = b[i]
            if c < 0x80 {
                i += 1
                continue
            }
            func cont(_ k: Int, _ lo: UInt8 = 0x80, _ hi: UInt8 = 0xBF) -> Bool {
                i + k < end && b[i + k] >= lo && b[i + k] <= hi
            }
            switch c {
            case 0xC2...0xDF:
                guard cont(1) else { return false }
                i += 2
            case 0xE0:
                guard cont(1, 0xA0), cont(2) else { return false }
                i += 3
            case 0xE1...0xEC, 0xEE...0xEF:
                guard cont(1), cont(2) else { return false }
                i += 3
            case 0xED:
                guard cont(1, 0x80, 0x9F), cont(2) else { return false }
                i += 3
            case 0xF0:
                guard cont(1, 0x90), cont(2), cont(3) else { return false }
                i += 4
            case 0xF1...0xF3:
                guard cont(1), cont(2), cont(3) else { return false }
                i += 4
            case 0xF4:
                guard cont(1, 0x80, 0x8F), cont(2), cont(3) else { return false }
                i += 4
            default:
                return false
            }
        }
        return true
    }
}
