import GIS
import Planning

/// A bad option or input value found at the border of a workflow: the message names the
/// option (`--distrito-target`) or the file, line and field, and the accepted range.
/// The CLI maps it to exit code 2.
public struct WorkflowError: Error, CustomStringConvertible, Sendable, Equatable {
    public var message: String

    public init(_ message: String) { self.message = message }

    public var description: String { message }
}

/// Range checks for numbers that come from options or files. Every check returns the value
/// when it is finite and inside its range, and throws a ``WorkflowError`` naming it otherwise.
public enum Checked {
    /// A finite number in `range`; `name` is the option (`--speed`) or "file, line N, field 'x'".
    public static func number(_ value: Double, in range: ClosedRange<Double>, _ name: String) throws -> Double {
        guard value.isFinite, range.contains(value) else {
            throw WorkflowError("\(name) must be a number from \(show(range.lowerBound)) to \(show(range.upperBound)), got \(show(value))")
        }
        return value
    }

    /// An integer in `range`.
    public static func integer(_ value: Int, in range: ClosedRange<Int>, _ name: String) throws -> Int {
        guard range.contains(value) else {
            throw WorkflowError("\(name) must be an integer from \(range.lowerBound) to \(range.upperBound), got \(value)")
        }
        return value
    }

    /// A whole number held in a Double (a count read from a file), converted without trapping.
    public static func count(_ value: Double, in range: ClosedRange<Int>, _ name: String) throws -> Int {
        guard value.isFinite, value >= Double(range.lowerBound), value <= Double(range.upperBound) else {
            throw WorkflowError("\(name) must be from \(range.lowerBound) to \(range.upperBound), got \(show(value))")
        }
        return Int(value.rounded())
    }

    static func show(_ v: Double) -> String {
        if v.isNaN { return "not a number" }
        if v.isInfinite { return v > 0 ? "infinity" : "-infinity" }
        if v == v.rounded(), abs(v) < 1e15 { return String(Int64(v)) }
        return "\(v)"
    }
}
