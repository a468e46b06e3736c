import Foundation

/// Travel speeds by road class, km/h (a CSV `class,speed_kmh` overrides or extends them).
public struct SpeedTable: Sendable {
    public var speeds: [String: Double]
    /// For classes not in the table (each such class is reported).
    public var fallback: Double

    /// Sensible defaults for Ecuadorian roads (illustrative, not an official norm): trunk
    /// roads 80, secondary 50, tertiary 40, urban streets 30, tracks 20, ferries 15, paths 5.
    public static let defaults = SpeedTable(
        speeds: [
            "motorway": 90, "trunk": 80, "primary": 80, "secondary": 50, "tertiary": 40, "residential": 30,
            "urban": 30, "unclassified": 30, "track": 20, "ferry": 15, "path": 5, "footway": 5,
        ], fallback: 30)

    public static func read(_ path: String) throws -> SpeedTable {
        let table = try CSVTable.read(path)
        guard let c = table.header.firstIndex(of: "class"), let s = table.header.firstIndex(of: "speed_kmh") else {
            throw GISError(
                .input, operation: "read speed table", file: path,
                message: "needs columns 'class' and 'speed_kmh', has \(table.header.joined(separator: ", "))")
        }
        var out = defaults
        for (r, row) in table.rows.enumerated() where row.count > max(c, s) {
            guard let v = Double(row[s].trimmingCharacters(in: .whitespaces)), v > 0, v.isFinite else {
                throw GISError(
                    .input, operation: "read speed table", file: path, record: table.lines[r], field: "speed_kmh",
                    message: "'\(row[s])' is not a positive speed")
            }
            out.speeds[row[c].trimmingCharacters(in: .whitespaces)] = v
        }
        return out
    }
}

/// What was built from the road layer.
public struct RoadNetworkReport: Sendable {
    public var lines = 0
    public var vertices = 0
    /// Vertices merged into a node within the snap tolerance of another vertex.
    public var snappedVertices = 0
    /// Connected components, largest first (node counts).
    public var componentSizes: [Int] = []
    public var ferryEdges = 0
    /// Classes with no speed in the table (count of lines), travelled at the fallback speed.
    public var unknownClasses: [String: Int] = [:]
}

/// A routable graph built from a line layer: vertices within `snapMetres` become one node,
/// consecutive vertices of a line become an edge in both directions, timed by the geodesic
/// length at the speed of the line's class. Lines cross only where they share a (snapped)
/// vertex, as bridges and overpasses do. People walk off-road (straight line at
/// `walkingKmh`) from where they are to the nearest node, and from the nearest node to the
/// establishment; a walk longer than `maxWalkMetres` does not reach the network.
public struct RoadNetwork: Sendable {
    public let nodes: [Coordinate]
    let offsets: [Int]
    let targets: [Int32]
    let edgeMinutes: [Double]
    let edgeMetres: [Double]
    public let component: [Int32]
    public let walkingKmh: Double
    public let maxWalkMetres: Double
    let nodeIndex: SphereIndex
    public let report: RoadNetworkReport

    public var nodeCount: Int { nodes.count }
    public var edgeCount: Int { targets.count / 2 }

