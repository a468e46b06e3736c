import Foundation
import GIS
import Planning

/// The plan as polygons: its distritos and circuitos dissolved from the units layer, and the
/// contiguity rule checked where it lives, on those polygons.
///
/// The validator's graph check says every unit is connected through neighbours and links; the
/// dissolved polygon can still fall apart when a member has several polygons (a piece cut
/// badly, an exclave). This check reads the dissolved polygon itself: its polygons must form
/// one group once polygons of the same member are joined (a parroquia that is itself in parts,
/// an island of it: unavoidable with whole parroquias, reported as an exception) and polygons
/// holding the two ends of a declared link are joined. Any other part is a breach, with its
/// area, its distance to the main group and its members.
public enum PlanGeometry {
    public enum Level: String, Sendable, CaseIterable {
        case distrito, circuito
    }

    /// Polygons closer than this are touching, metres: the gaps coordinate rounding leaves
    /// (GeoJSON's 6 decimals are about 0.1 m; a piece's cut vertices lie within 1e-9 m of the
    /// neighbour's edge), never a separation a planner would see. Rook adjacency itself is the
    /// graph check's business.
    public static let touchingMetres = 0.5

    /// One feature per code with the field `level`, in the layer's CRS (`Dissolve`: coverage
    /// union, falling back to overlay). A unit the plan shares between several codes (a
    /// cabecera divided between distritos on a layer that has no finer units) is in each of
    /// their polygons, and the field `shared` lists such units: the sharing is explicit, and
    /// no code holds a shared city alone.
    public static func dissolve(_ plan: Plan, loaded: LoadedTerritory, level: Level) throws -> Layer {
        try dissolve(plan, units: loaded.layer, unitId: loaded.options.unitId, level: level)
    }

    /// The same from a units layer whose `unitId` field holds the plan's unit codes.
    public static func dissolve(_ plan: Plan, units layer: Layer, unitId: String, level: Level) throws -> Layer {
        let id = try layer.requireField(unitId)
        var tagged = layer
        tagged.fields.append(Field(level.rawValue, .text))
        tagged.features = []
        var shared: [String: [String]] = [:]
        for f in layer.features {
            let unit = f.attributes[id].description
            let list = codes(of: unit, plan, level)
            for c in list.isEmpty ? [""] : list {
                var copy = f
                copy.attributes.append(.text(c))
                tagged.features.append(copy)
                if list.count > 1 { shared[c, default: []].append(unit) }
            }
        }
        var dissolved = try Dissolve.run(tagged, options: .init(keyField: level.rawValue)).0
        dissolved.fields.append(Field("shared", .text))
        for i in dissolved.features.indices {
            let c = dissolved.features[i].attributes[0].description
            dissolved.features[i].attributes.append(.text((shared[c] ?? []).sorted().joined(separator: ";")))
        }
        return dissolved
    }

    static func codes(of unit: String, _ plan: Plan, _ level: Level) -> [String] {
        let a = plan.assignments[unit]
        return (level == .distrito ? a?.distritos : a?.circuitos) ?? []
    }

    /// What the polygon check found at one level.
    public struct Contiguity: Sendable {
        /// Units whose polygon falls apart beyond what members and links explain (hard rule).
        public var breaches: [Violation] = []
        /// Units in several polygons only because a member is (whole-parroquia exceptions).
        public var exceptions: [Violation] = []
    }

    /// Checks every feature of `dissolved` (from ``dissolve(_:loaded:level:)``) with more than
    /// one polygon. Areas and distances in a local metric frame (``MetricFrame``), GEOS
    /// `GEOSDistance_r` between parts; O(parts × members) point-in-polygon tests per unit in
    /// several parts, nothing for the others.
    public static func contiguity(
        _ dissolved: Layer, level: Level, plan: Plan, loaded: LoadedTerritory
    ) throws -> Contiguity {
        try contiguity(
            dissolved, level: level, plan: plan, units: loaded.layer, unitId: loaded.options.unitId,
            links: loaded.linksUsed)
    }

