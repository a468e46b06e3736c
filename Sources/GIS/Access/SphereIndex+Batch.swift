import Foundation

/// Nearest points for many queries at once, with a certificate per cell of queries.
///
/// The queries are put in Morton (Z) order on a 2¹⁶ × 2¹⁶ longitude/latitude grid over their
/// bounding square and searched as a quadtree: for a cell holding queries, the two points
/// chord-nearest to the cell's centre c are found (at squared chords d₁² and d₂², the first
/// being p), and h is the largest chord from c to the cell's corners (the farthest point of a
/// longitude/latitude rectangle narrower than a hemisphere from its centre is a corner: along
/// a parallel the chord grows with the longitude difference, and along a meridian the cosine
/// of the angle is a sinusoid of latitude, smallest at an end of the interval). The chord is a
/// Euclidean distance in R³, so for a query q in the cell and any point s ≠ p,
/// chord(q, s) ≥ d₂ − h and chord(q, p) ≤ d₁ + h. When d₂ − h > k(d₁ + h) (k² the
/// ``SphereIndex/candidateWidening``, with a margin), p is the only candidate of every query
/// in the cell — exactly what one query's search would conclude — so each is answered with
/// one `geod_inverse` and no tree search. Otherwise the cell is split in four; a cell with few
/// queries, or at the finest level, answers them from one shared list of candidates (every
/// point within k(d₁ + h) + h of its centre), and a cell whose ancestor's two points already
/// show the certificate must fail skips its own search.
///
/// Every answer equals ``SphereIndex/nearest(_:)``'s: the certificate only skips searches
/// whose result it proves. The queries are cut into contiguous runs of the input, one task
/// each on all cores, and each run is put in Morton order; results come back in input order,
/// whatever the scheduling.
/// O(n) for the order (radix sort) plus, per cell tested, one two-nearest search; about
/// O(log m) per uncertified query (m points).
extension SphereIndex {
    /// Finest quadtree level (the grid's resolution).
    static let batchLevels = 16
    /// An uncertified cell with at most this many queries answers them from one list of
    /// candidates instead of splitting.
    static let listedCell = 16

    /// `nearest` for every query, in input order, on all cores.
    public func nearestAll(_ queries: [Coordinate]) -> [(index: Int, metres: Double)?] {
        nearestAll(queries) { $0 }
    }

    /// `nearest` for every query, in input order, on all cores, each answer passed through
    /// `transform` in the task that found it.
    public func nearestAll<R: Sendable>(
        _ queries: [Coordinate], _ transform: @Sendable ((index: Int, metres: Double)?) -> R
    ) -> [R] {
        let n = queries.count
        guard !points.isEmpty else { return [R](repeating: transform(nil), count: n) }
        // One grid over the bounding square of the finite queries.
        var minX = Double.infinity, minY = Double.infinity, maxX = -Double.infinity, maxY = -Double.infinity
        for q in queries where q.x.isFinite && q.y.isFinite {
            minX = min(minX, q.x)
            maxX = max(maxX, q.x)
            minY = min(minY, q.y)
            maxY = max(maxY, q.y)
        }
        let grid = MortonGrid(minX: minX, minY: minY, span: max(maxX - minX, maxY - minY, 1e-9))
        // Contiguous runs of the input, one task each: ``Demand`` sorts its points by
        // longitude, so a run is a narrow strip whose Morton order keeps neighbours together.
        // Each task writes its run's answers straight into the result's storage (every slot
        // of a run is either a non-finite query or in `order`, so each is initialized once).
        let runs = (n + Self.batchRun - 1) / Self.batchRun
        return queries.withUnsafeBufferPointer { queryBuffer in
            [R](unsafeUninitializedCapacity: n) { output, count in
                nonisolated(unsafe) let target = output
                nonisolated(unsafe) let source = queryBuffer
                DispatchQueue.concurrentPerform(iterations: runs) { r in
                    guard let base = target.baseAddress else { return }
                    let run = (r * Self.batchRun)..<min(n, (r + 1) * Self.batchRun)
                    // (Morton code << 32 | position in the run), sorted: unique keys, so any
                    // sort gives the same order. Non-finite queries are searched alone.
                    var keyed: [UInt64] = []
                    keyed.reserveCapacity(run.count)
                    for i in run {
                        let q = source[i]
                        if q.x.isFinite && q.y.isFinite {
                            keyed.append(UInt64(grid.code(q)) << 32 | UInt64(i - run.lowerBound))
                        } else {
                            (base + i).initialize(to: transform(nearest(q)))
                        }
                    }
                    MortonGrid.sortByCode(&keyed)
                    let codes = keyed.map { UInt32($0 >> 32) }
                    let order = keyed.map { Int32(run.lowerBound + Int($0 & 0xFFFF_FFFF)) }
                    let found = withBatchSearch(grid: grid, queries: queries, codes: codes, order: order) { search in
                        search.out.reserveCapacity(order.count)
                        search.cell(0..<order.count, level: 0, x: 0, y: 0, reference: nil)
                        return search.out
                    }
                    for (k, answer) in found.enumerated() { (base + Int(order[k])).initialize(to: transform(answer)) }
                }
                count = n
            }
        }
    }

