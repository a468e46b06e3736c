/// The area nearest to each establishment of a type (its Voronoi cell, Voronoi 1908 /
/// `GEOSVoronoiDiagram_r`), clipped to the union of the units. Cells are planar in the units'
/// CRS (UTM 17S for INEC layers): within a few hundred kilometres the difference from
/// geodesic proximity is a fraction of a percent of the distances. Establishments sharing a
/// location share one cell, which goes to the first of them.
public enum ProximityBasins {
    public static func compute(
        supply: Supply, candidates: [Int], units: Layer, context: GeometryContext, proj: ProjContext
    ) throws -> [(establishment: Int, basin: GeometryValue)] {
        guard !candidates.isEmpty else { return [] }
        let toUnits = try proj.transform(from: .wgs84, to: units.crs ?? .wgs84)
        let points = try candidates.map { try toUnits.apply(supply.establishments[$0].location) }
        let built = try LayerGeometries(units, context: context)
        let area = try context.collection(built.present.map(\.geometry)).unaryUnion()
        let e = area.envelope
        let margin = max(e.width, e.height)
        let frame = try context.rectangle(
            Envelope(minX: e.minX - margin, minY: e.minY - margin, maxX: e.maxX + margin, maxY: e.maxY + margin))
        var owner: [Coordinate: Int] = [:]
        for (k, p) in points.enumerated() where owner[p] == nil { owner[p] = candidates[k] }
        guard owner.count > 1 else {
            return [(owner.values.first ?? candidates[0], try area.value())]
        }
        let cells = try context.geometry(.multiPoint(Array(owner.keys).sorted { ($0.x, $0.y) < ($1.x, $1.y) }))
            .voronoiCells(envelope: frame)
        var out: [(Int, GeometryValue)] = []
        for cell in try cells.value().polygons {
            let g = try context.geometry(.polygon(cell))
            let prepared = try PreparedGeometry(g)
            guard let j = try owner.first(where: { try prepared.covers(try context.point($0.key)) })?.value else {
                continue
            }
            let clipped = try g.intersection(area)
            if !clipped.isEmpty { out.append((j, try LayerRepair.polygonal(clipped, context: context).value())) }
        }
        return out.sorted { $0.0 < $1.0 }
    }
}