    /// The check against a units layer: `unitId` names its id field; a unit with a
    /// `PARENT` field different from its id is a piece of that parent (``UnitSplitter``), and
    /// its polygons count as the parent's own only when each lies in a different polygon of
    /// the parent (the union of its pieces); `links` are the declared links.
    public static func contiguity(
        _ dissolved: Layer, level: Level, plan: Plan, units layer: Layer, unitId: String, links: [(String, String)]
    ) throws -> Contiguity {
        let id = try layer.requireField(unitId)
        let parentField = layer.fieldIndex(UnitSplitter.parentField)
        let key = try dissolved.requireField(level.rawValue)
        let context = GeometryContext()
        let proj = try ProjContext()
        // Members are taken to the dissolved layer's CRS (the written GeoJSON is WGS 84), then
        // both to the dissolved layer's metric frame.
        let toDissolved = try proj.transform(from: layer.crs ?? .wgs84, to: dissolved.crs ?? .wgs84)
        let frame = try MetricFrame(for: dissolved, context: proj)
        var membersOf: [String: [Int]] = [:]
        for (i, f) in layer.features.enumerated() {
            for c in codes(of: f.attributes[id].description, plan, level) { membersOf[c, default: []].append(i) }
        }
        // A piece's polygons are its parent's own when no two lie in one polygon of the parent.
        var parentPolygons: [String: [PreparedGeometry]] = [:]
        var piecesOf: [String: [Int]] = [:]
        if let parentField {
            for (i, f) in layer.features.enumerated() {
                piecesOf[f.attributes[parentField].description, default: []].append(i)
            }
        }
        func ownPolygons(_ m: Int, hit: [Int]) throws -> Bool {
            guard hit.count > 1, let parentField else { return true }
            let parent = layer.features[m].attributes[parentField].description
            guard parent != layer.features[m].attributes[id].description, !parent.isEmpty else { return true }
            if parentPolygons[parent] == nil {
                let pieces = try (piecesOf[parent] ?? []).compactMap { p in
                    try layer.features[p].geometry.map {
                        try context.geometry(try frame.toMetric(try toDissolved.apply($0)))
                    }
                }
                parentPolygons[parent] = try context.collection(pieces).unaryUnion().value().polygons.map {
                    try PreparedGeometry(try context.geometry(.polygon($0)))
                }
            }
            let polygons = parentPolygons[parent] ?? []
            guard let g = layer.features[m].geometry else { return true }
            var seen = Set<Int>()
            for polygon in try frame.toMetric(try toDissolved.apply(g)).polygons {
                let inside = try context.geometry(.polygon(polygon)).pointOnSurface()
                guard let k = try polygons.firstIndex(where: { try $0.covers(inside) }) else { return false }
                guard seen.insert(k).inserted else { return false }
            }
            return true
        }
        var result = Contiguity()
        for (record, feature) in dissolved.features.enumerated() {
            let unit = feature.attributes[key].description
            // Units the plan leaves out (or a plan without circuitos) are not a unit of the plan.
            guard let value = feature.geometry, value.polygons.count > 1, !unit.isEmpty else { continue }
            let members = membersOf[unit] ?? []
            try atRecord(dissolved.source, record + 1) {
                let parts = try frame.toMetric(value).polygons.map { try context.geometry(.polygon($0)) }
                let prepared = try parts.map { try PreparedGeometry($0) }
                var groups = DisjointSets(parts.count)
                var partsOfMember: [Int: [Int]] = [:]
                for m in members {
                    guard let g = layer.features[m].geometry else { continue }
                    var hit: [Int] = []
                    for polygon in try frame.toMetric(try toDissolved.apply(g)).polygons {
                        let inside = try context.geometry(.polygon(polygon)).pointOnSurface()
                        if let k = try prepared.firstIndex(where: { try $0.covers(inside) }) {
                            hit.append(k)
                        } else if let k = try parts.indices.min(by: {
                            (try parts[$0].distance(to: inside), $0) < (try parts[$1].distance(to: inside), $1)
                        }) {
                            // A sliver moved by the writer's precision: the nearest part.
                            hit.append(k)
                        }
                    }
                    if try ownPolygons(m, hit: hit) {
                        for k in hit.dropFirst() { groups.join(hit[0], k) }
                    }
                    partsOfMember[m] = hit
                }
                let index = Dictionary(members.map { (layer.features[$0].attributes[id].description, $0) }) { a, _ in a
                }
                for (a, b) in links {
                    if let ma = index[a], let mb = index[b], let pa = partsOfMember[ma]?.first,
                        let pb = partsOfMember[mb]?.first
                    {
                        groups.join(pa, pb)
                    }
                }
                // Parts within rounding distance of each other touch.
                for a in parts.indices {
                    for b in parts.indices where b > a && groups.root(a) != groups.root(b) {
                        if try prepared[a].distance(to: parts[b]) <= touchingMetres { groups.join(a, b) }
                    }
                }
                let areas = try parts.map { try $0.area() }
                var byGroup: [Int: [Int]] = [:]
                for k in parts.indices { byGroup[groups.root(k), default: []].append(k) }
                let names = { (ks: Set<Int>) in
                    members.filter { !Set(partsOfMember[$0] ?? []).isDisjoint(with: ks) }
                        .map { layer.features[$0].attributes[id].description }.sorted()
                }
                guard byGroup.count > 1 else {
                    let several = members.filter { Set(partsOfMember[$0] ?? []).count > 1 }
                        .map { layer.features[$0].attributes[id].description }.sorted()
                    result.exceptions.append(
                        Violation(
                            rule: "polygons", unit: unit, members: several,
                            message:
                                "\(parts.count) polygons, joined because a member is itself in several polygons (islands or exclaves of a whole unit)"
                        ))
                    return
                }
                let ordered = byGroup.values.map { $0.sorted() }.sorted {
                    ($0.reduce(0) { $0 + areas[$1] }, -($0.first ?? 0)) > (
                        $1.reduce(0) { $0 + areas[$1] }, -($1.first ?? 0)
                    )
                }
                let main = ordered[0]
                for fragment in ordered.dropFirst() {
                    var gap = Double.infinity
                    for a in fragment { for b in main { gap = min(gap, try parts[a].distance(to: parts[b])) } }
                    let area = fragment.reduce(0) { $0 + areas[$1] }
                    result.breaches.append(
                        Violation(
                            rule: "contiguity (polygons)", unit: unit, members: names(Set(fragment)),
                            message:
                                "its dissolved polygon is in \(byGroup.count) separate groups: a fragment of \(fmt(area / 1e6, 3)) km² lies \(gap < 1_000 ? fmt(gap, 3) + " m" : fmt(gap / 1000, 3) + " km") from the main part, joined neither by land, by a member nor by a declared link"
                        ))
                }
            }
        }
        return result
    }

