import TextFormat

/// A figure with a fixed number of decimals, as every table of the services workflows writes it.
public func fmt(_ v: Double, _ decimals: Int = 0) -> String { JSONText.fixed(v, decimals: decimals) }

/// Whole dollars with thousands separators (no trap on any Double: the digits come from the
/// fixed-point text, not from an integer conversion).
public func money(_ v: Double) -> String {
    let text = JSONText.fixed(v, decimals: 0)
    guard v.isFinite else { return text }
    let negative = text.hasPrefix("-")
    let digits = negative ? String(text.dropFirst()) : text
    var out = ""
    for (i, c) in digits.reversed().enumerated() {
        if i > 0 && i % 3 == 0 { out.append(",") }
        out.append(c)
    }
    return (negative ? "-" : "") + String(out.reversed())
}
