import CGEOS

/// State shared with the C callbacks of the STRtree (no captures across C: `userdata`).
private final class QueryState {
    var hits: [Int] = []
    let handle: OpaquePointer
    var items: [OpaquePointer] = []
    var target: OpaquePointer?
    var failed = false
    init(handle: OpaquePointer) { self.handle = handle }
}

/// A Sort-Tile-Recursive R-tree over geometries, identified by their insertion index
/// (`GEOSSTRtree_create_r`; Leutenegger, Lopez & Edgington 1997,
/// doi:10.1109/ICDE.1997.582015).
///
/// The index keeps the geometries alive (GEOS's tree does not own its items). It is built on
/// the first query; inserting afterwards is not supported by GEOS, so all geometries are
/// given at creation.
public final class SpatialIndex {
    public let geometries: [Geometry]
    let context: GeometryContext
    private let tree: OpaquePointer
    private let state: QueryState

    /// Builds a tree with `nodeCapacity` children per node (`GEOSSTRtree_insert_r` per item).
    public init(_ geometries: [Geometry], in context: GeometryContext, nodeCapacity: Int = 10) throws {
        guard let tree = GEOSSTRtree_create_r(context.handle, max(2, nodeCapacity)) else {
            throw GISError(.operation, operation: "create STRtree", message: context.takeError())
        }
        self.tree = tree
        self.context = context
        self.geometries = geometries
        self.state = QueryState(handle: context.handle)
        state.items = geometries.map(\.pointer)
        for (i, g) in geometries.enumerated() where !g.isEmpty {
            // Items are indices + 1 (a NULL item is not allowed).
            GEOSSTRtree_insert_r(context.handle, tree, g.pointer, UnsafeMutableRawPointer(bitPattern: i + 1))
        }
    }

    /// A tree over optional geometries (a layer's features, some null): nil entries keep their
    /// index but are stored as empty and never returned.
    public convenience init(_ geometries: [Geometry?], in context: GeometryContext, nodeCapacity: Int = 10) throws {
        let empty = try context.geometry(.multiPolygon([]))
        try self.init(geometries.map { $0 ?? empty }, in: context, nodeCapacity: nodeCapacity)
    }

    deinit {
        GEOSSTRtree_destroy_r(context.handle, tree)
    }

    public var count: Int { geometries.count }

    /// Indices of geometries whose envelopes intersect the envelope of `g`, ascending
    /// (`GEOSSTRtree_query_r`).
    public func candidates(intersecting g: Geometry) -> [Int] {
        state.hits.removeAll(keepingCapacity: true)
        let box = Unmanaged.passUnretained(state).toOpaque()
        GEOSSTRtree_query_r(
            context.handle, tree, g.pointer,
            { item, userdata in
                guard let userdata else { return }
                let index = Int(bitPattern: item) - 1
                Unmanaged<QueryState>.fromOpaque(userdata).takeUnretainedValue().hits.append(index)
            }, box)
        return state.hits.sorted()
    }

    /// Indices whose envelopes intersect `envelope`, ascending.
    public func candidates(intersecting envelope: Envelope) throws -> [Int] {
        candidates(intersecting: try context.rectangle(envelope))
    }

    /// Index of the geometry nearest to `g` (planar distance, exact geometry distance via
    /// `GEOSDistance_r` in the callback of `GEOSSTRtree_nearest_generic_r`), or nil for an
    /// empty index. Ties go to whichever the tree meets first.
    public func nearest(to g: Geometry) throws -> Int? {
        guard geometries.contains(where: { !$0.isEmpty }) else { return nil }
        state.target = g.pointer
        state.failed = false
        defer { state.target = nil }
        let box = Unmanaged.passUnretained(state).toOpaque()
        let result = GEOSSTRtree_nearest_generic_r(
            context.handle, tree, UnsafeRawPointer(bitPattern: -1), g.pointer,
            { item1, item2, distance, userdata in
                guard let userdata, let distance else { return 0 }
                let state = Unmanaged<QueryState>.fromOpaque(userdata).takeUnretainedValue()
                // One of the two items is the query sentinel (-1); the other is a tree item.
                let raw = Int(bitPattern: item1) == -1 ? item2 : item1
                let index = Int(bitPattern: raw) - 1
                guard let target = state.target, index >= 0, index < state.items.count else { return 0 }
                if GEOSDistance_r(state.handle, state.items[index], target, distance) == 0 {
                    state.failed = true
                    return 0
                }
                return 1
            }, box)
        if state.failed || result == nil {
            throw GISError(.operation, operation: "nearest query", message: context.takeError())
        }
        return Int(bitPattern: result) - 1
    }
}

@available(*, unavailable, message: "bound to a single-threaded GEOS context")
extension SpatialIndex: Sendable {}
