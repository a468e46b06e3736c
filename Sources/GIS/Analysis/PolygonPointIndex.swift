import Foundation

/// Exact point-in-polygon location at memory speed, with no geometry object per point.
///
/// **The answer is GEOS's `covers`** (`GEOSPreparedCovers_r` on a point): a point inside a
/// polygon or on its boundary (an edge or a vertex, of the shell or of a hole) is covered.
/// Each polygon is tested as GEOS's `IndexedPointInAreaLocator` does: a ray from the point
/// towards +x counts crossings with every ring edge whose y-range holds the point, with the
/// `RayCrossingCounter` rules (an upward edge includes its start and excludes its end, a
/// downward edge the reverse; horizontal edges only test for the point lying on them; a point
/// on an edge or equal to a vertex is on the boundary), and the orientation of the point to
/// each edge decided exactly (``ExactOrientation``). An odd count is inside.
///
/// **Speed.** Every polygon gets a uniform grid of about one cell per edge over its envelope.
/// A cell that no edge's bounding box touches (with a margin of 10⁻⁶ cell) lies wholly in
/// the interior or the exterior, classified once at build by its centre; a point there is
/// answered by one lookup. Other cells are answered by the crossing test over the edges of
/// their grid row only (the edges whose y-range meets the row). A layer-wide grid lists, per
/// cell, the polygons whose envelopes meet it. Building is O(E + cells · row edges); a query
/// is O(1) in interior cells and O(row edges) near boundaries.
///
/// **Rule on shared borders.** A point covered by several polygons (on a shared border or
/// vertex, or where polygons overlap) goes to the lowest-indexed one, as ``PolygonLocator``
/// has always done; results never depend on the order of the points.
///
/// Immutable and Sendable: build once, query from several tasks at once.
public struct PolygonPointIndex: Sendable {
    /// The grid of one polygon.
    struct PolygonGrid: Sendable {
        var envelope: Envelope
        var nx: Int
        var ny: Int
        var cellWidth: Double
        var cellHeight: Double
        /// Per cell (row-major): 0 exterior, 1 interior, 2 near the boundary.
        var state: [UInt8]
        /// Row r's edges are `rowEdges[rowStart[r]..<rowStart[r + 1]]`, as indices into `edges`.
        var rowStart: [Int32]
        var rowEdges: [Int32]
        /// Four doubles per edge: x1, y1, x2, y2 (every ring of every part, as stored).
        var edges: [Double]
    }

    private let polygons: [PolygonGrid?]
    private let extent: Envelope
    private let nx: Int
    private let ny: Int
    private let cellWidth: Double
    private let cellHeight: Double
    private let cellStart: [Int32]
    private let cellPolygons: [Int32]

    /// Margin, in cells, added around every bounding box when cells are marked, so that
    /// rounding in the cell arithmetic can never hide an edge from a cell.
    static let margin = 1e-6

    public var count: Int { polygons.count }

    /// Indexes polygon and multipolygon geometries (other types and nil are never matched).
    public init(_ geometries: [GeometryValue?]) {
        polygons = parallelMap(geometries, grain: 16) { g in g.flatMap(Self.grid(for:)) }
        var extent = Envelope.empty
        for p in polygons { if let p { extent.extend(p.envelope) } }
        self.extent = extent
        let n = max(1, polygons.count)
        let w = max(extent.width, .leastNonzeroMagnitude), h = max(extent.height, .leastNonzeroMagnitude)
        let (gx, gy) = Self.dimensions(cells: 4 * n, width: w, height: h)
        nx = gx
        ny = gy
        cellWidth = extent.isEmpty ? 1 : max(w / Double(gx), .leastNonzeroMagnitude)
        cellHeight = extent.isEmpty ? 1 : max(h / Double(gy), .leastNonzeroMagnitude)
        var buckets = [[Int32]](repeating: [], count: gx * gy)
        if !extent.isEmpty {
            for (i, p) in polygons.enumerated() {
                guard let p else { continue }
                let (x0, x1) = Self.span(p.envelope.minX, p.envelope.maxX, extent.minX, cellWidth, gx)
                let (y0, y1) = Self.span(p.envelope.minY, p.envelope.maxY, extent.minY, cellHeight, gy)
                for r in y0...y1 { for c in x0...x1 { buckets[r * gx + c].append(Int32(i)) } }
            }
        }
        var start: [Int32] = [0]
        start.reserveCapacity(buckets.count + 1)
        for b in buckets { start.append(start[start.count - 1] + Int32(b.count)) }
        cellStart = start
        cellPolygons = buckets.flatMap { $0 }
    }

