/// Turns the flat ring list of a shapefile polygon record into polygons with holes.
///
/// The shapefile specification (ESRI 1998, p. 8) makes outer rings clockwise and holes
/// counter-clockwise, but files in the wild break it. Roles therefore come from containment,
/// as GDAL's `organizePolygons` does: a ring inside an even number of others is an outer
/// ring, inside an odd number a hole (so an island in a lake in an island is right too).
/// Rings whose orientation disagrees with their role are counted in ``Result``.
enum RingAssembly {
    struct Result {
        var polygons: [PolygonValue]
        /// Rings whose orientation contradicted their role.
        var reoriented = 0
        /// Rings with fewer than 4 positions (cannot bound an area), dropped.
        var degenerate = 0
        /// Rings that were not closed and were closed by repeating the first position.
        var closed = 0
    }

    static func assemble(_ rawRings: [[Coordinate]]) -> Result {
        var result = Result(polygons: [])
        var rings: [[Coordinate]] = []
        for raw in rawRings {
            var ring = raw
            if let f = ring.first, let l = ring.last, f != l {
                ring.append(f)
                result.closed += 1
            }
            if ring.count < 4 {
                result.degenerate += 1
                continue
            }
            rings.append(ring)
        }
        let areas = rings.map(Ring.signedArea)
        let envelopes = rings.map { r in
            var e = Envelope.empty
            for c in r { e.extend(c) }
            return e
        }
        func inside(_ i: Int, _ j: Int) -> Bool {
            // Is ring i inside ring j? Envelope first, then a majority vote of up to three
            // vertices (a single vertex may lie on j's boundary where rings touch).
            guard i != j, envelopes[j].intersects(envelopes[i]), abs(areas[j]) > abs(areas[i]) else {
                return false
            }
            let ring = rings[i]
            let probes = [0, ring.count / 3, (2 * ring.count) / 3]
            let votes = probes.filter { Ring.contains(rings[j], ring[$0]) }.count
            return votes >= 2
        }

        // Role by nesting depth (even = outer ring, odd = hole), which also reads files
        // whose rings are all written the wrong way round; orientation that disagrees with
        // the role is counted. A hole belongs to the smallest ring one level up holding it.
        var containers: [[Int]] = rings.indices.map { i in rings.indices.filter { inside(i, $0) } }
        let depth = containers.map(\.count)
        var shells: [Int] = []
        var holesOf: [Int: [Int]] = [:]
        for i in rings.indices {
            let isShell = depth[i] % 2 == 0
            if isShell != (areas[i] < 0) { result.reoriented += 1 }
            if isShell {
                shells.append(i)
            } else {
                containers[i] = containers[i].filter { depth[$0] == depth[i] - 1 }
                if let parent = containers[i].min(by: { abs(areas[$0]) < abs(areas[$1]) }) {
                    holesOf[parent, default: []].append(i)
                }
            }
        }
        shells.sort()
        result.polygons = shells.map { s in
            PolygonValue(exterior: rings[s], holes: (holesOf[s] ?? []).map { rings[$0] })
        }
        return result
    }
}
