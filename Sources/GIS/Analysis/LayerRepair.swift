/// Repairs a polygon layer: every invalid geometry is made valid (`GEOSMakeValidWithParams_r`,
/// structure method), and optionally overlaps are removed so the layer becomes a coverage:
/// features are taken in order and each loses the parts already claimed by the features
/// before it. The default order is by area, smallest first, so an overlap goes to the more
/// specific unit (in the CONALI layer an "urban" parish drawn over its whole cantón would
/// otherwise swallow the rural parishes); `orderField` sets another order. Every change is
/// reported.
public enum LayerRepair {
    public struct Change: Sendable, Hashable {
        public var index: Int
        public var what: String
        /// Geodesic area before and after, m².
        public var areaBefore: Double
        public var areaAfter: Double
    }

    public struct Report: Sendable {
        public var changes: [Change] = []
        public var madeValid: Int { changes.filter { $0.what.hasPrefix("made valid") }.count }
        public var overlapsRemoved: Int { changes.filter { $0.what.hasPrefix("overlap") }.count }
    }

    public static func run(
        _ layer: Layer, removeOverlaps: Bool, orderField: String? = nil,
        context: GeometryContext = GeometryContext(), measure: GeodesicMeasure
    ) throws -> (Layer, Report) {
        var report = Report()
        let built = try LayerGeometries(layer, context: context)
        var fixed: [Geometry?] = []
        for (i, g) in built.geometries.enumerated() {
            guard let g, !g.isEmpty else {
                fixed.append(g)
                continue
            }
            try atRecord(layer.source, i + 1) {
                if let reason = try g.invalidityReason() {
                    let valid = try polygonal(try g.makeValid(), context: context)
                    report.changes.append(
                        Change(
                            index: i, what: "made valid (\(reason))",
                            areaBefore: try measure.area(try g.value()), areaAfter: try measure.area(try valid.value())))
                    fixed.append(valid)
                } else {
                    fixed.append(g)
                }
            }
        }
        if removeOverlaps {
            var order = Array(layer.features.indices)
            let areas = try fixed.map { try $0?.area() ?? 0 }
            order.sort { (areas[$0], $0) < (areas[$1], $1) }
            if let orderField {
                let f = try layer.requireField(orderField)
                order.sort {
                    (layer.features[$0].attributes[f].description, $0) < (
                        layer.features[$1].attributes[f].description, $1
                    )
                }
            }
            let index = try SpatialIndex(fixed, in: context)
            var rank = [Int](repeating: 0, count: order.count)
            for (r, i) in order.enumerated() { rank[i] = r }
            var claimed = fixed
            for i in order {
                guard let gi = fixed[i], !gi.isEmpty else { continue }
                var current = gi
                for j in index.candidates(intersecting: gi) where rank[j] < rank[i] {
                    guard let gj = claimed[j], try current.intersects(gj) else { continue }
                    let overlap = try current.intersection(gj)
                    guard try overlap.area() > 0 else { continue }
                    current = try polygonal(try current.difference(gj), context: context)
                }
                if current !== gi {
                    report.changes.append(
                        Change(
                            index: i, what: "overlap with earlier features removed",
                            areaBefore: try measure.area(try gi.value()),
                            areaAfter: try measure.area(try current.value())))
                }
                claimed[i] = current
            }
            fixed = claimed
        }
        var out = layer
        for (i, g) in fixed.enumerated() where g != nil {
            out.features[i].geometry = try g?.value()
        }
        out.notes.append("repaired: \(report.madeValid) made valid, \(report.overlapsRemoved) trimmed of overlaps")
        return (out, report)
    }

    /// The polygonal part of a geometry (make-valid and difference can return collections
    /// holding lines or points where polygons touched).
    static func polygonal(_ g: Geometry, context: GeometryContext) throws -> Geometry {
        let value = try g.value()
        switch value {
        case .polygon, .multiPolygon: return g
        default:
            let polygons = value.polygons
            return try context.geometry(polygons.count == 1 ? .polygon(polygons[0]) : .multiPolygon(polygons))
        }
    }
}
