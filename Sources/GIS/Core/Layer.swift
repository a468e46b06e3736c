/// Attribute column types, the common ground of DBF, GeoJSON and CSV.
public enum FieldType: String, Sendable, Hashable, CaseIterable {
    case text, integer, decimal, logical, date
}

/// A calendar date as stored in a DBF `D` field (no time zone).
public struct DateValue: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var year: Int
    public var month: Int
    public var day: Int
    public init(year: Int, month: Int, day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }
    public var description: String {
        let y = String(year), m = month < 10 ? "0\(month)" : "\(month)"
        let d = day < 10 ? "0\(day)" : "\(day)"
        return "\(String(repeating: "0", count: max(0, 4 - y.count)))\(y)-\(m)-\(d)"
    }
    public static func < (a: DateValue, b: DateValue) -> Bool {
        (a.year, a.month, a.day) < (b.year, b.month, b.day)
    }
}

/// A typed attribute value.
public enum AttributeValue: Sendable, Hashable, CustomStringConvertible {
    case text(String)
    case integer(Int64)
    case decimal(Double)
    case logical(Bool)
    case date(DateValue)
    case null

    public var description: String {
        switch self {
        case .text(let s): s
        case .integer(let i): String(i)
        case .decimal(let d): String(d)
        case .logical(let b): b ? "true" : "false"
        case .date(let d): d.description
        case .null: ""
        }
    }

    /// The value as a number, when it is one.
    public var number: Double? {
        switch self {
        case .integer(let i): Double(i)
        case .decimal(let d): d
        default: nil
        }
    }

    public var isNull: Bool { if case .null = self { true } else { false } }
}

/// A named, typed attribute column. `width`/`decimals` matter only for DBF output.
public struct Field: Sendable, Hashable {
    public var name: String
    public var type: FieldType
    public var width: Int?
    public var decimals: Int?

    public init(_ name: String, _ type: FieldType, width: Int? = nil, decimals: Int? = nil) {
        self.name = name
        self.type = type
        self.width = width
        self.decimals = decimals
    }
}

/// One record: an optional geometry (nil = null shape) and one value per layer field.
public struct Feature: Sendable, Hashable {
    public var geometry: GeometryValue?
    public var attributes: [AttributeValue]

    public init(geometry: GeometryValue?, attributes: [AttributeValue]) {
        self.geometry = geometry
        self.attributes = attributes
    }
}

/// The geometry family of a layer.
public enum GeometryKind: String, Sendable, Hashable {
    case point, multiPoint, line, polygon, none, mixed
}

/// A vector layer held as Sendable values: what the readers return and the writers take.
public struct Layer: Sendable {
    /// Where the layer came from (a path), used to name it in messages.
    public var source: String
    public var kind: GeometryKind
    /// nil when the source carried no CRS (e.g. a shapefile without `.prj`).
    public var crs: CRS?
    public var fields: [Field]
    public var features: [Feature]
    /// What the reader did that a user should know (ignored Z/M, fixed ring orientation...).
    public var notes: [String]

    public init(
        source: String, kind: GeometryKind, crs: CRS?, fields: [Field], features: [Feature],
        notes: [String] = []
    ) {
        self.source = source
        self.kind = kind
        self.crs = crs
        self.fields = fields
        self.features = features
        self.notes = notes
    }

    /// Index of the field called `name` (exact match first, then case-insensitive).
    public func fieldIndex(_ name: String) -> Int? {
        fields.firstIndex { $0.name == name }
            ?? fields.firstIndex { $0.name.lowercased() == name.lowercased() }
    }

    /// Like ``fieldIndex(_:)`` but throws a usage error listing the available fields.
    public func requireField(_ name: String) throws -> Int {
        guard let i = fieldIndex(name) else {
            throw GISError(
                .usage, operation: "find field", file: source, field: name,
                message:
                    "no such field; the layer has: \(fields.map(\.name).joined(separator: ", "))"
            )
        }
        return i
    }

    public var envelope: Envelope {
        var e = Envelope.empty
        for f in features { if let g = f.geometry { e.extend(g.envelope) } }
        return e
    }
}
