import Foundation

/// A point that carries population (a census block centroid, a dwelling, or a proxy such as a
/// school), in the coordinates of the layer being split.
public struct WeightedPoint: Sendable {
    public var coordinate: Coordinate
    public var weight: Double
    public init(_ coordinate: Coordinate, weight: Double = 1) {
        self.coordinate = coordinate
        self.weight = weight
    }
}

/// How one oversized unit was divided.
public struct SplitRecord: Sendable {
    public var parent: String
    public var population: Int
    public var pieces: [(id: String, population: Int)]
    /// "points" (population points inside the unit) or "area" (no point fell inside).
    public var weighting: String
    public var pointsInside: Int
    public var cells: Int
    /// Polygons of the unit (islands, exclaves) too light for a piece of their own, each
    /// joined whole to the nearest piece: those pieces have several polygons, as the unit had.
    public var detachedParts = 0
    /// Whether the borders between the pieces were straightened (``UnitSplitter/smoothBorders``).
    public var smoothed = false
}

/// Divides units whose population exceeds a threshold into `k = round(population / target)`
/// contiguous, compact pieces of nearly equal population, so that a circuito can be made of
/// one or a few of them. The unit is covered by a fine square grid (about `cellsPerPiece`
/// cells per piece) clipped to its polygon (`GEOSClipByRect_r`); cells weigh the population
/// points inside the unit (smoothed by a Gaussian kernel), or their area when no point falls inside (an approximation the report
/// names); a square the boundary cuts into several polygons gives one cell per polygon; the
/// pieces are shared among the unit's land components (its polygons) and each component's
/// cells are divided by ``InertialBisection``, so every piece is one polygon except where a
/// component too light for a piece of its own (an island, an exclave) joins the nearest piece
/// whole (``SplitRecord/detachedParts``); each piece is the union of
/// its cells and takes a largest-remainder share of the unit's population, so population is
/// conserved exactly. Pieces get stable ids `PARENT-NNN` (same unit, points and target → same
/// ids and shapes) and the output layer gains a `PARENT` field.
public struct UnitSplitter: Sendable {
    public var idField: String
    public var populationField: String
    /// Population of one piece (normally the circuito target).
    public var target: Double
    /// Units above this population are split.
    public var splitAbove: Int
    /// Grid cells per piece: the grain of the cut. 64 keeps a piece within a few per cent of
    /// its share where the weights are lumpy (schools as population points: 24 cells gave a
    /// mean deviation of 7.5 % between the pieces of a parroquia nationally, 64 gives 3.0 %).
    public var cellsPerPiece = 64
    public var points: [WeightedPoint] = []
    /// Straighten the staircase the grid cells leave on the borders between pieces
    /// (``smoothed(_:cell:context:)``): a distrito or circuito made of pieces then has the
    /// outline of its parroquias and of straight cuts, not of square cells.
    public var smoothBorders = true
    /// Whether a unit (by its id) may be divided at all; others stay whole however large.
    public var mayDivide: @Sendable (String) -> Bool = { _ in true }

    public init(idField: String, populationField: String, target: Double, splitAbove: Int) {
        self.idField = idField
        self.populationField = populationField
        self.target = target
        self.splitAbove = splitAbove
    }

    public static let parentField = "PARENT"

    /// How many pieces a unit of `people` is cut into when it may be divided: round(people ÷
    /// target), or nil when it is not oversized (at most `splitAbove`, or fewer than two pieces).
    public func pieces(people: Int) -> Int? {
        let k = Int((Double(people) / target).rounded())
        return people > splitAbove && k >= 2 ? k : nil
    }