    /// Queries per task of ``nearestAll(_:)``.
    static let batchRun = 32_768

    /// A search over raw buffers of the index and the queries (no reference counting in the
    /// loops).
    private func withBatchSearch<R>(
        grid: MortonGrid, queries: [Coordinate], codes: [UInt32], order: [Int32], _ body: (inout BatchSearch) -> R
    ) -> R {
        withTree { tree in
            position.withUnsafeBufferPointer { position in
                points.withUnsafeBufferPointer { points in
                    queries.withUnsafeBufferPointer { queries in
                        codes.withUnsafeBufferPointer { codes in
                            order.withUnsafeBufferPointer { order in
                                var search = BatchSearch(
                                    tree: tree, position: position, points: points, geodesic: geodesic, grid: grid,
                                    queries: queries, codes: codes, order: order)
                                return body(&search)
                            }
                        }
                    }
                }
            }
        }
    }

    /// The chord around a cell's centre that holds every candidate of every query in the cell
    /// (see `answerFromList`), with a margin for rounding.
    static func listRadius(best: Double, h: Double) -> Double {
        (candidateWidening.squareRoot() * (best.squareRoot() + h) + h) * (1 + 1e-9) + 1e-12
    }

    /// The cell certificate: whether every query within chord `h` of a centre whose nearest
    /// points are at squared chords `best` and `second` has the nearest as its only candidate.
    static func certifies(best: Double, second: Double, h: Double) -> Bool {
        let k = candidateWidening.squareRoot()
        let d1 = best.squareRoot(), d2 = second.squareRoot()
        // 10⁻⁹ relative and 10⁻¹² absolute (6 µm on the sphere) for rounding in the chords:
        // then the squared chords differ by more than the 10⁻²⁴ a search allows.
        return d2 - h > k * (d1 + h) * (1 + 1e-9) + 1e-12
    }
}

/// A 2¹⁶ × 2¹⁶ grid of longitude/latitude cells over a square, with Morton codes.
struct MortonGrid {
    let minX: Double, minY: Double, span: Double

    /// The Morton code of a (finite) coordinate's finest cell: x bits even, y bits odd.
    func code(_ c: Coordinate) -> UInt32 {
        let scale = 65_536 / span
        let ix = UInt32(min(65_535, max(0, ((c.x - minX) * scale).rounded(.down))))
        let iy = UInt32(min(65_535, max(0, ((c.y - minY) * scale).rounded(.down))))
        return Self.spread(ix) | (Self.spread(iy) << 1)
    }

    /// Sorts (code << 32 | position) keys appended in increasing position: an LSD radix sort
    /// on the code's 4 bytes (stable, so equal codes keep their positions in order, as a
    /// plain sort of the keys would), skipping a byte every key shares. O(n).
    static func sortByCode(_ keys: inout [UInt64]) {
        var scratch = [UInt64](repeating: 0, count: keys.count)
        var counts = [Int](repeating: 0, count: 256)
        for shift in stride(from: UInt64(32), to: 64, by: 8) {
            for b in counts.indices { counts[b] = 0 }
            for k in keys { counts[Int((k >> shift) & 0xFF)] += 1 }
            if counts.contains(keys.count) { continue }
            var total = 0
            for b in counts.indices { (counts[b], total) = (total, total + counts[b]) }
            keys.withUnsafeBufferPointer { src in
                scratch.withUnsafeMutableBufferPointer { dst in
                    for k in src {
                        let b = Int((k >> shift) & 0xFF)
                        dst[counts[b]] = k
                        counts[b] += 1
                    }
                }
            }
            swap(&keys, &scratch)
        }
    }

