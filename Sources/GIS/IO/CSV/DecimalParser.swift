import Foundation

/// Parses a decimal number straight from bytes, with no intermediate string, giving exactly
/// the double Swift's `Double(String)` (the C library's correctly rounded `strtod`) gives.
///
/// Numbers with at most 15 significant digits and a decimal exponent within ±22 — every
/// coordinate and weight in practice — take Clinger's fast path (Clinger 1990, "How to read
/// floating point numbers accurately", doi:10.1145/93548.93557): the digits form an integer
/// below 2⁵³ and the power of ten is exact, so one IEEE multiplication or division is
/// correctly rounded. Anything else (more digits, `inf`, hexadecimal...) goes through
/// `Double(String)`. O(length).
public enum DecimalParser {
    static let powers: [Double] = (0...22).map { k in (0..<k).reduce(1.0) { v, _ in v * 10 } }

    /// The number in `bytes`, surrounding white space ignored; `comma` accepts `,`
    /// as the decimal separator too. Nil when the text is not a number.
    @inline(__always)
    public static func parse(_ bytes: UnsafeBufferPointer<UInt8>, comma: Bool = false) -> Double? {
        var lo = 0, hi = bytes.count
        while lo < hi && (bytes[lo] == 0x20 || bytes[lo] == 0x09) { lo += 1 }
        while hi > lo && (bytes[hi - 1] == 0x20 || bytes[hi - 1] == 0x09) { hi -= 1 }
        guard lo < hi else { return slow(bytes, lo, hi, comma) }
        var i = lo
        var negative = false
        if bytes[i] == UInt8(ascii: "-") || bytes[i] == UInt8(ascii: "+") {
            negative = bytes[i] == UInt8(ascii: "-")
            i += 1
        }
        var mantissa: UInt64 = 0
        var significant = 0
        var digits = 0
        var scale = 0
        var seenPoint = false
        while i < hi {
            let b = bytes[i]
            if b >= 0x30 && b <= 0x39 {
                digits += 1
                if mantissa != 0 || b != 0x30 { significant += 1 }
                if significant > 15 { return slow(bytes, lo, hi, comma) }
                mantissa = mantissa * 10 + UInt64(b - 0x30)
                if seenPoint { scale -= 1 }
            } else if !seenPoint && (b == UInt8(ascii: ".") || (comma && b == UInt8(ascii: ","))) {
                seenPoint = true
            } else {
                break
            }
            i += 1
        }
        guard digits > 0 else { return slow(bytes, lo, hi, comma) }
        if i < hi {
            guard bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E") else { return slow(bytes, lo, hi, comma) }
            i += 1
            var exponentNegative = false
            if i < hi && (bytes[i] == UInt8(ascii: "-") || bytes[i] == UInt8(ascii: "+")) {
                exponentNegative = bytes[i] == UInt8(ascii: "-")
                i += 1
            }
            var exponent = 0
            var exponentDigits = 0
            while i < hi, bytes[i] >= 0x30 && bytes[i] <= 0x39 {
                if exponent < 10_000 { exponent = exponent * 10 + Int(bytes[i] - 0x30) }
                exponentDigits += 1
                i += 1
            }
            guard exponentDigits > 0, i == hi else { return slow(bytes, lo, hi, comma) }
            scale += exponentNegative ? -exponent : exponent
        }
        guard scale >= -22 && scale <= 22 else { return slow(bytes, lo, hi, comma) }
        var value = Double(mantissa)
        if scale < 0 { value /= powers[-scale] } else if scale > 0 { value *= powers[scale] }
        return negative ? -value : value
    }

    /// The general rule, for whatever the fast path does not take: the text trimmed of
    /// Unicode white space (`CharacterSet.whitespaces`), the comma replaced when allowed,
    /// then `Double(String)`.
    static func slow(_ bytes: UnsafeBufferPointer<UInt8>, _ lo: Int, _ hi: Int, _ comma: Bool) -> Double? {
        var text = String(decoding: UnsafeBufferPointer(rebasing: bytes[lo..<hi]), as: UTF8.self)
            .trimmingCharacters(in: .whitespaces)
        if comma { text = text.replacingOccurrences(of: ",", with: ".") }
        return Double(text)
    }
}