    /// The layer with every oversized unit replaced by its pieces, and what was split. The units
    /// are split on every core (``splitAll(_:layer:)``); the result is the same as one by one.
    public func split(_ layer: Layer) throws -> (Layer, [SplitRecord]) {
        let id = try layer.requireField(idField), pop = try layer.requireField(populationField)
        guard target >= 1, target.isFinite else {
            throw GISError(.usage, operation: "split units", message: "the piece target must be at least 1 person")
        }
        var jobs: [Job] = []
        for (r, feature) in layer.features.enumerated() {
            let people = Int((feature.attributes[pop].number ?? 0).rounded())
            let code = feature.attributes[id].description
            guard let k = pieces(people: people), mayDivide(code), let value = feature.geometry else { continue }
            jobs.append(Job(record: r, code: code, people: people, parts: k, value: value))
        }
        let results = try splitAll(jobs, layer: layer)
        var resultAt: [Int: Int] = [:]
        for (n, job) in jobs.enumerated() { resultAt[job.record] = n }
        var out = layer
        out.fields.append(Field(Self.parentField, .text))
        out.fields[id] = Field(layer.fields[id].name, .text)
        out.features = []
        var records: [SplitRecord] = []
        for (r, feature) in layer.features.enumerated() {
            let code = feature.attributes[id].description
            guard let n = resultAt[r] else {
                var kept = feature
                kept.attributes[id] = .text(code)
                kept.attributes.append(.text(code))
                out.features.append(kept)
                continue
            }
            let pieces: [GeometryValue], record: SplitRecord
            switch results[n] {
            case .success(let split): (pieces, record) = split
            case .failure(let error):
                throw GISError(
                    .operation, operation: "split unit", file: layer.source, record: r + 1,
                    message: "\(code): \(error.message)")
            }
            for (n, piece) in pieces.enumerated() {
                var f = feature
                f.geometry = piece
                f.attributes[id] = .text(record.pieces[n].id)
                f.attributes[pop] =
                    layer.fields[pop].type == .decimal
                    ? .decimal(Double(record.pieces[n].population)) : .integer(Int64(record.pieces[n].population))
                f.attributes.append(.text(code))
                out.features.append(f)
            }
            records.append(record)
        }
        return (out, records)
    }

    /// One unit to split: its record (0-based), code, people, piece count and geometry.
    struct Job: Sendable {
        var record: Int
        var code: String
        var people: Int
        var parts: Int
        var value: GeometryValue
    }

    /// Every job split by ``splitUnit(_:code:people:parts:frame:index:context:)``, on every core:
    /// each worker has its own GEOS and PROJ contexts and its own index of the points (GEOS and
    /// PROJ handles are single-threaded) and takes the next job as it finishes one, the largest
    /// units first. A unit's pieces depend on it alone, so the results, taken in job order, are
    /// the same on any number of cores. O(jobs / cores) time, plus one point index per worker.
    func splitAll(_ jobs: [Job], layer: Layer) throws -> [Result<([GeometryValue], SplitRecord), GISError>] {
        let slots = TaskSlots<Result<([GeometryValue], SplitRecord), GISError>>(count: jobs.count)
        // Largest first, so the last job to start is a small one (ties: record order).
        let order = jobs.indices.sorted { (jobs[$0].parts, jobs[$1].record) > (jobs[$1].parts, jobs[$0].record) }
        let queue = JobQueue(order)
        let workers = min(jobs.count, ProcessInfo.processInfo.activeProcessorCount)
        let setup = TaskSlots<GISError>(count: max(1, workers))
        DispatchQueue.concurrentPerform(iterations: workers) { w in
            do {
                let context = GeometryContext()
                let frame = try MetricFrame(for: layer, context: try ProjContext())
                let index = try SpatialIndex(points.map { try context.point($0.coordinate) }, in: context)
                while let n = queue.next() {
                    let job = jobs[n]
                    do {
                        slots.set(
                            n,
                            .success(
                                try splitUnit(
                                    job.value, code: job.code, people: job.people, parts: job.parts, frame: frame,
                                    index: index, context: context)))
                    } catch let error as GISError {
                        slots.set(n, .failure(error))
                    } catch {
                        slots.set(n, .failure(GISError(.operation, operation: "split unit", message: "\(error)")))
                    }
                }
            } catch let error as GISError {
                setup.set(w, error)
            } catch {
                setup.set(w, GISError(.operation, operation: "split units", message: "\(error)"))
            }
        }
        if let error = setup.values.compactMap({ $0 }).first { throw error }
        return slots.values.map {
            $0 ?? .failure(GISError(.operation, operation: "split unit", message: "a unit was not split"))
        }
    }