    /// Grid dimensions with about `cells` cells of roughly square shape, each side in 1…1024.
    static func dimensions(cells: Int, width: Double, height: Double) -> (Int, Int) {
        let aspect = width / height
        let gx = Int(min(1024, max(1, (Double(cells) * aspect).squareRoot().rounded(.up))))
        let gy = Int(min(1024, max(1, (Double(cells) / Double(gx)).rounded(.up))))
        return (gx, gy)
    }

    /// The cells `lo...hi` along one axis that the closed interval [a, b] meets, widened by the
    /// margin.
    @inline(__always)
    static func span(_ a: Double, _ b: Double, _ origin: Double, _ size: Double, _ n: Int) -> (Int, Int) {
        let fa = (a - origin) / size - margin, fb = (b - origin) / size + margin
        let lo = fa.isFinite ? Int(max(0, min(Double(n - 1), fa.rounded(.down)))) : 0
        let hi = fb.isFinite ? Int(max(0, min(Double(n - 1), fb.rounded(.down)))) : n - 1
        return (lo, max(lo, hi))
    }

    /// The cell holding a coordinate along one axis (clamped: callers check the envelope).
    @inline(__always)
    static func cell(_ v: Double, _ origin: Double, _ size: Double, _ n: Int) -> Int {
        let f = ((v - origin) / size).rounded(.down)
        // `!(f > 0)` also sends NaN to cell 0 (callers have checked the envelope already).
        return f >= Double(n - 1) ? n - 1 : (!(f > 0) ? 0 : Int(f))
    }

    static func grid(for g: GeometryValue) -> PolygonGrid? {
        let parts: [PolygonValue]
        switch g {
        case .polygon(let p): parts = [p]
        case .multiPolygon(let ps): parts = ps
        default: return nil
        }
        var edges: [Double] = []
        var envelope = Envelope.empty
        for p in parts {
            for ring in p.rings where ring.count >= 2 {
                for k in 1..<ring.count {
                    let a = ring[k - 1], b = ring[k]
                    edges += [a.x, a.y, b.x, b.y]
                    envelope.extend(a)
                    envelope.extend(b)
                }
            }
        }
        let edgeCount = edges.count / 4
        guard edgeCount > 0, !envelope.isEmpty, envelope.minX.isFinite, envelope.maxX.isFinite,
            envelope.minY.isFinite, envelope.maxY.isFinite
        else { return nil }
        let w = max(envelope.width, .leastNonzeroMagnitude), h = max(envelope.height, .leastNonzeroMagnitude)
        let (nx, ny) = dimensions(cells: edgeCount, width: w, height: h)
        let cw = max(w / Double(nx), .leastNonzeroMagnitude), ch = max(h / Double(ny), .leastNonzeroMagnitude)
        var state = [UInt8](repeating: 0, count: nx * ny)
        var rows = [[Int32]](repeating: [], count: ny)
        for e in 0..<edgeCount {
            let x1 = edges[4 * e], y1 = edges[4 * e + 1], x2 = edges[4 * e + 2], y2 = edges[4 * e + 3]
            let (c0, c1) = span(min(x1, x2), max(x1, x2), envelope.minX, cw, nx)
            let (r0, r1) = span(min(y1, y2), max(y1, y2), envelope.minY, ch, ny)
            for r in r0...r1 {
                rows[r].append(Int32(e))
                for c in c0...c1 { state[r * nx + c] = 2 }
            }
        }
        var rowStart: [Int32] = [0]
        for r in rows { rowStart.append(rowStart[rowStart.count - 1] + Int32(r.count)) }
        var grid = PolygonGrid(
            envelope: envelope, nx: nx, ny: ny, cellWidth: cw, cellHeight: ch, state: state, rowStart: rowStart,
            rowEdges: rows.flatMap { $0 }, edges: edges)
        // A cell no edge touches is wholly interior or exterior: its centre decides.
        for r in 0..<ny {
            for c in 0..<nx where grid.state[r * nx + c] != 2 {
                let centre = Coordinate(
                    envelope.minX + (Double(c) + 0.5) * cw, envelope.minY + (Double(r) + 0.5) * ch)
                grid.state[r * nx + c] = crossingTest(grid, row: r, centre) ? 1 : 0
            }
        }
        return grid
    }

