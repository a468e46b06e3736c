/// Where planar metres are needed (simplify, buffer), a layer is worked on in a projected CRS:
/// its own when that is projected in metres, else the UTM south zone of its centre (UTM 17S
/// for continental Ecuador; 15S for a Galápagos-only layer). Lengths and areas never rely on
/// this: they are geodesic (``GeodesicMeasure``).
public struct MetricFrame {
    public let crs: CRS
    /// nil when the layer is already in `crs`.
    let forward: CoordinateTransform?
    let backward: CoordinateTransform?

    public init(for layer: Layer, context: ProjContext) throws {
        let source = layer.crs ?? .wgs84
        let info = try context.describe(source)
        if !info.isGeographic, info.unit == "metre" {
            crs = source
            forward = nil
            backward = nil
            return
        }
        let centre = try context.transform(from: source, to: .wgs84).apply(layer.envelope.center)
        crs = CRS.utmSouth(forLongitude: centre.x)
        forward = try context.transform(from: source, to: crs)
        backward = try context.transform(from: crs, to: source)
    }

    public func toMetric(_ g: GeometryValue) throws -> GeometryValue { try forward?.apply(g) ?? g }
    public func fromMetric(_ g: GeometryValue) throws -> GeometryValue { try backward?.apply(g) ?? g }
    /// Coordinates of the layer's CRS into the metric one, in place.
    public func toMetric(_ coordinates: inout [Coordinate]) throws { try forward?.apply(&coordinates) }
}
