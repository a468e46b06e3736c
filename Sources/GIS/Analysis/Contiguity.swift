/// Which polygons of a layer are neighbours.
///
/// - Queen: they share at least one point.
/// - Rook: they share a boundary of positive length (or their interiors overlap, as in a
///   dirty layer).
public enum ContiguityRule: String, Sendable, CaseIterable {
    case queen, rook
}

/// One neighbour relation.
public struct ContiguityEdge: Sendable, Hashable {
    public var a: Int
    public var b: Int
    /// Geodesic length of the shared boundary, metres (0 for a point contact).
    public var sharedLength: Double
    /// The interiors overlap (never in a clean coverage).
    public var overlapping: Bool
}

/// The contiguity graph: feature indices are nodes.
public struct ContiguityGraph: Sendable {
    public var rule: ContiguityRule
    public var nodeCount: Int
    /// Edges with a < b, sorted.
    public var edges: [ContiguityEdge]

    /// Neighbour lists, ascending.
    public var adjacency: [[Int]] {
        var adj = [[Int]](repeating: [], count: nodeCount)
        for e in edges {
            adj[e.a].append(e.b)
            adj[e.b].append(e.a)
        }
        return adj.map { $0.sorted() }
    }

    /// Connected components, largest first (ties by smallest member).
    public var components: [[Int]] {
        let adj = adjacency
        var seen = [Bool](repeating: false, count: nodeCount)
        var out: [[Int]] = []
        for start in 0..<nodeCount where !seen[start] {
            var stack = [start]
            seen[start] = true
            var members: [Int] = []
            while let n = stack.popLast() {
                members.append(n)
                for m in adj[n] where !seen[m] {
                    seen[m] = true
                    stack.append(m)
                }
            }
            out.append(members.sorted())
        }
        return out.sorted { $0.count != $1.count ? $0.count > $1.count : $0[0] < $1[0] }
    }

    /// Nodes with no neighbour at all (islands such as Puná or Floreana).
    public var isolated: [Int] {
        let adj = adjacency
        return (0..<nodeCount).filter { adj[$0].isEmpty }
    }
}

public enum Contiguity {
    /// Builds the graph with an STRtree for candidate pairs, prepared geometries for the
    /// intersects test, and the shared boundary (boundaries computed once per feature,
    /// clipped to the pair's common envelope, then intersected) for rook and lengths.
    /// Lengths are geodesic via `measure`; features with null or empty geometry are isolated
    /// nodes.
    public static func build(
        _ layer: Layer, rule: ContiguityRule, context: GeometryContext = GeometryContext(), measure: GeodesicMeasure
    ) throws -> ContiguityGraph {
        let built = try LayerGeometries(layer, context: context)
        let index = try built.index()
        var prepared: [PreparedGeometry?] = []
        var boundaries: [Geometry?] = []
        var envelopes: [Envelope] = []
        for g in built.geometries {
            prepared.append(try g.map { try PreparedGeometry($0) })
            boundaries.append(try g.map { try $0.boundary() })
            envelopes.append(g?.envelope ?? .empty)
        }
        var edges: [ContiguityEdge] = []
        for (i, gi) in built.geometries.enumerated() {
            guard let gi, !gi.isEmpty, let pi = prepared[i], let bi = boundaries[i] else { continue }
            for j in index.candidates(intersecting: gi) where j > i {
                guard let gj = built.geometries[j], let bj = boundaries[j] else { continue }
                do {
                    guard try pi.intersects(gj) else { continue }
                    let shared = try Geometry.sharedLine(bi, envelopes[i], bj, envelopes[j])
                    let planar = try shared.length()
                    var overlapping = false
                    if planar == 0 {
                        overlapping = try pi.overlaps(gj) || (try gi.contains(gj)) || (try gj.contains(gi))
                    }
                    if rule == .rook && planar == 0 && !overlapping { continue }
                    let metres = planar > 0 ? try measure.length(try shared.value()) : 0
                    edges.append(ContiguityEdge(a: i, b: j, sharedLength: metres, overlapping: overlapping))
                } catch let e as GISError {
                    throw GISError(
                        .operation, operation: "contiguity", file: layer.source, record: i + 1,
                        message: "with record \(j + 1): \(e.message)")
                }
            }
        }
        edges.sort { ($0.a, $0.b) < ($1.a, $1.b) }
        return ContiguityGraph(rule: rule, nodeCount: layer.features.count, edges: edges)
    }
}