    /// GEOS's `RayCrossingCounter` over the edges of one grid row: true when the point is on
    /// the boundary or the count of crossings is odd.
    static func crossingTest(_ g: PolygonGrid, row: Int, _ p: Coordinate) -> Bool {
        var crossings = 0
        return g.edges.withUnsafeBufferPointer { e in
            g.rowEdges.withUnsafeBufferPointer { list in
                for k in Int(g.rowStart[row])..<Int(g.rowStart[row + 1]) {
                    let i = 4 * Int(list[k])
                    let x1 = e[i], y1 = e[i + 1], x2 = e[i + 2], y2 = e[i + 3]
                    // Strictly left of the point: the ray cannot cross it.
                    if x1 < p.x && x2 < p.x { continue }
                    if p.x == x2 && p.y == y2 { return true }
                    if y1 == p.y && y2 == p.y {
                        if p.x >= min(x1, x2) && p.x <= max(x1, x2) { return true }
                        continue
                    }
                    if (y1 > p.y && y2 <= p.y) || (y2 > p.y && y1 <= p.y) {
                        var sign = ExactOrientation.index(Coordinate(x1, y1), Coordinate(x2, y2), p)
                        if sign == 0 { return true }
                        if y2 < y1 { sign = -sign }
                        if sign > 0 { crossings += 1 }
                    }
                }
                return crossings % 2 == 1
            }
        }
    }

    /// Whether polygon `i` covers `p` (GEOS `covers`).
    public func covers(_ i: Int, _ p: Coordinate) -> Bool {
        guard i >= 0, i < polygons.count, let g = polygons[i] else { return false }
        return Self.covers(g, p)
    }

    @inline(__always)
    static func covers(_ g: PolygonGrid, _ p: Coordinate) -> Bool {
        guard g.envelope.contains(p) else { return false }
        let c = cell(p.x, g.envelope.minX, g.cellWidth, g.nx)
        let r = cell(p.y, g.envelope.minY, g.cellHeight, g.ny)
        switch g.state[r * g.nx + c] {
        case 0: return false
        case 1: return true
        default: return crossingTest(g, row: r, p)
        }
    }

    /// The lowest-indexed polygon covering `p`, or nil.
    public func locate(_ p: Coordinate) -> Int? {
        guard !extent.isEmpty, extent.contains(p) else { return nil }
        let c = Self.cell(p.x, extent.minX, cellWidth, nx), r = Self.cell(p.y, extent.minY, cellHeight, ny)
        let cellIndex = r * nx + c
        for k in Int(cellStart[cellIndex])..<Int(cellStart[cellIndex + 1]) {
            let i = Int(cellPolygons[k])
            if let g = polygons[i], Self.covers(g, p) { return i }
        }
        return nil
    }

    /// `locate` for every point, on all cores, in input order.
    public func locateAll(_ points: [Coordinate]) -> [Int32] {
        parallelMap(points, grain: 4_096) { p in locate(p).map { Int32($0) } ?? -1 }
    }
}