    /// The 16 bits of `v` moved to the even bits.
    static func spread(_ v: UInt32) -> UInt32 {
        var x = v & 0xFFFF
        x = (x | (x << 8)) & 0x00FF_00FF
        x = (x | (x << 4)) & 0x0F0F_0F0F
        x = (x | (x << 2)) & 0x3333_3333
        x = (x | (x << 1)) & 0x5555_5555
        return x
    }

    /// The longitude/latitude bounds of cell (x, y) at `level` (2^level cells a side),
    /// latitudes clamped to ±90°.
    func bounds(level: Int, x: Int, y: Int) -> (x0: Double, y0: Double, x1: Double, y1: Double) {
        let size = span / Double(1 << level)
        return (
            minX + Double(x) * size, max(-90, minY + Double(y) * size), minX + Double(x + 1) * size,
            min(90, minY + Double(y + 1) * size)
        )
    }
}

/// One task's quadtree search over a contiguous run of the Morton order.
private struct BatchSearch {
    let tree: SphereIndex.Tree
    /// Point index → tree position; the points in longitude/latitude.
    let position: UnsafeBufferPointer<Int32>
    let points: UnsafeBufferPointer<Coordinate>
    let geodesic: Geodesic
    let grid: MortonGrid
    let queries: UnsafeBufferPointer<Coordinate>
    /// By Morton position: the Morton code, and the query's index.
    let codes: UnsafeBufferPointer<UInt32>
    let order: UnsafeBufferPointer<Int32>
    /// Answers in Morton order of the run.
    var out: [(index: Int, metres: Double)?] = []
    var list: [(index: Int32, chord2: Double)] = []
    var chords: [Double] = []

    init(
        tree: SphereIndex.Tree, position: UnsafeBufferPointer<Int32>, points: UnsafeBufferPointer<Coordinate>,
        geodesic: Geodesic, grid: MortonGrid, queries: UnsafeBufferPointer<Coordinate>,
        codes: UnsafeBufferPointer<UInt32>, order: UnsafeBufferPointer<Int32>
    ) {
        self.tree = tree
        self.position = position
        self.points = points
        self.geodesic = geodesic
        self.grid = grid
        self.queries = queries
        self.codes = codes
        self.order = order
        list.reserveCapacity(64)
        chords.reserveCapacity(64)
    }

    /// The two points nearest to a cell centre (exactly), the reference that bounds what the
    /// cell's descendants can prove.
    struct Reference {
        var centre: (Double, Double, Double)
        var pair: SphereIndex.NearestPair
    }

    /// The queries at Morton positions `range`, all in cell (x, y) of `level`; `reference`
    /// holds the exact two nearest points of an ancestor cell's centre, when one was searched.
    mutating func cell(_ range: Range<Int>, level: Int, x: Int, y: Int, reference: Reference?) {
        guard !range.isEmpty else { return }
        let b = grid.bounds(level: level, x: x, y: y)
        // The corner argument needs cells narrower than a hemisphere: 10° is ample.
        guard b.x1 - b.x0 <= 10, b.y0 <= b.y1 else {
            return split(range, level: level, x: x, y: y, reference: reference)
        }
        let centre = SphereIndex.unitVector(Coordinate((b.x0 + b.x1) / 2, (b.y0 + b.y1) / 2))
        var h2 = 0.0
        for corner in 0..<4 {
            let v = SphereIndex.unitVector(Coordinate(corner & 1 == 0 ? b.x0 : b.x1, corner & 2 == 0 ? b.y0 : b.y1))
            h2 = max(h2, Self.chord2(v, centre))
        }
        let h = h2.squareRoot() * (1 + 1e-9) + 1e-12
        let listed = range.count <= SphereIndex.listedCell || level == SphereIndex.batchLevels
        // Skip the search when the ancestor's two points already show the certificate must
        // fail: every point s has chord(c, s) ≥ d₁ − δ (d₁ the ancestor's nearest chord, δ
        // from its centre to this one), so this centre's nearest d₁′ ≥ d₁ − δ, and its second
        // d₂′ ≤ the larger chord to the ancestor's two points. Then a listed cell takes its
        // list radius from the nearer of those two (a bound on d₁′ is all it needs).
        if let reference, reference.pair.runner >= 0 {
            let a = tree.chord2(reference.pair.first, centre).squareRoot()
            let r = tree.chord2(reference.pair.runner, centre).squareRoot()
            let delta = Self.chord2(reference.centre, centre).squareRoot()
            let lowest = max(0, (reference.pair.best.squareRoot() - delta) * (1 - 1e-9) - 1e-12)
            let k = SphereIndex.candidateWidening.squareRoot()
            let hopeless = max(a, r) * (1 + 1e-9) + 1e-12 - h <= k * (lowest + h)
            if hopeless {
                if listed {
                    let bound = min(a, r)
                    return answerFromList(
                        range, centre: centre, radius: SphereIndex.listRadius(best: bound * bound, h: h))
                }
                return split(range, level: level, x: x, y: y, reference: reference)
            }
        }
        var pair = SphereIndex.NearestPair()
        if let reference {
            for k in [reference.pair.first, reference.pair.runner] where k >= 0 {
                pair.offer(k, tree.chord2(k, centre))
            }
        }
        tree.twoNearest(centre, 0, tree.order.count, 0, &pair)
        if SphereIndex.certifies(best: pair.best, second: pair.second, h: h) {
            let nearest = Int(tree.order[pair.first])
            let p = points[nearest]
            for k in range { out.append((nearest, geodesic.distance(queries[Int(order[k])], p))) }
            return
        }
        if listed {
            return answerFromList(range, centre: centre, radius: SphereIndex.listRadius(best: pair.best, h: h))
        }
        split(range, level: level, x: x, y: y, reference: Reference(centre: centre, pair: pair))
    }

