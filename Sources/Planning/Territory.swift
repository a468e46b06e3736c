/// A point in WGS 84 longitude/latitude degrees.
public struct GeoPoint: Sendable, Hashable {
    public var lon: Double
    public var lat: Double
    public init(lon: Double, lat: Double) {
        self.lon = lon
        self.lat = lat
    }
}

/// Distances between points, in metres. The GIS module provides the ellipsoidal geodesic one;
/// tests use simple ones.
public protocol DistanceMetric: Sendable {
    func metres(_ a: GeoPoint, _ b: GeoPoint) -> Double
}

/// The smallest building block of a plan: a parroquia (or a piece of a split one).
public struct PlanningUnit: Sendable, Hashable {
    /// DPA code (6 digits) or piece id.
    public var id: String
    public var name: String
    /// 4-digit cantón and 2-digit province codes (after any DPA recode).
    public var canton: String
    public var province: String
    public var population: Int
    /// A representative interior point.
    public var location: GeoPoint
    /// Area (m²) and perimeter (m, every ring) of the unit's polygon, for the shape term of
    /// the objective (``PartitionObjective/shape``); 0 when unknown.
    public var area: Double
    public var perimeter: Double

    public init(
        id: String, name: String = "", canton: String, province: String, population: Int, location: GeoPoint,
        area: Double = 0, perimeter: Double = 0
    ) {
        self.id = id
        self.name = name
        self.canton = canton
        self.province = province
        self.population = population
        self.location = location
        self.area = area
        self.perimeter = perimeter
    }

    /// Province code 90: the "zonas no delimitadas", claimed by no province.
    public var isUndelimited: Bool { province == "90" }
}

/// The units of a territory, who touches whom, and explicit links joining islands.
public struct Territory: Sendable {
    public let units: [PlanningUnit]
    /// Neighbour lists (contiguity), ascending.
    public let neighbours: [[Int]]
    /// Explicit links (islands to the mainland, Galápagos islands to each other).
    public let links: [(Int, Int)]
    public let index: [String: Int]
    /// Length (m) of the boundary each unit shares with each neighbour, parallel to
    /// `neighbours` (0 where unknown): with the units' perimeters, the perimeter of any union.
    public let borders: [[Double]]

    /// Builds a territory; duplicate ids and links naming unknown units are errors.
    /// `borderLengths`, when given, is parallel to `edges`: the length of each shared boundary.
    public init(
        units: [PlanningUnit], edges: [(Int, Int)], links: [(String, String)] = [], borderLengths: [Double] = []
    ) throws {
        var index: [String: Int] = [:]
        var duplicates: [String] = []
        for (i, u) in units.enumerated() {
            if index[u.id] != nil { duplicates.append(u.id) }
            index[u.id] = i
        }
        guard duplicates.isEmpty else { throw PlanningError("duplicate unit codes", units: duplicates) }
        var adjacency = [[Int: Double]](repeating: [:], count: units.count)
        for (e, (a, b)) in edges.enumerated() where a != b && a >= 0 && b >= 0 && a < units.count && b < units.count {
            let length = e < borderLengths.count && borderLengths[e].isFinite ? max(0, borderLengths[e]) : 0
            adjacency[a][b, default: 0] += length
            adjacency[b][a, default: 0] += length
        }
        var linked: [(Int, Int)] = []
        var unknown: [String] = []
        for (a, b) in links {
            guard let i = index[a], let j = index[b] else {
                unknown += [a, b].filter { index[$0] == nil }
                continue
            }
            linked.append((i, j))
        }
        guard unknown.isEmpty else { throw PlanningError("links name unknown units", units: unknown) }
        self.units = units
        self.neighbours = adjacency.map { $0.keys.sorted() }
        self.borders = adjacency.map { lengths in lengths.keys.sorted().map { lengths[$0] ?? 0 } }
        self.links = linked
        self.index = index
    }

    /// Neighbours including explicit links.
    public var connections: [[Int]] {
        var out = neighbours.map(Set.init)
        for (a, b) in links {
            out[a].insert(b)
            out[b].insert(a)
        }
        return out.map { $0.sorted() }
    }