    /// Both levels dissolved in memory.
    public static func dissolve(_ plan: Plan, loaded: LoadedTerritory) throws -> [Level: Layer] {
        var layers: [Level: Layer] = [:]
        for level in Level.allCases { layers[level] = try dissolve(plan, loaded: loaded, level: level) }
        return layers
    }

    /// Both levels dissolved and checked in memory (`validate`, the services commands); the
    /// breaches become violations of `report` and the exceptions its warnings. Returns the
    /// dissolved layers.
    @discardableResult
    public static func check(_ plan: Plan, loaded: LoadedTerritory, report: inout ValidationReport) throws
        -> [Level: Layer]
    {
        let layers = try dissolve(plan, loaded: loaded)
        for (level, dissolved) in layers.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
            let found = try contiguity(dissolved, level: level, plan: plan, loaded: loaded)
            report.violations += found.breaches
            report.warnings += found.exceptions
        }
        return layers
    }

    /// The check on what a run wrote: `distritos.geojson` and `circuitos.geojson` are read back
    /// from the output set (GeoJSON reader, not the structures that wrote them) and checked
    /// for validity (`GEOSisValidReason_r`) and contiguity.
    public static func checkWritten(
        _ out: OutputSet, plan: Plan, loaded: LoadedTerritory, report: inout ValidationReport
    ) throws {
        let context = GeometryContext()
        for level in Level.allCases {
            let path = out.path("\(level.rawValue)s.geojson")
            let written = try LayerIO.read(path)
            let key = try written.requireField(level.rawValue)
            for (record, f) in written.features.enumerated() {
                guard let g = f.geometry else { continue }
                if let reason = try atRecord(path, record + 1, { try context.geometry(g).invalidityReason() }) {
                    report.violations.append(
                        Violation(
                            rule: "valid polygons", unit: f.attributes[key].description, members: [],
                            message: "the written polygon is invalid: \(reason)"))
                }
            }
            let found = try contiguity(written, level: level, plan: plan, loaded: loaded)
            report.violations += found.breaches
            report.warnings += found.exceptions
        }
    }
}