    @inline(__always)
    static func chord2(_ a: (Double, Double, Double), _ b: (Double, Double, Double)) -> Double {
        let dx = a.0 - b.0, dy = a.1 - b.1, dz = a.2 - b.2
        return dx * dx + dy * dy + dz * dz
    }

    /// The four children of a cell, which are contiguous in Morton order.
    mutating func split(_ range: Range<Int>, level: Int, x: Int, y: Int, reference: Reference?) {
        let shift = UInt32(2 * (SphereIndex.batchLevels - level - 1))
        var lo = range.lowerBound
        for child in 0..<4 {
            let prefix = (codes[range.lowerBound] >> (shift + 2)) << 2 | UInt32(child)
            // Binary search for the end of this child's queries.
            var hi = lo, upper = range.upperBound
            while hi < upper {
                let mid = (hi + upper) / 2
                if codes[mid] >> shift <= prefix { hi = mid + 1 } else { upper = mid }
            }
            cell(lo..<hi, level: level + 1, x: 2 * x + (child & 1), y: 2 * y + (child >> 1), reference: reference)
            lo = hi
        }
    }

    /// Answers each query from the points within chord `radius` of the cell's centre, which
    /// hold every candidate of every query in the cell: a query q has its chord-nearest point
    /// within d₁ + h, so each of its candidates (squared chord within k² of the best, plus
    /// 10⁻²⁴) lies within k(d₁ + h) + h (+10⁻¹²) of the centre. Then exactly as one search:
    /// the smallest squared chord, the candidates within k² of it, the smallest geodesic
    /// among them, ties to the lower index.
    mutating func answerFromList(_ range: Range<Int>, centre: (Double, Double, Double), radius: Double) {
        tree.collect(centre, radius * radius, 0, tree.order.count, 0, &list)
        let widen = SphereIndex.candidateWidening
        for k in range {
            let q = queries[Int(order[k])]
            let v = SphereIndex.unitVector(q)
            var best = Double.infinity
            chords.removeAll(keepingCapacity: true)
            for entry in list {
                let d = tree.chord2(Int(position[Int(entry.index)]), v)
                chords.append(d)
                best = min(best, d)
            }
            let limit = best * widen + 1e-24
            var bestIndex = -1, bestMetres = Double.infinity
            for (entry, d) in zip(list, chords) where d <= limit {
                let i = Int(entry.index)
                let metres = geodesic.distance(q, points[i])
                if metres < bestMetres || (metres == bestMetres && i < bestIndex) {
                    bestMetres = metres
                    bestIndex = i
                }
            }
            out.append(bestIndex >= 0 ? (bestIndex, bestMetres) : nil)
        }
        list.removeAll(keepingCapacity: true)
    }
}
