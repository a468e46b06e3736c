/// The geometries of a layer built once in GEOS, one per feature (nil for null geometry),
/// so analyses do not convert values per operation.
public struct LayerGeometries {
    public let context: GeometryContext
    public let geometries: [Geometry?]

    /// Builds every feature's geometry; an unbuildable one (a ring of three points...)
    /// throws an error naming the layer and record.
    public init(_ layer: Layer, context: GeometryContext) throws {
        self.context = context
        var out: [Geometry?] = []
        out.reserveCapacity(layer.features.count)
        for (i, f) in layer.features.enumerated() {
            guard let g = f.geometry else {
                out.append(nil)
                continue
            }
            do {
                out.append(try context.geometry(g))
            } catch let e as GISError {
                throw GISError(
                    .input, operation: "build geometry", file: layer.source, record: i + 1, message: e.message)
            }
        }
        geometries = out
    }

    /// Geometries already built.
    public init(geometries: [Geometry?], context: GeometryContext) {
        self.context = context
        self.geometries = geometries
    }

    /// The non-null, non-empty geometries with their record indices, for indexing.
    public var present: [(index: Int, geometry: Geometry)] {
        geometries.enumerated().compactMap { i, g in
            guard let g, !g.isEmpty else { return nil }
            return (i, g)
        }
    }

    /// An STRtree over all features (null ones are stored as empty and never returned).
    public func index() throws -> SpatialIndex {
        try SpatialIndex(geometries, in: context)
    }
}
