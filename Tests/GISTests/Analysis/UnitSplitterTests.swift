import Foundation
import GIS
import Testing

@Suite("Splitting oversized units")
struct UnitSplitterTests {
    /// A 10 km × 5 km parish of 44,000 people beside a small one of 3,000, in UTM 17S.
    func layer() -> Layer {
        Layer(
            source: "two", kind: .polygon, crs: .utm17S, fields: [Field("id", .text), Field("pop", .integer)],
            features: [
                Feature(
                    geometry: .polygon(
                        PolygonValue(exterior: [
                            Coordinate(500_000, 9_900_000), Coordinate(510_000, 9_900_000),
                            Coordinate(510_000, 9_905_000), Coordinate(500_000, 9_905_000),
                            Coordinate(500_000, 9_900_000),
                        ])), attributes: [.text("010150"), .integer(44_000)]),
                Feature(
                    geometry: .polygon(PolygonValue(exterior: Fixtures.square(510_000, 9_900_000, 2_000))),
                    attributes: [.text("010151"), .integer(3_000)]),
            ])
    }

    func splitter() -> UnitSplitter {
        UnitSplitter(idField: "id", populationField: "pop", target: 11_000, splitAbove: 16_500)
    }

    func pieces(_ out: Layer) throws -> [(id: String, pop: Int, area: Double, parts: Int)] {
        let ctx = GeometryContext()
        return try out.features.map { f in
            let g = try ctx.geometry(try #require(f.geometry))
            return (f.attributes[0].description, Int(f.attributes[1].number ?? -1), try g.area(), g.partCount)
        }
    }

    @Test func byAreaIntoFourEqualContiguousPieces() throws {
        let (out, records) = try splitter().split(layer())
        let p = try pieces(out)
        #expect(p.map(\.id) == ["010150-001", "010150-002", "010150-003", "010150-004", "010151"])
        // Population conserved exactly, each piece a quarter within the grain of the grid (64
        // cells a piece: a cell is under 2 % of a piece); the small parish untouched.
        #expect(p.prefix(4).reduce(0) { $0 + $1.pop } == 44_000)
        for piece in p.prefix(4) { #expect(abs(piece.pop - 11_000) <= 440) }
        #expect(p[4].pop == 3_000)
        // Area conserved (50 km²), each piece one polygon of about 12.5 km² (straightening the
        // borders between pieces may not cut off a jog: unlimited, it moved 7 % of a piece).
        #expect(abs(p.prefix(4).reduce(0) { $0 + $1.area } - 50_000_000) < 1)
        for piece in p.prefix(4) {
            #expect(piece.parts == 1)
            #expect(abs(piece.area - 12_500_000) <= 0.04 * 12_500_000)
        }
        #expect(
            out.features.map { $0.attributes[2].description } == ["010150", "010150", "010150", "010150", "010151"])
        #expect(records.count == 1 && records[0].weighting == "area" && records[0].pieces.count == 4)
    }

    /// Many oversized parishes at once, split on every core: each one's pieces (ids, people,
    /// coordinates) are exactly those it gets split alone, in the layer's order, with the
    /// points spread over all of them; a parish with no area fails naming its record.
    @Test func eachUnitSplitWithOthersIsSplitAsAlone() throws {
        var s = splitter()
        var points: [WeightedPoint] = []
        for k in 0..<600 {
            // A fixed scatter (no randomness): a quasi-random lattice over the whole strip.
            let x = 500_000 + Double((k * 7_919) % 60_000), y = 9_900_000 + Double((k * 104_729) % 9_000)
            points.append(WeightedPoint(Coordinate(x, y)))
        }
        s.points = points
        // Eight parishes of 20,000–90,000 people side by side, 7 km squares.
        let features = (0..<8).map { (i: Int) -> Feature in
            let x: Double = 500_000 + Double(i) * 7_500
            let people: Int64 = 20_000 + Int64((i * 3) % 8) * 10_000
            return Feature(
                geometry: .polygon(PolygonValue(exterior: Fixtures.square(x, 9_900_000, 7_000))),
                attributes: [.text("0101\(50 + i)"), .integer(people)])
        }
        func layer(_ features: [Feature]) -> Layer {
            Layer(
                source: "many", kind: .polygon, crs: .utm17S, fields: [Field("id", .text), Field("pop", .integer)],
                features: features)
        }
        let (together, records) = try s.split(layer(features))
        #expect(records.map(\.parent) == features.map { $0.attributes[0].description })
        var alone: [Feature] = []
        for f in features { alone += try s.split(layer([f])).0.features }
        #expect(together.features.count == alone.count && together.features.count > 30)
        for (a, b) in zip(together.features, alone) {
            #expect(a.attributes.map(\.description) == b.attributes.map(\.description))
            #expect(a.geometry == b.geometry)
        }
        // A parish with no area among them: the error names its record and code.
        var broken = features
        broken[5].geometry = .polygon(
            PolygonValue(exterior: [
                Coordinate(540_000, 9_900_000), Coordinate(541_000, 9_900_000), Coordinate(540_000, 9_900_000),
            ]))
        #expect {
            _ = try s.split(layer(broken))
        } throws: { error in
            "\(error)".contains("record 6") && "\(error)".contains("010155")
        }
    }

