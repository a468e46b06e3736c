/// The one error type of the GIS layer.
///
/// Every error names what failed (`operation`), where (`file`, `record`, `field`), and why
/// (`message`, which carries the C library's own text when there is one). Records are
/// numbered from 1 in messages, as a person counts rows; `record` stores that number.
public struct GISError: Error, CustomStringConvertible, Sendable, Equatable {
    /// Broad class of failure; the CLI maps `.input` and `.usage` to exit code 2.
    public enum Kind: String, Sendable {
        /// A file is missing, unreadable, truncated or malformed.
        case input
        /// An argument or option cannot be used (unknown field, bad CRS string...).
        case usage
        /// A geometry or transform operation failed inside GEOS or PROJ.
        case operation
        /// Writing an output failed.
        case output
    }

    public var kind: Kind
    public var operation: String
    public var file: String?
    /// 1-based record (feature or row) number.
    public var record: Int?
    public var field: String?
    public var message: String

    public init(
        _ kind: Kind, operation: String, file: String? = nil, record: Int? = nil,
        field: String? = nil, message: String
    ) {
        self.kind = kind
        self.operation = operation
        self.file = file
        self.record = record
        self.field = field
        self.message = message
    }

    public var description: String {
        var location: [String] = []
        if let file { location.append(file) }
        if let record { location.append("record \(record)") }
        if let field { location.append("field '\(field)'") }
        let prefix = location.isEmpty ? "" : location.joined(separator: ", ") + ": "
        return "\(prefix)\(operation): \(message)"
    }

    /// The same error, located in `file` (when it had no file yet).
    public func inFile(_ path: String) -> GISError {
        var copy = self
        if copy.file == nil { copy.file = path }
        return copy
    }

    /// The same error, located at `record` (1-based) of `file`, keeping a file or record it
    /// already named: how an error from GEOS or PROJ gets the place it came from.
    public func at(_ path: String?, record number: Int) -> GISError {
        var copy = self
        if copy.file == nil { copy.file = path }
        if copy.record == nil { copy.record = number }
        return copy
    }
}

/// Runs `body` for record `record` (1-based) of `file`: a ``GISError`` it throws (GEOS, PROJ)
/// comes out naming that file and record.
@inlinable
public func atRecord<R>(_ file: String?, _ record: Int, _ body: () throws -> R) throws -> R {
    do {
        return try body()
    } catch let error as GISError {
        throw error.at(file, record: record)
    }
}
