import Foundation

/// The language of a map's fixed words and of its numbers (Spanish by default: the users').
public enum MapLanguage: String, Sendable, CaseIterable {
    case spanish = "es"
    case english = "en"

    public var noData: String { self == .spanish ? "sin dato" : "no data" }
    public var sourcePrefix: String { self == .spanish ? "Fuente" : "Source" }
    public var north: String { "N" }
    public var galapagos: String { self == .spanish ? "Galápagos" : "Galápagos Islands" }
    public var boundaries: String { self == .spanish ? "Límites" : "Boundaries" }

    /// `value` with `decimals` digits, grouped by thousands: 12.345,6 in Spanish (as INEC
    /// writes), 12,345.6 in English. Non-finite values print as "–".
    public func number(_ value: Double, decimals: Int) -> String {
        guard value.isFinite else { return "–" }
        let d = max(0, min(6, decimals))
        let fixed = String(format: "%.\(d)f", abs(value))
        let parts = fixed.split(separator: ".", maxSplits: 1)
        let integer = Array(parts[0])
        var grouped = ""
        let (groupSeparator, decimalSeparator) = self == .spanish ? (".", ",") : (",", ".")
        for (i, ch) in integer.enumerated() {
            if i > 0 && (integer.count - i) % 3 == 0 { grouped += groupSeparator }
            grouped.append(ch)
        }
        let negative = value < 0 && fixed.contains(where: { $0 != "0" && $0 != "." })
        return (negative ? "−" : "") + grouped + (parts.count > 1 ? decimalSeparator + parts[1] : "")
    }

    /// Decimals that tell apart limits spread over `range` (0 for ranges of 100 and more).
    public static func decimals(forRange range: Double) -> Int {
        guard range.isFinite, range > 0 else { return 0 }
        return max(0, min(4, 2 - Int(log10(range).rounded(.down))))
    }
}
