/// An establishment (health centre, school, police unit...) in longitude/latitude.
public struct Establishment: Sendable, Hashable {
    public var id: String
    public var location: Coordinate
    /// The service type after mapping (`health`, `education`...).
    public var type: String
    /// People it can serve; nil when unknown.
    public var capacity: Double?
    /// Analysis unit holding it; nil when outside every unit.
    public var unit: Int?

    public init(id: String, location: Coordinate, type: String, capacity: Double?, unit: Int?) {
        self.id = id
        self.location = location
        self.type = type
        self.capacity = capacity
        self.unit = unit
    }
}

/// What happened to the establishment records.
public struct SupplyReport: Sendable {
    public var records = 0
    /// Raw type → count, for raw types the mapping does not know (left out).
    public var unmappedTypes: [String: Int] = [:]
    /// Records with unusable coordinates (left out), e.g. "line 12: lat 'NaN' ...".
    public var rejected: [String] = []
    /// Establishments outside every analysis unit (kept: they serve across borders).
    public var outsideUnits: [String] = []
    /// Pairs of the same type closer than the duplicate distance: (kept, duplicate, metres).
    public var duplicates: [(kept: String, duplicate: String, metres: Double)] = []
    /// Whether duplicates were merged (left out) or kept.
    public var duplicatesMerged = false
    /// Establishments per service type.
    public var perType: [String: Int] = [:]

    public init() {}
}

/// Establishments grouped by service type.
public struct Supply: Sendable {
    public var establishments: [Establishment]
    public var report: SupplyReport

    public init(establishments: [Establishment], report: SupplyReport) {
        self.establishments = establishments
        self.report = report
    }

    public var types: [String] { Set(establishments.map(\.type)).sorted() }

    public func of(type: String) -> [Int] { establishments.indices.filter { establishments[$0].type == type } }

    /// Options for reading a registry.
    public struct Options: Sendable {
        public var typeField: String
        /// Raw value → service type. Empty: every raw value is its own type (lowercased).
        public var mapping: [String: String]
        public var capacityField: String?
        public var idField: String?
        /// Same-type establishments closer than this (metres) are duplicates.
        public var duplicateDistance: Double
        /// Leave duplicates out instead of keeping them (both are always reported).
        public var mergeDuplicates: Bool

        public init(
            typeField: String, mapping: [String: String] = [:], capacityField: String? = nil, idField: String? = nil,
            duplicateDistance: Double = 5, mergeDuplicates: Bool = false
        ) {
            self.typeField = typeField
            self.mapping = mapping
            self.capacityField = capacityField
            self.idField = idField
            self.duplicateDistance = duplicateDistance
            self.mergeDuplicates = mergeDuplicates
        }
    }

    /// Reads a type mapping CSV with columns `raw,type` (other columns ignored).
    public static func mapping(from path: String) throws -> [String: String] {
        let table = try CSVTable.read(path)
        guard let raw = table.header.firstIndex(of: "raw"), let type = table.header.firstIndex(of: "type") else {
            throw GISError(
                .input, operation: "read type mapping", file: path,
                message: "needs columns 'raw' and 'type', has \(table.header.joined(separator: ", "))")
        }
        var out: [String: String] = [:]
        for (r, row) in table.rows.enumerated() where row.count > max(raw, type) {
            let key = row[raw].trimmingCharacters(in: .whitespaces)
            let value = row[type].trimmingCharacters(in: .whitespaces)
            guard !key.isEmpty, !value.isEmpty else {
                throw GISError(
                    .input, operation: "read type mapping", file: path, record: table.lines[r],
                    message: "empty raw value or type")
            }
            out[key] = value
        }
        return out
    }