    func splitUnit(
        _ value: GeometryValue, code: String, people: Int, parts k: Int, frame: MetricFrame, index: SpatialIndex,
        context: GeometryContext
    ) throws -> ([GeometryValue], SplitRecord) {
        let shape = try context.geometry(try frame.toMetric(value))
        let prepared = try PreparedGeometry(shape)
        let area = try shape.area()
        let size = (area / Double(k * cellsPerPiece)).squareRoot()
        let e = shape.envelope
        guard size > 0, size.isFinite else {
            throw GISError(.input, operation: "split unit", message: "\(code) has no area to split")
        }
        let nx = max(1, Int((e.width / size).rounded(.up))), ny = max(1, Int((e.height / size).rounded(.up)))
        // Cells present in the unit, by grid position. A square the boundary cuts into several
        // polygons (a neck, a bay) gives one cell per polygon, so that no cell joins land the
        // unit does not join; no cell is dropped, however small, so the pieces cover the unit.
        var cellsAt: [Int: [Int]] = [:]
        var geometries: [Geometry] = [], centres: [Coordinate] = [], areas: [Double] = [], full: [Bool] = []
        for j in 0..<ny {
            for i in 0..<nx {
                let box = Envelope(
                    minX: e.minX + Double(i) * size, minY: e.minY + Double(j) * size,
                    maxX: e.minX + Double(i + 1) * size, maxY: e.minY + Double(j + 1) * size)
                let rect = try context.rectangle(box)
                guard try prepared.intersects(rect) else { continue }
                if try prepared.contains(rect) {
                    cellsAt[j * nx + i, default: []].append(geometries.count)
                    geometries.append(rect)
                    centres.append(box.center)
                    areas.append(size * size)
                    full.append(true)
                    continue
                }
                for polygon in try shape.clipped(to: box).value().polygons {
                    let cell = try context.geometry(.polygon(polygon))
                    let a = try cell.area()
                    guard a > 0 else { continue }
                    cellsAt[j * nx + i, default: []].append(geometries.count)
                    geometries.append(cell)
                    centres.append(try cell.pointOnSurface().pointCoordinate())
                    areas.append(a)
                    full.append(false)
                }
            }
        }
        // Rook adjacency on the grid, checked on the clipped shapes where a cell was cut.
        var neighbours = [[Int]](repeating: [], count: geometries.count)
        for (position, here) in cellsAt.sorted(by: { $0.key < $1.key }) {
            let i = position % nx, j = position / nx
            for (di, dj) in [(1, 0), (0, 1)] where i + di < nx && j + dj < ny {
                guard let there = cellsAt[(j + dj) * nx + i + di] else { continue }
                for c in here {
                    for d in there {
                        let touching =
                            full[c] && full[d] ? true : try geometries[c].sharedBoundaryLength(with: geometries[d]) > 0
                        if touching {
                            neighbours[c].append(d)
                            neighbours[d].append(c)
                        }
                    }
                }
            }
        }
        // Weights: population points inside the unit, each spread over the cells around it by
        // a Gaussian kernel (bandwidth: half the mean spacing of the points, at least one cell),
        // so that a few lumpy points still give a smooth density to cut; else area.
        var found: [(Coordinate, Double)] = []
        for p in try index.candidates(intersecting: value.envelope) {
            let point = try frame.toMetric(.point(points[p].coordinate))
            guard case .point(let m) = point, try prepared.contains(try context.point(m)) else { continue }
            found.append((m, points[p].weight))
        }
        let inside = found.count
        let sigma = max(size, 0.5 * (area / Double(max(1, inside))).squareRoot())
        let reach = Int((2 * sigma / size).rounded(.up))
        var weights = [Double](repeating: 0, count: geometries.count)
        for (m, w) in found {
            let i = min(nx - 1, Int((m.x - e.minX) / size)), j = min(ny - 1, Int((m.y - e.minY) / size))
            var kernel: [(Int, Double)] = []
            for v in max(0, j - reach)...min(ny - 1, j + reach) {
                for u in max(0, i - reach)...min(nx - 1, i + reach) {
                    for cell in cellsAt[v * nx + u] ?? [] {
                        let dx = centres[cell].x - m.x, dy = centres[cell].y - m.y
                        let squared: Double = dx * dx + dy * dy
                        let density: Double = Foundation.exp(-squared / (2 * sigma * sigma))
                        kernel.append((cell, density * areas[cell]))
                    }
                }
            }
            let sum = kernel.reduce(0) { $0 + $1.1 }
            if sum > 0 {
                for (cell, k) in kernel { weights[cell] += w * k / sum }
            } else if let cell = cellsAt[j * nx + i]?.first {
                weights[cell] += w
            }
        }
        let byPoints = weights.reduce(0, +) > 0
        if !byPoints { weights = areas }
        let totalArea = areas.reduce(0, +)
        let pointTotal = weights.reduce(0, +)
        // Mass for the inertia axis: population share plus a tenth of the area share.
        let mass = weights.indices.map { weights[$0] / pointTotal + 0.1 * areas[$0] / totalArea }
        let (parts, detached) = Self.pieces(
            k, bisection: InertialBisection(centres: centres, weights: weights, mass: mass, neighbours: neighbours))
        let populations = Self.apportion(people, shares: parts.map { $0.reduce(0.0) { $0 + weights[$1] } })
        var unions: [GeometryValue] = []
        var list: [(String, Int)] = []
        for (n, cells) in parts.enumerated() {
            var union = try context.collection(cells.map { geometries[$0] }).unaryUnion()
            if !(try union.isValid()) { union = try union.makeValid() }
            unions.append(try union.value())
            let number = String(n + 1)
            list.append((code + "-" + String(repeating: "0", count: max(0, 3 - number.count)) + number, populations[n]))
        }
        let smoothed = smoothBorders ? try Self.smoothed(unions, cell: size, context: context) : nil
        let pieces = try (smoothed ?? unions).map { try frame.fromMetric($0) }
        return (
            pieces,
            SplitRecord(
                parent: code, population: people, pieces: list, weighting: byPoints ? "points" : "area",
                pointsInside: inside, cells: geometries.count, detachedParts: detached, smoothed: smoothed != nil)
        )
    }

