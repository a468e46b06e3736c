import Foundation
import GIS

/// `territorio locate`: the polygon holding each point, and for points outside every
/// polygon the nearest one and the geodesic distance to it.
///
/// Points are read column-wise (``PointColumns``: a CSV in parallel from its bytes),
/// transformed into the polygons' CRS on all cores, and located with the exact
/// ``PolygonPointIndex`` (GEOS `covers`; a point on a shared border goes to the
/// lowest-indexed polygon) on all cores. The CSV is built in parallel pieces too; the result
/// is the same whatever the number of cores.
public enum LocateWorkflow {
    public struct Result: Sendable {
        /// `point,unit,nearest_unit,distance_m`, one row per point, in input order.
        public var csv: [UInt8]
        public var inside = 0
        public var outside = 0
        public var withoutGeometry = 0
        public var points: Int { inside + outside + withoutGeometry }
    }

    public static func run(
        points path: String, units: Layer, unitField: String, pointField: String?, readOptions: LayerReadOptions
    ) throws -> Result {
        let unitIndex = try units.requireField(unitField)
        // Names and coordinates in input order; nil coordinates for features without a point.
        let names: [String]?
        let coordinates: [Coordinate?]
        let crs: CRS
        if try LayerFormat(path: path) == .csv {
            let columns = try PointColumns.read(path, options: readOptions.csv, text: pointField.map { [$0] } ?? [])
            names = pointField == nil ? nil : columns.texts[0]
            coordinates = columns.coordinates.map { Optional($0) }
            crs = columns.crs
        } else {
            let layer = try LayerIO.read(path, options: readOptions)
            let field = try pointField.map { try layer.requireField($0) }
            names = field.map { f in layer.features.map { $0.attributes[f].description } }
            coordinates = layer.features.map { f in if case .point(let c)? = f.geometry { c } else { nil } }
            crs = layer.crs ?? .wgs84
        }
        let proj = try ProjContext()
        let present = coordinates.indices.filter { coordinates[$0] != nil }
        var moved = present.compactMap { coordinates[$0] }
        try CoordinateTransform.applyInParallel(
            &moved, from: crs, to: units.crs ?? .wgs84, context: proj, file: path, record: { present[$0] + 1 })

        let context = GeometryContext()
        let locator = PolygonLocator(layer: units, context: context)
        let found = locator.locateAll(moved)
        var unitOf = [Int32](repeating: -1, count: coordinates.count)
        for (k, i) in present.enumerated() { unitOf[i] = found[k] }
        // Points outside every polygon: the nearest polygon by GEOS, then the geodesic distance
        // to its closest point (few points: sequential).
        let measure = try GeodesicMeasure(crs: units.crs ?? .wgs84, context: proj)
        var nearest: [Int: (unit: Int, metres: Double)] = [:]
        for (k, i) in present.enumerated() where found[k] < 0 {
            let c = moved[k]
            // A GEOS or PROJ failure names the point's file and record.
            try atRecord(path, i + 1) {
                if let (u, _) = try locator.nearest(c) {
                    let g = try context.geometry(units.features[u].geometry ?? .multiPolygon([]))
                    let closest = try g.nearestPoints(to: try context.point(c)).0
                    nearest[i] = (u, measure.geodesic.distance(try measure.lonLat(c), try measure.lonLat(closest)))
                }
            }
        }
        // The rows, formatted in parallel pieces and joined in order.
        let unitNames = units.features.map { Array(CSVText.field($0.attributes[unitIndex].description).utf8) }
        let n = coordinates.count
        let frozenNames = names, frozenUnits = unitOf, frozenNearest = nearest
        let pieces = parallelMap(stride(from: 0, to: n, by: 16_384).map { $0..<min(n, $0 + 16_384) }, grain: 1) {
            rows -> [UInt8] in
            var out: [UInt8] = []
            out.reserveCapacity(rows.count * 20)
            for i in rows {
                if let frozenNames {
                    out += Array(CSVText.field(frozenNames[i]).utf8)
                } else {
                    JSONText.appendDigits(UInt64(i + 1), to: &out)
                }
                out.append(UInt8(ascii: ","))
                if frozenUnits[i] >= 0 {
                    out += unitNames[Int(frozenUnits[i])]
                    out += Array(",,\n".utf8)
                } else if let near = frozenNearest[i] {
                    out.append(UInt8(ascii: ","))
                    out += unitNames[near.unit]
                    out += Array(("," + JSONText.fixed(near.metres, decimals: 1) + "\n").utf8)
                } else {
                    // No point geometry, or no polygon at all to be near.
                    out += Array(",,\n".utf8)
                }
            }
            return out
        }
        var result = Result(csv: Array("point,unit,nearest_unit,distance_m\n".utf8))
        for p in pieces { result.csv += p }
        result.withoutGeometry = n - present.count
        result.inside = found.filter { $0 >= 0 }.count
        result.outside = present.count - result.inside
        return result
    }
}
