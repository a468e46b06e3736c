import Foundation
import GIS

/// The CRSs of a map's two frames — the main one (`--crs`, UTM 17S by default) and the
/// Galápagos inset (UTM 15S while the main one is the default, else the same CRS) — with the
/// transforms into them, the grid's scale and its north.
final class PanelFrames {
    let proj: ProjContext
    let crs: [CRS]
    /// Whether the inset has its own CRS (the default UTM pair).
    let splitsGalapagos: Bool
    private var transforms: [String: CoordinateTransform] = [:]
    private let geodesic = Geodesic()

    init(settings: MapSettings, proj: ProjContext) throws {
        self.proj = proj
        _ = try proj.describe(settings.crs)  // an unknown CRS fails here, naming it
        splitsGalapagos = settings.crs == .utm17S
        crs = [settings.crs, splitsGalapagos ? .utm15S : settings.crs]
    }

    /// 1 for a position west of ``MapWorkflow/galapagosLongitude``, else 0.
    func panel(of position: Coordinate, toLonLat: CoordinateTransform) throws -> Int {
        try toLonLat.apply(position).x < MapWorkflow.galapagosLongitude ? 1 : 0
    }

    /// The transform from `source` into the CRS of `panel` (WGS 84 for panel −1), made once per
    /// pair.
    func transform(from source: CRS, panel: Int) throws -> CoordinateTransform {
        let key = "\(panel)\u{1}\(source.definition)"
        if let t = transforms[key] { return t }
        let t = try proj.transform(from: source, to: panel < 0 ? .wgs84 : crs[panel])
        transforms[key] = t
        return t
    }

    /// Ground metres per map unit at the centre of `world`: the geodesic length of a short
    /// east–west segment through the centre over its length in map units.
    func metresPerUnit(panel: Int, at world: Envelope) throws -> Double {
        let back = try transform(from: crs[panel], panel: -1)
        let c = world.center
        let half = max(world.width, world.height, 1e-9) / 20
        let a = try back.apply(Coordinate(c.x - half, c.y)), b = try back.apply(Coordinate(c.x + half, c.y))
        let metres = geodesic.distance(a, b)
        return metres > 0 && metres.isFinite ? metres / (2 * half) : 1
    }

    /// Direction of true north at the centre of `world`, radians clockwise from grid north.
    func northAngle(panel: Int, at world: Envelope) throws -> Double {
        let back = try transform(from: crs[panel], panel: -1)
        let c = world.center
        let lonLat = try back.apply(c)
        guard lonLat.y < 89 else { return 0 }
        let north = try transform(from: .wgs84, panel: panel).apply(Coordinate(lonLat.x, lonLat.y + 0.05))
        let dx = north.x - c.x, dy = north.y - c.y
        return dx == 0 && dy == 0 ? 0 : atan2(dx, dy)
    }
}
