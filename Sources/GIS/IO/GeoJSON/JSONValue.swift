/// A parsed JSON value (RFC 8259). Objects keep member order.
public indirect enum JSONValue: Sendable, Hashable {
    case null
    case bool(Bool)
    /// `isInteger` is true when the literal had no fraction or exponent.
    case number(Double, isInteger: Bool)
    case string(String)
    case array([JSONValue])
    case object([(String, JSONValue)])

    public static func == (a: JSONValue, b: JSONValue) -> Bool {
        switch (a, b) {
        case (.null, .null): true
        case (.bool(let x), .bool(let y)): x == y
        case (.number(let x, let i), .number(let y, let j)): x == y && i == j
        case (.string(let x), .string(let y)): x == y
        case (.array(let x), .array(let y)): x == y
        case (.object(let x), .object(let y)): x.map(\.0) == y.map(\.0) && x.map(\.1) == y.map(\.1)
        default: false
        }
    }

    public func hash(into h: inout Hasher) {
        switch self {
        case .null: h.combine(0)
        case .bool(let b): h.combine(b)
        case .number(let d, _): h.combine(d)
        case .string(let s): h.combine(s)
        case .array(let a): h.combine(a)
        case .object(let o): for (k, v) in o { h.combine(k); h.combine(v) }
        }
    }

    public subscript(key: String) -> JSONValue? {
        if case .object(let members) = self { return members.first { $0.0 == key }?.1 }
        return nil
    }

    public var string: String? { if case .string(let s) = self { s } else { nil } }
    public var array: [JSONValue]? { if case .array(let a) = self { a } else { nil } }

    /// Compact JSON text of the value.
    public var serialized: String {
        var out = ""
        JSONText.append(self, to: &out)
        return out
    }
}

/// JSON text helpers shared by the writers.
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
        guard value.isFinite else { return "null" }
        let scale = pow10(decimals)
        let scaled = (abs(value) * scale).rounded()
        guard scaled < 9.0e18 else { return number(value) }
        let n = UInt64(scaled)
        let unit = UInt64(scale)
        let whole = n / unit
        var frac = n % unit
        var text = (value < 0 && n != 0 ? "-" : "") + String(whole)
        if frac != 0 {
            var digits = decimals
            while frac % 10 == 0 {
                frac /= 10
                digits -= 1
            }
            let f = String(frac)
            text += "." + String(repeating: "0", count: digits - f.count) + f
        }
        return text
    }

    private static func pow10(_ n: Int) -> Double {
        var r = 1.0
        for _ in 0..<max(0, min(n, 17)) { r *= 10 }
        return r
    }

    static func append(_ v: JSONValue, to out: inout String) {
        switch v {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .number(let d, _): out += number(d)
        case .string(let s): out += quoted(s)
        case .array(let a):
            out += "["
            for (i, e) in a.enumerated() {
                if i > 0 { out += "," }
                append(e, to: &out)
            }
            out += "]"
        case .object(let o):
            out += "{"
            for (i, (k, e)) in o.enumerated() {
                if i > 0 { out += "," }
                out += quoted(k) + ":"
                append(e, to: &out)
            }
            out += "}"
        }
    }
}