    /// One parish of the given shape and population, in UTM 17S.
    func single(_ geometry: GeometryValue, people: Int) -> Layer {
        Layer(
            source: "one", kind: .polygon, crs: .utm17S, fields: [Field("id", .text), Field("pop", .integer)],
            features: [Feature(geometry: geometry, attributes: [.text("010150"), .integer(Int64(people))])])
    }

    @Test func grid_squaresCutIntoSeveralPolygonsNeverJoinLandThatIsNotJoined() throws {
        // A comb: a 10 km × 1 km spine with 25 teeth 100 m wide and 4 km long, 400 m apart.
        // The grid's squares (about 456 m) cut across several teeth; each tooth is land joined
        // only through the spine, so each piece must still be one polygon.
        var ring = [Coordinate(500_000, 9_900_000), Coordinate(510_000, 9_900_000), Coordinate(510_000, 9_901_000)]
        for t in (0..<25).reversed() {
            let x = 500_000 + Double(t) * 400 + 150
            ring += [
                Coordinate(x + 100, 9_901_000), Coordinate(x + 100, 9_905_000), Coordinate(x, 9_905_000),
                Coordinate(x, 9_901_000),
            ]
        }
        ring += [Coordinate(500_000, 9_901_000), Coordinate(500_000, 9_900_000)]
        let comb = single(.polygon(PolygonValue(exterior: ring)), people: 44_000)
        let (out, records) = try splitter().split(comb)
        let p = try pieces(out)
        #expect(p.count == 4 && records[0].detachedParts == 0)
        for piece in p { #expect(piece.parts == 1, "\(piece.id) has \(piece.parts) polygons") }
        #expect(p.reduce(0) { $0 + $1.pop } == 44_000)
        #expect(abs(p.reduce(0) { $0 + $1.area } - 20_000_000) < 1)
    }

    @Test func anIslandTooSmallForAPieceJoinsTheNearestPieceWhole() throws {
        // The 10 km × 5 km parish with a 300 m island 2 km off its eastern shore.
        let main = PolygonValue(exterior: [
            Coordinate(500_000, 9_900_000), Coordinate(510_000, 9_900_000), Coordinate(510_000, 9_905_000),
            Coordinate(500_000, 9_905_000), Coordinate(500_000, 9_900_000),
        ])
        let island = PolygonValue(exterior: Fixtures.square(512_000, 9_902_000, 300))
        let (out, records) = try splitter().split(single(.multiPolygon([main, island]), people: 44_000))
        let p = try pieces(out)
        #expect(records[0].detachedParts == 1)
        #expect(p.map(\.parts).sorted() == [1, 1, 1, 2])
        #expect(p.reduce(0) { $0 + $1.pop } == 44_000)
        #expect(abs(p.reduce(0) { $0 + $1.area } - 50_090_000) < 1)
        // The island went to the easternmost piece.
        let ctx = GeometryContext()
        let holder = try #require(
            out.features.first { f in
                (try? ctx.geometry(f.geometry ?? .multiPolygon([])).partCount) == 2
            })
        let east = try #require(
            out.features.max { a, b in
                ((try? ctx.geometry(a.geometry ?? .multiPolygon([])).envelope.maxX) ?? 0)
                    < ((try? ctx.geometry(b.geometry ?? .multiPolygon([])).envelope.maxX) ?? 0)
            })
        #expect(holder.attributes[0] == east.attributes[0])
    }

    @Test func populationPointsMakeDensePiecesSmall() throws {
        var s = splitter()
        // 300 people-points in the western 2 km, 100 spread over the rest.
        var points: [WeightedPoint] = []
        for i in 0..<300 {
            let x = 500_100 + Double(i % 19) * 100, y = 9_900_100 + Double(i / 19) * 300
            points.append(WeightedPoint(Coordinate(x, y)))
        }
        for i in 0..<100 {
            let x = 502_500 + Double(i % 10) * 750, y = 9_900_250 + Double(i / 10) * 480
            points.append(WeightedPoint(Coordinate(x, y)))
        }
        s.points = points
        let (out, records) = try s.split(layer())
        let p = try pieces(out)
        #expect(records[0].weighting == "points" && records[0].pointsInside == 400)
        #expect(p.prefix(4).reduce(0) { $0 + $1.pop } == 44_000)
        // The pieces over the dense west are much smaller than the others.
        let areas = p.prefix(4).map(\.area).sorted()
        #expect(areas[0] < 0.5 * areas[3])
        for piece in p.prefix(4) { #expect(piece.parts == 1 && abs(piece.pop - 11_000) < 1_650) }
        // Deterministic: same inputs, same pieces.
        let again = try pieces(try s.split(layer()).0)
        #expect(again.map(\.area) == p.map(\.area) && again.map(\.pop) == p.map(\.pop))
    }

    /// An ellipse lying along the diagonal, cut across it into four pieces: the grid cells
    /// leave staircases on the cuts, which smoothing straightens (shared borders at least a
    /// fifth shorter), while the pieces keep their ids and populations, stay one valid polygon
    /// each and still tile the parish exactly (its outline is never touched).
    @Test func smoothingStraightensTheCutsAndKeepsTheTiling() throws {
        let ring = (0...72).map { k -> Coordinate in
            let t = Double(k % 72) / 72 * 2 * Double.pi
            let x = 8_000 * cos(t), y = 2_500 * sin(t)
            return Coordinate(505_000 + (x - y) / 2.0.squareRoot(), 9_905_000 + (x + y) / 2.0.squareRoot())
        }
        let parish = GeometryValue.polygon(PolygonValue(exterior: ring))
        var rough = splitter()
        rough.smoothBorders = false
        let (cells, cellRecords) = try rough.split(single(parish, people: 44_000))
        let (smooth, smoothRecords) = try splitter().split(single(parish, people: 44_000))
        #expect(cellRecords.map(\.smoothed) == [false] && smoothRecords.map(\.smoothed) == [true])
        #expect(cells.features.map(\.attributes) == smooth.features.map(\.attributes))
        let ctx = GeometryContext()
        let whole = try ctx.geometry(parish)
        func sharedBorders(_ layer: Layer) throws -> Double {
            var total = 0.0
            for f in layer.features {
                let g = try ctx.geometry(try #require(f.geometry))
                #expect(try g.isValid() && g.partCount == 1)
                total += try g.length()
            }
            let union = try ctx.collection(try layer.features.map { try ctx.geometry(try #require($0.geometry)) })
                .unaryUnion()
            #expect(abs(try union.area() - (try whole.area())) <= 1e-6 * (try whole.area()))
            #expect(
                try union.difference(whole).area() + (try whole.difference(union).area()) <= 1e-6 * (try whole.area()))
            return (total - (try whole.length())) / 2
        }
        let before = try sharedBorders(cells), after = try sharedBorders(smooth)
        #expect(after <= 0.8 * before, "shared borders \(before) m → \(after) m")
        #expect(after > 0)
    }

    @Test func inertialBisectionKeepsPartsContiguousOnAnUShape() {
        // A U of 3×3 cells missing the top middle: 8 cells, 2 parts of 4.
        let present = [(0, 0), (1, 0), (2, 0), (0, 1), (2, 1), (0, 2), (1, 1), (2, 2)]
        let index = Dictionary(uniqueKeysWithValues: present.enumerated().map { ($1.0 * 10 + $1.1, $0) })
        let neighbours = present.map { (x, y) in
            [(x + 1, y), (x - 1, y), (x, y + 1), (x, y - 1)].compactMap { index[$0.0 * 10 + $0.1] }
        }
        let b = InertialBisection(
            centres: present.map { Coordinate(Double($0.0), Double($0.1)) }, weights: present.map { _ in 1 },
            mass: present.map { _ in 1 }, neighbours: neighbours)
        let parts = b.parts(2)
        #expect(parts.map(\.count).sorted() == [4, 4])
        for part in parts {
            // Connected: a walk from the first cell reaches all.
            var seen: Set<Int> = [part[0]], stack = [part[0]]
            while let c = stack.popLast() {
                for n in neighbours[c] where part.contains(n) && !seen.contains(n) {
                    seen.insert(n)
                    stack.append(n)
                }
            }
            #expect(seen.count == part.count)
        }
    }
}
