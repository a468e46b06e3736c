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