    public static func build(
        _ layer: Layer, classField: String?, speeds: SpeedTable = .defaults, snapMetres: Double = 1,
        walkingKmh: Double = 5, maxWalkMetres: Double = 5_000, proj: ProjContext
    ) throws -> RoadNetwork {
        guard walkingKmh > 0, snapMetres >= 0, maxWalkMetres >= 0 else {
            throw GISError(
                .usage, operation: "road network", message: "walking speed must be positive and distances non-negative")
        }
        var report = RoadNetworkReport()
        let classIndex = try classField.map { try layer.requireField($0) }
        let toLonLat = try proj.transform(from: layer.crs ?? .wgs84, to: .wgs84)
        var paths: [([Coordinate], Double, Bool)] = []  // lon/lat path, km/h, is ferry
        for (record, f) in layer.features.enumerated() {
            let parts: [[Coordinate]]
            switch f.geometry {
            case .lineString(let l)?: parts = [l]
            case .multiLineString(let ls)?: parts = ls
            default: continue
            }
            let cls = classIndex.map { f.attributes[$0].description } ?? ""
            var speed = speeds.fallback
            if let s = speeds.speeds[cls] {
                speed = s
            } else if classIndex != nil {
                report.unknownClasses[cls, default: 0] += 1
            }
            for part in parts where part.count >= 2 {
                var ll = part
                try atRecord(layer.source, record + 1) { try toLonLat.apply(&ll) }
                paths.append((ll, speed, cls == "ferry"))
                report.lines += 1
            }
        }
        guard !paths.isEmpty else {
            throw GISError(
                .input, operation: "build road network", file: layer.source,
                message: "the layer has no lines (\(layer.features.count) features of kind \(layer.kind.rawValue))")
        }
        // Snap vertices to nodes with a grid of cell = tolerance (3×3 neighbourhood checked).
        let meanLat = paths.flatMap { $0.0 }.reduce(0) { $0 + $1.y } / Double(paths.reduce(0) { $0 + $1.0.count })
        let mx = 111_320 * cos(meanLat * .pi / 180), my = 110_574.0
        let cell = max(snapMetres, 1e-3)
        var grid: [Int64: [Int32]] = [:]
        var nodes: [Coordinate] = []
        let geodesic = Geodesic()
        func key(_ ix: Int64, _ iy: Int64) -> Int64 { ix &* 73_856_093 ^ iy &* 19_349_663 }
        func node(for c: Coordinate) -> Int {
            report.vertices += 1
            let ix = Int64((c.x * mx / cell).rounded(.down)), iy = Int64((c.y * my / cell).rounded(.down))
            var best: (Int, Double)? = nil
            for dx in -1...1 {
                for dy in -1...1 {
                    for n in grid[key(ix + Int64(dx), iy + Int64(dy))] ?? [] {
                        let d = geodesic.distance(c, nodes[Int(n)])
                        if d <= snapMetres, d < (best?.1 ?? .infinity) { best = (Int(n), d) }
                    }
                }
            }
            if let best {
                if nodes[best.0] != c { report.snappedVertices += 1 }
                return best.0
            }
            nodes.append(c)
            grid[key(ix, iy), default: []].append(Int32(nodes.count - 1))
            return nodes.count - 1
        }
        // Every segment both ways, then sorted by (from, to, minutes, layer order) so that the
        // fastest of parallel segments — the first of equals — is kept per ordered pair: a
        // compressed sparse row table, O(E log E) time and O(E) memory.
        var raw: [(from: Int32, to: Int32, minutes: Double, metres: Double, ferry: Bool)] = []
        for (path, speed, ferry) in paths {
            var previous = node(for: path[0])
            for k in 1..<path.count {
                let current = node(for: path[k])
                guard current != previous else { continue }
                let metres = geodesic.distance(path[k - 1], path[k])
                let minutes = metres / (speed * 1000 / 60)
                raw.append((Int32(previous), Int32(current), minutes, metres, ferry))
                raw.append((Int32(current), Int32(previous), minutes, metres, ferry))
                previous = current
            }
        }
        let order = raw.indices.sorted { i, j in
            (raw[i].from, raw[i].to, raw[i].minutes, i) < (raw[j].from, raw[j].to, raw[j].minutes, j)
        }
        var offsets = [Int](repeating: 0, count: nodes.count + 1)
        var targets: [Int32] = []
        var minutes: [Double] = []
        var metres: [Double] = []
        var last: (Int32, Int32)? = nil
        for i in order {
            let e = raw[i]
            if let last, last == (e.from, e.to) { continue }
            last = (e.from, e.to)
            targets.append(e.to)
            minutes.append(e.minutes)
            metres.append(e.metres)
            offsets[Int(e.from) + 1] += 1
            if e.ferry && e.from < e.to { report.ferryEdges += 1 }
        }
        raw = []
        for a in nodes.indices { offsets[a + 1] += offsets[a] }
        // Components.
        var component = [Int32](repeating: -1, count: nodes.count)
        var sizes: [Int] = []
        for start in nodes.indices where component[start] < 0 {
            let id = Int32(sizes.count)
            var stack = [start]
            component[start] = id
            var size = 0
            while let n = stack.popLast() {
                size += 1
                for e in offsets[n]..<offsets[n + 1] where component[Int(targets[e])] < 0 {
                    component[Int(targets[e])] = id
                    stack.append(Int(targets[e]))
                }
            }
            sizes.append(size)
        }
        report.componentSizes = sizes.sorted(by: >)
        return RoadNetwork(
            nodes: nodes, offsets: offsets, targets: targets, edgeMinutes: minutes, edgeMetres: metres,
            component: component,
            walkingKmh: walkingKmh, maxWalkMetres: maxWalkMetres, nodeIndex: SphereIndex(nodes), report: report)
    }

    func walkMinutes(_ metres: Double) -> Double { metres / (walkingKmh * 1000 / 60) }