    /// The pieces with the staircase of grid cells along their shared borders straightened:
    /// the borders between pieces (never the unit's own boundary, which its neighbours share)
    /// are simplified together by ``CoverageSimplifier`` at one cell side, so the pieces still
    /// tile the unit exactly. Nil — keep the cells' outline — unless every piece stays one
    /// valid polygon per polygon it had and the pieces' areas still add up to the unit's.
    /// A border moves by at most a cell side, and each stretch of it moves at most two cells'
    /// area from one piece to the other in all (3 % of a piece of 64 cells, the grain the
    /// pieces are balanced to anyway: a staircase straightened along its diagonal moves
    /// almost none; a jog that would move more keeps its corners), so the pieces keep their
    /// populations. O(vertices log vertices).
    static func smoothed(_ pieces: [GeometryValue], cell: Double, context: GeometryContext) throws -> [GeometryValue]? {
        guard pieces.count > 1,
            let (out, report) = try? CoverageSimplifier.simplify(
                pieces, tolerance: cell, context: context, keepingOuterArcs: true, maxAreaShift: 2 * cell * cell,
                cuttingCorners: true),
            report.madeValid == 0, report.keptRings == 0
        else { return nil }
        var before = 0.0, after = 0.0
        var result: [GeometryValue] = []
        for (old, new) in zip(pieces, out) {
            guard let new, new.polygons.count == old.polygons.count else { return nil }
            let g = try context.geometry(new)
            guard try g.isValid() else { return nil }
            before += try context.geometry(old).area()
            after += try g.area()
            result.append(new)
        }
        return abs(after - before) <= 1e-9 * before ? result : nil
    }

