import Foundation

/// Merges features that share a key into one feature each: the geometry is the union of the
/// group, numeric fields are summed, other fields kept when constant within every group.
///
/// Method: ``Method/auto`` first dissolves each group with `GEOSCoverageUnion_r` (which only
/// removes edges two polygons share exactly: fast, and right for clean coverages such as
/// INEC's DPA) and checks the result (valid, and area equal to the members' summed area
/// within 1e-9); a group that fails the check — overlapping or misaligned input — is redone
/// with `GEOSUnaryUnion_r` (full overlay) and named in the report.
///
/// Either union can leave hairline holes where two members' borders run together without
/// sharing vertices — a piece clipped from a parroquia (`GEOSClipByRect_r` puts new vertices
/// on its border, which the neighbour's edge lacks) — a few 1e-7 m² each, but counted twice
/// in the perimeter (a national distrito plan lost 0.03 of mean Polsby–Popper to them). A hole
/// narrower on average than ``hairlineWidth(for:)`` (a billionth of the layer's extent: 1 mm
/// for a country in metres) holds no land of anyone: it is filled and counted in the report.
public enum Dissolve {
    public enum Method: String, Sendable, CaseIterable {
        case auto, coverage, overlay
    }

    public struct Options: Sendable {
        public var keyField: String
        /// Group by the first `prefix` characters of the key (DPA codes: 4 → cantón, 2 → province).
        public var prefix: Int?
        /// Name of the key field in the output (default: the key field's name).
        public var outputKey: String?
        public var method: Method

        public init(keyField: String, prefix: Int? = nil, outputKey: String? = nil, method: Method = .auto) {
            self.keyField = keyField
            self.prefix = prefix
            self.outputKey = outputKey
            self.method = method
        }
    }

    public struct Report: Sendable {
        public var inputFeatures = 0
        public var groups = 0
        /// Groups redone with a full overlay because coverage union did not check out.
        public var overlayGroups: [String] = []
        /// Numeric fields summed: name → (sum over input, sum over output). Equal by
        /// construction; reported so users can see population conserved.
        public var sums: [(field: String, input: Double, output: Double)] = []
        /// Non-numeric fields dropped because they vary within some group.
        public var droppedFields: [String] = []
        /// Features with a null key, grouped under the empty key.
        public var nullKeys = 0
        /// Features without geometry (their attributes are still summed).
        public var nullGeometries = 0
        /// Hairline holes filled (``hairlineWidth(for:)``), over all groups.
        public var hairlineHoles = 0
    }

    /// A power of ten about a billionth of the larger side of `envelope`: far below any
    /// border a survey draws, far above the rounding of the coordinates. O(1).
    public static func hairlineWidth(for envelope: Envelope) -> Double {
        let side = max(envelope.width, envelope.height)
        guard side.isFinite, side > 0 else { return 1e-12 }
        return max(1e-12, Foundation.pow(10, Foundation.log10(side * 1e-9).rounded(.down)))
    }