    /// The supply of `layer`, each establishment located in `units` (with `unitLocator` when
    /// the caller already built one on `units`).
    public static func build(
        _ layer: Layer, rejected: [RejectedRow] = [], options: Options, units: Layer,
        context: GeometryContext, proj: ProjContext, unitLocator: PolygonLocator? = nil
    ) throws -> Supply {
        var report = SupplyReport()
        report.records = layer.features.count + rejected.count
        report.rejected = rejected.map(\.description)
        let typeIndex = try layer.requireField(options.typeField)
        let capacityIndex = try options.capacityField.map { try layer.requireField($0) }
        let idIndex = try options.idField.map { try layer.requireField($0) }
        let toLonLat = try proj.transform(from: layer.crs ?? .wgs84, to: .wgs84)
        var list: [Establishment] = []
        for (i, f) in layer.features.enumerated() {
            let id = idIndex.map { f.attributes[$0].description } ?? String(i + 1)
            guard case .point(let raw)? = f.geometry else {
                report.rejected.append("\(id): no point geometry")
                continue
            }
            let c = try atRecord(layer.source, i + 1) { try toLonLat.apply(raw) }
            guard c.isFinite, abs(c.x) <= 180, abs(c.y) <= 90 else {
                report.rejected.append("\(id): impossible coordinates (\(c.x), \(c.y))")
                continue
            }
            let rawType = f.attributes[typeIndex].description
            let type: String
            if options.mapping.isEmpty {
                type = rawType.lowercased()
            } else if let mapped = options.mapping[rawType] {
                type = mapped
            } else {
                report.unmappedTypes[rawType, default: 0] += 1
                continue
            }
            var capacity: Double? = nil
            if let capacityIndex, let v = f.attributes[capacityIndex].number {
                guard v.isFinite, v >= 0 else {
                    throw GISError(
                        .input, operation: "read capacity", file: layer.source, record: i + 1,
                        field: options.capacityField, message: "capacity must be a non-negative number, got \(v)")
                }
                capacity = v
            }
            list.append(Establishment(id: id, location: c, type: type, capacity: capacity, unit: nil))
        }
        if list.isEmpty && !report.unmappedTypes.isEmpty {
            throw GISError(
                .input, operation: "map establishment types", file: layer.source, field: options.typeField,
                message:
                    "the type mapping matches no record; values found: \(report.unmappedTypes.keys.sorted().prefix(12).joined(separator: ", "))"
            )
        }
        // Stable order whatever the input order: by type, then id, then position.
        list.sort { ($0.type, $0.id, $0.location.x, $0.location.y) < ($1.type, $1.id, $1.location.x, $1.location.y) }

        // Duplicates: same type within the duplicate distance.
        var drop = Set<Int>()
        for type in Set(list.map(\.type)).sorted() {
            let members = list.indices.filter { list[$0].type == type }
            let index = SphereIndex(members.map { list[$0].location })
            for (k, m) in members.enumerated() where !drop.contains(m) {
                for hit in index.within(list[m].location, metres: options.duplicateDistance) where hit.index > k {
                    let other = members[hit.index]
                    guard !drop.contains(other) else { continue }
                    report.duplicates.append((list[m].id, list[other].id, hit.metres))
                    if options.mergeDuplicates { drop.insert(other) }
                }
            }
        }
        report.duplicatesMerged = options.mergeDuplicates
        list = list.indices.filter { !drop.contains($0) }.map { list[$0] }

        // Units.
        var inUnitCRS = list.map(\.location)
        do {
            try CoordinateTransform.applyInParallel(&inUnitCRS, from: .wgs84, to: units.crs ?? .wgs84, context: proj)
        } catch var error as GISError {
            let bad = (error.record ?? 1) - 1
            error.record = nil
            error.message = "establishment \(list.indices.contains(bad) ? list[bad].id : "?"): \(error.message)"
            throw error.inFile(layer.source)
        }
        let owners = (unitLocator ?? PolygonLocator(layer: units, context: context)).locateAll(inUnitCRS)
        for i in list.indices {
            list[i].unit = owners[i] >= 0 ? Int(owners[i]) : nil
            if list[i].unit == nil { report.outsideUnits.append(list[i].id) }
            report.perType[list[i].type, default: 0] += 1
        }
        return Supply(establishments: list, report: report)
    }
}
