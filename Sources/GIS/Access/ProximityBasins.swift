/// The area nearest to each establishment of a type (its Voronoi cell, Voronoi 1908 /
/// `GEOSVoronoiDiagram_r`), clipped to the union of the units. Cells are planar in the units'
/// CRS (UTM 17S for INEC layers): within a few hundred kilometres the difference from
/// geodesic proximity is a fraction of a percent of the distances. Establishments sharing a
/// location share one cell, which goes to the first of them.
public enum ProximityBasins {
    /// The union of the units, computed once for all types (``Dissolve``'s checked coverage
    /// union, with its overlay fallback for dirty layers).
    public static func studyArea(_ units: Layer, context: GeometryContext) throws -> Geometry {
        try Dissolve.union(
            try LayerGeometries(units, context: context).present.map(\.geometry), method: .auto, context: context
        ).0
    }

    /// Cells of the `candidates` clipped to `area` (from ``studyArea(_:context:)``), whose
    /// coordinates are in `crs`.
    public static func compute(
        supply: Supply, candidates: [Int], area: Geometry, crs: CRS?, context: GeometryContext, proj: ProjContext
    ) throws -> [(establishment: Int, basin: GeometryValue)] {
        guard !candidates.isEmpty else { return [] }
        let toUnits = try proj.transform(from: .wgs84, to: crs ?? .wgs84)
        let points = try candidates.map { try toUnits.apply(supply.establishments[$0].location) }
        let e = area.envelope
        let margin = max(e.width, e.height)
        let frame = try context.rectangle(
            Envelope(minX: e.minX - margin, minY: e.minY - margin, maxX: e.maxX + margin, maxY: e.maxY + margin))
        var owner: [Coordinate: Int] = [:]
        for (k, p) in points.enumerated() where owner[p] == nil { owner[p] = candidates[k] }
        guard owner.count > 1 else {
            return [(owner.values.first ?? candidates[0], try area.value())]
        }
        let cells = try context.geometry(.multiPoint(owner.keys.sorted { ($0.x, $0.y) < ($1.x, $1.y) }))
            .voronoiCells(envelope: frame)
        var out: [(Int, GeometryValue)] = []
        // Each cell holds exactly one site: find it through an STRtree of the sites (not by
        // testing every site). Cells wholly inside the area are kept as they are; the others
        // are cut against the area clipped to the cell's box, which keeps the overlay small.
        let sites = owner.keys.sorted { ($0.x, $0.y) < ($1.x, $1.y) }
        let siteIndex = try SpatialIndex(try sites.map { try context.point($0) }, in: context)
        let inside = try PreparedGeometry(area)
        for cell in try cells.value().polygons {
            let g = try context.geometry(.polygon(cell))
            let prepared = try PreparedGeometry(g)
            guard
                let k = try siteIndex.candidates(intersecting: g).first(where: {
                    try prepared.covers(siteIndex.geometries[$0])
                }),
                let j = owner[sites[k]]
            else { continue }
            let clipped = try inside.contains(g) ? g : try area.clipped(to: g.envelope).intersection(g)
            if !clipped.isEmpty { out.append((j, try LayerRepair.polygonal(clipped, context: context).value())) }
        }
        return out.sorted { $0.0 < $1.0 }
    }
}