    public static func run(_ layer: Layer, options: Options, context: GeometryContext = GeometryContext()) throws -> (
        Layer, Report
    ) {
        let keyIndex = try layer.requireField(options.keyField)
        if let p = options.prefix, p <= 0 {
            throw GISError(
                .usage, operation: "dissolve", field: options.keyField,
                message: "prefix length must be positive, got \(p)")
        }
        var report = Report()
        report.inputFeatures = layer.features.count
        var groups: [String: [Int]] = [:]
        for (i, f) in layer.features.enumerated() {
            let value = f.attributes[keyIndex]
            if value.isNull { report.nullKeys += 1 }
            var key = value.description
            if let p = options.prefix { key = String(key.prefix(p)) }
            groups[key, default: []].append(i)
        }
        let keys = groups.keys.sorted()
        report.groups = keys.count

        // Output fields: key, member count, then the other fields that survive. An input
        // field with the output key's name is replaced by the key; an input `n_members`
        // (a layer dissolved before) is summed, so it keeps counting the original units.
        let keyName = options.outputKey ?? layer.fields[keyIndex].name
        let others = layer.fields.indices.filter { $0 != keyIndex && layer.fields[$0].name != keyName }
        let countsMembers = others.contains { layer.fields[$0].name == "n_members" }
        var kept: [Int] = []
        for f in others {
            switch layer.fields[f].type {
            case .integer, .decimal: kept.append(f)
            default:
                let constant = groups.values.allSatisfy { members in
                    let first = layer.features[members[0]].attributes[f]
                    return members.allSatisfy { layer.features[$0].attributes[f] == first }
                }
                if constant { kept.append(f) } else { report.droppedFields.append(layer.fields[f].name) }
            }
        }
        var fields = [Field(keyName, .text)] + (countsMembers ? [] : [Field("n_members", .integer)])
        fields += kept.map { Field(layer.fields[$0].name, layer.fields[$0].type) }

        let hairline = hairlineWidth(for: layer.envelope)
        let built = try LayerGeometries(layer, context: context)
        report.nullGeometries = built.geometries.filter { $0 == nil }.count
        var features: [Feature] = []
        features.reserveCapacity(keys.count)
        for key in keys {
            let members = groups[key] ?? []
            let parts = members.compactMap { built.geometries[$0] }.filter { !$0.isEmpty }
            var geometry: GeometryValue? = nil
            if parts.count == 1 {
                geometry = layer.features[members.first { built.geometries[$0] === parts[0] } ?? members[0]].geometry
            } else if parts.count > 1 {
                do {
                    let (merged, usedOverlay) = try union(parts, method: options.method, context: context)
                    if usedOverlay && options.method == .auto { report.overlayGroups.append(key) }
                    let (filled, holes) = try fillingHairlineHoles(
                        try merged.value(), width: hairline, context: context)
                    report.hairlineHoles += holes
                    geometry = filled
                } catch var error as GISError {
                    // The group's records, so the user can find the polygons that broke GEOS.
                    error.message =
                        "group '\(key)' (records \(members.prefix(10).map { String($0 + 1) }.joined(separator: ", "))\(members.count > 10 ? ", …" : "")): \(error.message)"
                    throw error.inFile(layer.source)
                }
            }
            var attributes: [AttributeValue] = [.text(key)]
            if !countsMembers { attributes.append(.integer(Int64(members.count))) }
            for f in kept {
                switch layer.fields[f].type {
                case .integer:
                    attributes.append(
                        .integer(
                            members.reduce(Int64(0)) { t, m in
                                if case .integer(let v) = layer.features[m].attributes[f] { return t + v }
                                return t
                            }))
                case .decimal:
                    attributes.append(
                        .decimal(members.reduce(0.0) { $0 + (layer.features[$1].attributes[f].number ?? 0) }))
                default:
                    attributes.append(layer.features[members[0]].attributes[f])
                }
            }
            features.append(Feature(geometry: geometry, attributes: attributes))
        }
        for f in kept where [.integer, .decimal].contains(layer.fields[f].type) {
            let input = layer.features.reduce(0.0) { $0 + ($1.attributes[f].number ?? 0) }
            let outIndex = fields.firstIndex { $0.name == layer.fields[f].name } ?? 0
            let output = features.reduce(0.0) { $0 + ($1.attributes[outIndex].number ?? 0) }
            report.sums.append((layer.fields[f].name, input, output))
        }
        let result = Layer(
            source: layer.source, kind: .polygon, crs: layer.crs, fields: fields, features: features, notes: [])
        return (result, report)
    }

    /// `geometry` without its holes narrower on average (2 × area ÷ perimeter, planar in the
    /// layer's units) than `width`, and how many it lost; unchanged when it has none, or when
    /// filling them would make it invalid (a part inside such a hole). O(vertices of the holes);
    /// GEOS is asked only when a hole was filled.
    static func fillingHairlineHoles(_ value: GeometryValue, width: Double, context: GeometryContext) throws -> (
        GeometryValue, Int
    ) {
        switch value {
        case .polygon, .multiPolygon: break
        default: return (value, 0)
        }
        var removed = 0
        func keep(_ ring: [Coordinate]) -> Bool {
            // Ring.signedArea works relative to the first vertex: products of coordinates of
            // 1e7 m would lose the 1e-7 m² these holes hold.
            var perimeter = 0.0
            for (a, b) in zip(ring, ring.dropFirst()) {
                let dx = b.x - a.x, dy = b.y - a.y
                perimeter += (dx * dx + dy * dy).squareRoot()
            }
            let hairline = perimeter > 0 && 2 * abs(Ring.signedArea(ring)) / perimeter < width
            if hairline { removed += 1 }
            return !hairline
        }
        let polygons = value.polygons.map { PolygonValue(exterior: $0.exterior, holes: $0.holes.filter(keep)) }
        guard removed > 0 else { return (value, 0) }
        let rebuilt: GeometryValue = polygons.count == 1 ? .polygon(polygons[0]) : .multiPolygon(polygons)
        return try context.geometry(rebuilt).isValid() ? (rebuilt, removed) : (value, 0)
    }

    /// Union of `parts`; returns whether the overlay path was used.
    static func union(_ parts: [Geometry], method: Method, context: GeometryContext) throws -> (Geometry, Bool) {
        let collection = try context.collection(parts)
        if method == .overlay { return (try collection.unaryUnion(), true) }
        if let merged = try? collection.coverageUnion() {
            if method == .coverage { return (merged, false) }
            let summed = try parts.reduce(0.0) { $0 + (try $1.area()) }
            let area = try merged.area()
            // Coverage union merges only edges whose vertices match; where a neighbour's edge
            // runs along without sharing vertices (a piece cut from a parroquia) it leaves two
            // polygons that touch, valid and of the right area. A result in several polygons is
            // therefore redone by overlay, which merges them (rare: islands, exclaves).
            if try merged.isValid(), abs(area - summed) <= 1e-9 * max(summed, 1), merged.partCount == 1 {
                return (merged, false)
            }
        } else if method == .coverage {
            throw GISError(
                .operation, operation: "coverage union",
                message: context.takeError() + " (the input is not a clean coverage; use --method overlay)")
        }
        return (try collection.unaryUnion(), true)
    }
}