    /// Multi-source Dijkstra (Dijkstra 1959, doi:10.1007/BF01386390) from every source at
    /// once: each node gets the time from its nearest source and which source it is. Nodes
    /// beyond `cutoff` minutes are left at infinity.
    func dijkstra(sources: [(node: Int, minutes: Double, metres: Double, label: Int)], cutoff: Double) -> (
        minutes: [Double], metres: [Double], label: [Int32]
    ) {
        var dist = [Double](repeating: .infinity, count: nodes.count)
        var far = [Double](repeating: .infinity, count: nodes.count)
        var label = [Int32](repeating: -1, count: nodes.count)
        var heap = BinaryHeap()
        for s in sources where s.minutes <= cutoff {
            if s.minutes < dist[s.node] || (s.minutes == dist[s.node] && Int32(s.label) < label[s.node]) {
                dist[s.node] = s.minutes
                far[s.node] = s.metres
                label[s.node] = Int32(s.label)
                heap.push(s.minutes, s.node)
            }
        }
        while let (d, n) = heap.pop() {
            guard d <= dist[n] else { continue }
            for e in offsets[n]..<offsets[n + 1] {
                let m = Int(targets[e])
                let t = d + edgeMinutes[e]
                guard t <= cutoff else { continue }
                if t < dist[m] || (t == dist[m] && label[n] < label[m]) {
                    dist[m] = t
                    far[m] = far[n] + edgeMetres[e]
                    label[m] = label[n]
                    heap.push(t, m)
                }
            }
        }
        return (dist, far, label)
    }

    /// Where each establishment joins the network: its nearest node and the walk to it.
    func entries(_ supply: Supply, _ candidates: [Int]) -> [(node: Int, minutes: Double, metres: Double, label: Int)] {
        candidates.compactMap { j in
            guard let hit = nodeIndex.nearest(supply.establishments[j].location), hit.metres <= maxWalkMetres else {
                return nil
            }
            return (hit.index, walkMinutes(hit.metres), hit.metres, j)
        }
    }

    /// Establishments of `candidates` farther than the walking limit from every node.
    public func unconnected(_ supply: Supply, candidates: [Int]) -> [Int] {
        let connected = Set(entries(supply, candidates).map(\.label))
        return candidates.filter { !connected.contains($0) }
    }

    func nearest(_ demand: [DemandPoint], supply: Supply, candidates: [Int], cutoffMinutes: Double) -> [NearestResult] {
        let (dist, far, label) = dijkstra(sources: entries(supply, candidates), cutoff: cutoffMinutes)
        let direct = SphereIndex(candidates.map { supply.establishments[$0].location })
        return parallelMap(demand) { p in
            var best = NearestResult(establishment: nil, metres: .infinity, minutes: .infinity)
            if let hit = nodeIndex.nearest(p.location), hit.metres <= maxWalkMetres, label[hit.index] >= 0 {
                best = NearestResult(
                    establishment: Int(label[hit.index]), metres: hit.metres + far[hit.index],
                    minutes: walkMinutes(hit.metres) + dist[hit.index])
            }
            // Walking straight there may beat the road (a school next door).
            if let walk = direct.nearest(p.location), walkMinutes(walk.metres) < best.minutes {
                best = NearestResult(
                    establishment: candidates[walk.index], metres: walk.metres, minutes: walkMinutes(walk.metres))
            }
            if best.minutes > cutoffMinutes {
                best = NearestResult(establishment: nil, metres: .infinity, minutes: .infinity)
            }
            return best
        }
    }

    func matrix(_ demand: [DemandPoint], supply: Supply, candidates: [Int], cutoffMinutes: Double) -> TravelMatrix {
        // Demand points by their access node.
        var atNode: [Int: [(Int, Double)]] = [:]
        for (i, p) in demand.enumerated() {
            if let hit = nodeIndex.nearest(p.location), hit.metres <= maxWalkMetres {
                atNode[hit.index, default: []].append((i, walkMinutes(hit.metres)))
            }
        }
        var rows = [[Int: Double]](repeating: [:], count: demand.count)
        for entry in entries(supply, candidates) {
            let (dist, _, _) = dijkstra(sources: [entry], cutoff: cutoffMinutes)
            for (node, points) in atNode where dist[node] <= cutoffMinutes {
                for (i, walk) in points where dist[node] + walk <= cutoffMinutes {
                    rows[i][entry.label] = min(rows[i][entry.label] ?? .infinity, dist[node] + walk)
                }
            }
        }
        let direct = SphereIndex(candidates.map { supply.establishments[$0].location })
        let walkRadius = cutoffMinutes * walkingKmh * 1000 / 60
        for (i, p) in demand.enumerated() {
            for hit in direct.within(p.location, metres: walkRadius) {
                let j = candidates[hit.index]
                rows[i][j] = min(rows[i][j] ?? .infinity, walkMinutes(hit.metres))
            }
        }
        return TravelMatrix(
            rows: rows.map { $0.sorted { $0.key < $1.key }.map { ($0.key, $0.value) } }, cutoffMinutes: cutoffMinutes)
    }
}