    /// Connected components of `members` through contiguity and links, largest first.
    public func components(of members: [Int], connections: [[Int]]? = nil) -> [[Int]] {
        Self.components(of: members, graph: connections ?? self.connections)
    }

    /// Connected components of `members` in a graph given as neighbour lists, each sorted,
    /// largest first (ties by smallest member). O(members + their edges).
    public static func components(of members: [Int], graph: [[Int]]) -> [[Int]] {
        let set = Set(members)
        var seen = Set<Int>()
        var out: [[Int]] = []
        for start in members.sorted() where !seen.contains(start) {
            var stack = [start]
            seen.insert(start)
            var part: [Int] = []
            while let n = stack.popLast() {
                part.append(n)
                for m in graph[n] where set.contains(m) && !seen.contains(m) {
                    seen.insert(m)
                    stack.append(m)
                }
            }
            out.append(part.sorted())
        }
        return out.sorted { $0.count != $1.count ? $0.count > $1.count : $0[0] < $1[0] }
    }

    /// Links that join every part of the territory into one: a minimum spanning forest over
    /// the connected components (Kruskal 1956), where the cost of joining two components is
    /// their closest pair of units ranked first by same cantón, then same province, then
    /// distance between representative points. Galápagos islands thus join each other before
    /// one of them joins the mainland; Puná joins Guayaquil.
    public func proposeLinks(metric: some DistanceMetric) -> [(from: String, to: String, metres: Double)] {
        let parts = components(of: Array(units.indices))
        guard parts.count > 1 else { return [] }
        typealias Candidate = (rank: Int, metres: Double, a: Int, b: Int, pa: Int, pb: Int)
        var candidates: [Candidate] = []
        for x in parts.indices {
            for y in parts.indices where y > x {
                var best: Candidate? = nil
                for i in parts[x] {
                    for j in parts[y] {
                        let rank =
                            units[i].canton == units[j].canton ? 0 : (units[i].province == units[j].province ? 1 : 2)
                        let d = metric.metres(units[i].location, units[j].location)
                        let current = best.map { ($0.rank, $0.metres, $0.a, $0.b) } ?? (Int.max, .infinity, 0, 0)
                        if (rank, d, i, j) < current { best = (rank, d, i, j, x, y) }
                    }
                }
                if let best { candidates.append(best) }
            }
        }
        candidates.sort { ($0.rank, $0.metres, $0.a, $0.b) < ($1.rank, $1.metres, $1.a, $1.b) }
        var forest = DisjointSets(parts.count)
        var out: [(String, String, Double)] = []
        for c in candidates where forest.root(c.pa) != forest.root(c.pb) {
            forest.join(c.pa, c.pb)
            out.append((units[c.a].id, units[c.b].id, c.metres))
        }
        return out
    }

    /// Links that make every cantón one piece: a cantón whose parroquias fall into several
    /// components (through contiguity and the links already known) gets, for each detached
    /// part, a link from its closest unit to the cantón's largest part. Without it a distrito
    /// of whole cantones could not be contiguous (cantón 1314 with its enclave 131457).
    public func proposeCantonLinks(metric: some DistanceMetric) -> [(from: String, to: String, metres: Double)] {
        var byCanton: [String: [Int]] = [:]
        for (i, u) in units.enumerated() { byCanton[u.canton, default: []].append(i) }
        var out: [(String, String, Double)] = []
        for (_, members) in byCanton.sorted(by: { $0.key < $1.key }) {
            let parts = components(of: members)
            guard parts.count > 1 else { continue }
            for part in parts.dropFirst() {
                var best: (Double, Int, Int)? = nil
                for i in part {
                    for j in parts[0] {
                        let d = metric.metres(units[i].location, units[j].location)
                        if best == nil || (d, i, j) < (best?.0 ?? 0, best?.1 ?? 0, best?.2 ?? 0) { best = (d, i, j) }
                    }
                }
                if let (d, i, j) = best { out.append((units[i].id, units[j].id, d)) }
            }
        }
        return out
    }
}
