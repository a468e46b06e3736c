import GIS
import Testing

@Suite("Dissolve")
struct DissolveTests {
    @Test func groupsByPrefixAndConservesPopulation() throws {
        // 3×3 grid; key "r{row}c{col}": prefix 2 groups rows.
        let grid = Fixtures.grid(3)
        let (rows, report) = try Dissolve.run(grid, options: .init(keyField: "id", prefix: 2, outputKey: "row"))
        #expect(rows.features.count == 3)
        #expect(rows.fields.map(\.name) == ["row", "n_members", "pop"])
        #expect(rows.features.map { $0.attributes[0] } == [.text("r0"), .text("r1"), .text("r2")])
        // Rows: pops 10+20+30, 40+50+60, 70+80+90.
        #expect(rows.features.map { $0.attributes[2] } == [.integer(60), .integer(150), .integer(240)])
        #expect(report.sums.first?.input == 450 && report.sums.first?.output == 450)
        #expect(report.overlayGroups.isEmpty)
        let ctx = GeometryContext()
        for f in rows.features {
            let g = try ctx.geometry(try #require(f.geometry))
            #expect(g.typeName == "Polygon")
            #expect(try g.area() == 3_000_000)
            #expect(try g.length() == 8_000)
        }
    }

    @Test func textFieldsKeptWhenConstantDroppedOtherwise() throws {
        var layer = Fixtures.grid(2)
        layer.fields.append(Field("zone", .text))
        layer.fields.append(Field("name", .text))
        for i in layer.features.indices { layer.features[i].attributes += [.text("Z1"), .text("n\(i)")] }
        let (out, report) = try Dissolve.run(layer, options: .init(keyField: "id", prefix: 1))
        #expect(out.features.count == 1)
        #expect(out.fields.map(\.name) == ["id", "n_members", "pop", "zone"])
        #expect(report.droppedFields == ["name"])
    }

    @Test func overlappingInputFallsBackToOverlay() throws {
        let a = Feature(
            geometry: .polygon(PolygonValue(exterior: Fixtures.square(0, 0, 2))), attributes: [.text("A"), .integer(1)])
        let b = Feature(
            geometry: .polygon(PolygonValue(exterior: Fixtures.square(1, 0, 2))), attributes: [.text("A"), .integer(2)])
        let layer = Layer(
            source: "t", kind: .polygon, crs: .utm17S, fields: [Field("k", .text), Field("pop", .integer)],
            features: [a, b])
        let (out, report) = try Dissolve.run(layer, options: .init(keyField: "k"))
        #expect(report.overlayGroups == ["A"])
        #expect(try GeometryContext().geometry(try #require(out.features[0].geometry)).area() == 6)
        #expect(out.features[0].attributes == [.text("A"), .integer(2), .integer(3)])
    }

    /// Two members whose shared border differs by 1e-7 m at one vertex (a piece clipped from a
    /// parroquia against its neighbour's straight edge), with members above and below, enclose
    /// a hairline hole of 5e-5 m² and 2 km of perimeter: it is filled. A real hole (another
    /// group's 10 m square inside a ring of members) stays.
    @Test func hairlineHolesBetweenMembersAreFilledRealHolesKept() throws {
        let x = 718_000.0, y = 9_687_000.0
        func feature(_ ring: [Coordinate], _ key: String) -> Feature {
            Feature(geometry: .polygon(PolygonValue(exterior: ring)), attributes: [.text(key), .integer(1)])
        }
        func box(_ x0: Double, _ y0: Double, _ x1: Double, _ y1: Double) -> [Coordinate] {
            [Coordinate(x0, y0), Coordinate(x1, y0), Coordinate(x1, y1), Coordinate(x0, y1), Coordinate(x0, y0)]
        }
        let dipping = [
            Coordinate(x, y), Coordinate(x + 1000, y), Coordinate(x + 1000 - 1e-7, y + 500),
            Coordinate(x + 1000, y + 1000), Coordinate(x, y + 1000), Coordinate(x, y),
        ]
        let members = [
            dipping, box(x + 1000, y, x + 2000, y + 1000), box(x, y - 500, x + 2000, y),
            box(x, y + 1000, x + 2000, y + 1500),
        ]
        // A 30 m square ring of four members around a 10 m square of group "B".
        let rx = x + 2000
        let ring = [
            [
                Coordinate(rx, y), Coordinate(rx + 30, y), Coordinate(rx + 30, y + 10), Coordinate(rx, y + 10),
                Coordinate(rx, y),
            ],
            [
                Coordinate(rx, y + 20), Coordinate(rx + 30, y + 20), Coordinate(rx + 30, y + 30),
                Coordinate(rx, y + 30), Coordinate(rx, y + 20),
            ],
            Fixtures.square(rx, y + 10, 10), Fixtures.square(rx + 20, y + 10, 10),
        ]
        let layer = Layer(
            source: "t", kind: .polygon, crs: .utm17S, fields: [Field("k", .text), Field("pop", .integer)],
            features: members.map { feature($0, "A") } + ring.map { feature($0, "R") }
                + [feature(Fixtures.square(rx + 10, y + 10, 10), "B")])
        let (out, report) = try Dissolve.run(layer, options: .init(keyField: "k"))
        #expect(Dissolve.hairlineWidth(for: layer.envelope) == 1e-6)
        #expect(report.hairlineHoles == 1)
        let context = GeometryContext()
        let a = try #require(out.features.first { $0.attributes[0] == .text("A") }?.geometry)
        #expect(a.polygons.count == 1 && a.polygons[0].holes.isEmpty)
        #expect(try context.geometry(a).isValid())
        #expect(abs(try context.geometry(a).length() - 8000) < 1e-6)
        let r = try #require(out.features.first { $0.attributes[0] == .text("R") }?.geometry)
        #expect(r.polygons.count == 1 && r.polygons[0].holes.count == 1)
        #expect(abs(try context.geometry(r).area() - 800) < 1e-6)
    }

    @Test func unknownFieldAndBadPrefixAreUsageErrors() throws {
        let error = try #require(throws: GISError.self) {
            try Dissolve.run(Fixtures.grid(2), options: .init(keyField: "nope"))
        }
        #expect(error.message.contains("id, pop"))
        #expect(throws: GISError.self) { try Dissolve.run(Fixtures.grid(2), options: .init(keyField: "id", prefix: 0)) }
    }

    @Test func resultDoesNotDependOnInputOrder() throws {
        var shuffled = Fixtures.grid(3)
        shuffled.features.reverse()
        let a = try Dissolve.run(Fixtures.grid(3), options: .init(keyField: "id", prefix: 2)).0
        let b = try Dissolve.run(shuffled, options: .init(keyField: "id", prefix: 2)).0
        #expect(a.features.map(\.attributes) == b.features.map(\.attributes))
        let ctx = GeometryContext()
        for (x, y) in zip(a.features, b.features) {
            #expect(try ctx.geometry(x.geometry!).equalsTopologically(try ctx.geometry(y.geometry!)))
        }
    }
}
