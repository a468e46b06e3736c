/// JSON text helpers (RFC 8259) shared by every writer and report.
public enum JSONText {
    /// A JSON string literal with RFC 8259 escapes.
    public static func quoted(_ s: String) -> String {
        var out = "\""
        out.reserveCapacity(s.utf8.count + 2)
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }

    /// Shortest round-trip text of a finite double; `null` for NaN and infinities, which JSON
    /// cannot hold.
    public static func number(_ d: Double) -> String {
        guard d.isFinite else { return "null" }
        if d == d.rounded(), abs(d) < 1e15 { return String(Int64(d)) }
        return String(d)
    }

    /// `value` rounded to `decimals` places, without trailing zeros (fast path for
    /// coordinates; exact for |value| < 9e18 / 10^decimals).
    public static func fixed(_ value: Double, decimals: Int) -> String {
        var bytes: [UInt8] = []
        appendFixed(value, decimals: decimals, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// ``fixed(_:decimals:)`` appended to UTF-8 bytes, with no intermediate string (the
    /// form writers of many coordinates use).
    public static func appendFixed(_ value: Double, decimals: Int, to out: inout [UInt8]) {
        guard value.isFinite else {
            out += Array("null".utf8)
            return
        }
        let scale = pow10(decimals)
        let scaled = (abs(value) * scale).rounded()
        guard scaled < 9.0e18 else {
            out += Array(number(value).utf8)
            return
        }
        let n = UInt64(scaled)
        let unit = UInt64(scale)
        let whole = n / unit
        var frac = n % unit
        if value < 0 && n != 0 { out.append(UInt8(ascii: "-")) }
        appendDigits(whole, to: &out)
        if frac != 0 {
            var digits = decimals
            while frac % 10 == 0 {
                frac /= 10
                digits -= 1
            }
            out.append(UInt8(ascii: "."))
            var length = 1
            var rest = frac / 10
            while rest > 0 {
                length += 1
                rest /= 10
            }
            for _ in 0..<max(0, digits - length) { out.append(UInt8(ascii: "0")) }
            appendDigits(frac, to: &out)
        }
    }

    /// The decimal digits of `v`, appended to UTF-8 bytes.
    @inline(__always)
    public static func appendDigits(_ v: UInt64, to out: inout [UInt8]) {
        var buffer: (UInt64, UInt64, UInt64) = (0, 0, 0)  // 24 bytes ≥ 20 digits
        withUnsafeMutableBytes(of: &buffer) { raw in
            var k = raw.count
            var v = v
            repeat {
                k -= 1
                raw[k] = UInt8(truncatingIfNeeded: 48 + v % 10)
                v /= 10
            } while v > 0
            out.append(contentsOf: raw[k...])
        }
    }

    private static func pow10(_ n: Int) -> Double {
        var r = 1.0
        for _ in 0..<max(0, min(n, 17)) { r *= 10 }
        return r
    }
}