    /// `k` pieces, each contiguous on land: the k pieces are shared among the land components
    /// by weight (largest remainder, never more than a component's cells), each component with
    /// a share is divided by inertial bisection, and a component with none (a small island or
    /// exclave of the unit) joins whole the piece whose cell is nearest it, the only way a
    /// piece has more than one polygon. Returns the pieces and how many components joined
    /// another piece. O(cells² ) for the joins in the worst case, O(cells log cells) per cut.
    static func pieces(_ k: Int, bisection: InertialBisection) -> ([[Int]], Int) {
        // The land components of the cell graph (the unit's own polygons: an island, an
        // exclave), heaviest first: the bisection's own component search over every cell.
        let all = Array(bisection.centres.indices)
        let groups = bisection.components(Dictionary(uniqueKeysWithValues: all.map { ($0, true) }), true, cells: all)
            .map { $0.sorted() }
        guard groups.count > 1 else { return (bisection.parts(k), 0) }
        let shares = groups.map { $0.reduce(0.0) { $0 + bisection.weights[$1] } }
        var seats = apportion(k, shares: shares).enumerated().map { min($0.element, groups[$0.offset].count) }
        // Seats a component cannot hold go to the heaviest one that can.
        var left = k - seats.reduce(0, +)
        for g in groups.indices where left > 0 {
            let extra = min(left, groups[g].count - seats[g])
            seats[g] += extra
            left -= extra
        }
        var parts: [[Int]] = []
        var unplaced: [[Int]] = []
        for (g, cells) in groups.enumerated() {
            if seats[g] == 0 {
                unplaced.append(cells)
            } else {
                parts += bisection.split(cells, seats[g])
            }
        }
        // Each detached component joins the piece holding its nearest cell (squared metres
        // between cell centres; ties to the lower piece, then the lower cell).
        let c = bisection.centres
        for cells in unplaced {
            var best: (Double, Int)? = nil
            for (n, part) in parts.enumerated() {
                for a in cells {
                    for b in part {
                        let dx = c[a].x - c[b].x, dy = c[a].y - c[b].y
                        let d = dx * dx + dy * dy
                        if best == nil || (d, n) < (best?.0 ?? 0, best?.1 ?? 0) { best = (d, n) }
                    }
                }
            }
            if let (_, n) = best { parts[n] += cells } else { parts.append(cells) }
        }
        return (parts, unplaced.count)
    }

    /// Largest-remainder integers proportional to `shares`, summing to `total`.
    static func apportion(_ total: Int, shares: [Double]) -> [Int] {
        let sum = shares.reduce(0, +)
        guard sum > 0 else {
            var even = [Int](repeating: total / max(1, shares.count), count: shares.count)
            for i in 0..<(total - even.reduce(0, +)) where i < even.count { even[i] += 1 }
            return even
        }
        let quotas = shares.map { Double(total) * $0 / sum }
        var seats = quotas.map { Int($0.rounded(.down)) }
        let order = quotas.indices.sorted {
            (quotas[$0] - Double(seats[$0]), -$0) > (quotas[$1] - Double(seats[$1]), -$1)
        }
        for i in order.prefix(total - seats.reduce(0, +)) { seats[i] += 1 }
        return seats
    }
}

/// The jobs' indices handed out one at a time, under a lock.
private final class JobQueue: @unchecked Sendable {
    private var pending: [Int]
    private var position = 0
    private let lock = NSLock()

    init(_ order: [Int]) { pending = order }

    func next() -> Int? {
        lock.lock()
        defer { lock.unlock() }
        guard position < pending.count else { return nil }
        position += 1
        return pending[position - 1]
    }
}
