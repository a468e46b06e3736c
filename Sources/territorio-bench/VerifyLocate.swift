import Foundation
import GIS

/// Re-checks a `territorio locate` output independently of the code that wrote it: every
/// point is tested with GEOS prepared `covers` (`GEOSPreparedCovers_r`) against the parishes
/// its STRtree returns, lowest index first, and the parish named in the output must be that
/// one. Prints the number of points checked and of mismatches; exits 1 on any mismatch.
///
///   territorio-bench verify-locate --points P.csv --located L.csv [--data DIR]
func verifyLocateCommand(_ options: BenchOptions) {
    let data = options.value("--data", "../shared/data")
    let pointsPath = options.value("--points", "/tmp/territorio-points-1m.csv")
    let locatedPath = options.value("--located", "/tmp/territorio-bench-locate.csv")
    do {
        let parishes = try ShapefileReader.read(data + "/dpa/parroquias.shp")
        let code = try parishes.requireField("DPA_PARROQ")
        let context = GeometryContext()
        let built = try LayerGeometries(parishes, context: context)
        let tree = try built.index()
        let prepared = try built.geometries.map { g in try g.map { try PreparedGeometry($0) } }
        let points = try CSVTable.read(pointsPath)
        let located = try CSVTable.read(locatedPath)
        guard let lon = points.header.firstIndex(of: "lon"), let lat = points.header.firstIndex(of: "lat"),
            located.rows.count == points.rows.count
        else { fail("\(pointsPath) needs lon,lat and as many rows as \(locatedPath)") }
        var coordinates = points.rows.map { Coordinate(Double($0[lon]) ?? .nan, Double($0[lat]) ?? .nan) }
        try ProjContext().transform(from: .wgs84, to: parishes.crs ?? .utm17S).apply(&coordinates)
        var mismatches = 0
        for (k, c) in coordinates.enumerated() {
            let point = try context.point(c)
            var expected = ""
            for i in tree.candidates(intersecting: point) {
                if let g = prepared[i], try g.covers(point) {
                    expected = parishes.features[i].attributes[code].description
                    break
                }
            }
            if located.rows[k][1] != expected {
                mismatches += 1
                if mismatches <= 5 { print("row \(k + 1): located \(located.rows[k][1]), GEOS covers \(expected)") }
            }
        }
        print("verify-locate: \(coordinates.count) points re-checked with GEOS prepared covers, \(mismatches) mismatches")
        exit(mismatches == 0 ? 0 : 1)
    } catch {
        fail("\(error)")
    }
}
