/// Bad input to the planning module: the message names the units or rows at fault.
public struct PlanningError: Error, CustomStringConvertible, Sendable, Equatable {
    public var source: String?
    public var message: String
    /// Units (or rows) the message is about.
    public var units: [String]

    public init(source: String? = nil, _ message: String, units: [String] = []) {
        self.source = source
        self.message = message
        self.units = units
    }

    public var description: String {
        let where_ = source.map { "\($0): " } ?? ""
        let list =
            units.isEmpty
            ? ""
            : " (" + units.prefix(20).joined(separator: ", ") + (units.count > 20 ? ", … \(units.count - 20) more" : "")
                + ")"
        return where_ + message + list
    }
}
