/// Turns the flat ring list of a shapefile polygon record into polygons with holes.
///
/// The shapefile specification (ESRI 1998, p. 8) makes outer rings clockwise and holes
/// counter-clockwise, but files in the wild break it. Roles come from orientation first,
/// then containment decides: a counter-clockwise ring inside a clockwise one is a hole of
/// the smallest such ring; one inside no outer ring is an outer ring written the wrong way
/// round; a file whose rings are all counter-clockwise is read by nesting depth (even depth =
/// outer). What was fixed is counted in ``Result``.
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

        var isShell = areas.map { $0 < 0 }  // clockwise in x-right/y-up axes
        if !isShell.contains(true) {
            // No clockwise ring at all: decide by nesting depth alone.
            for i in rings.indices {
                let depth = rings.indices.filter { inside(i, $0) }.count
                isShell[i] = depth % 2 == 0
                if isShell[i] { result.reoriented += 1 }
            }
        }
        var shells: [Int] = rings.indices.filter { isShell[$0] }
        var holesOf: [Int: [Int]] = [:]
        for i in rings.indices where !isShell[i] {
            let container = shells.filter { inside(i, $0) }.min { abs(areas[$0]) < abs(areas[$1]) }
            if let container {
                holesOf[container, default: []].append(i)
            } else if areas[i] != 0 {
                shells.append(i)
                result.reoriented += 1
            }
        }
        shells.sort()
        result.polygons = shells.map { s in
            PolygonValue(exterior: rings[s], holes: (holesOf[s] ?? []).map { rings[$0] })
        }
        return result
    }
}
