import Foundation
import GIS
import Testing

@Suite("CSV point reader")
struct CSVTests {
    func write(_ text: String) throws -> String {
        let fx = try Fixtures()
        try text.write(toFile: fx.path("p.csv"), atomically: true, encoding: .utf8)
        return fx.path("p.csv")
    }

    @Test func quotedFieldsDetectedColumnsAndTypes() throws {
        let path = try write(
            "amie,nombre,dpa_parroq,alumnos,lat,lon\n17H01,\"ESCUELA \"\"LA PAZ\"\", QUITO\",170150,120,-0.2,-78.5\n01H02,\"DOS\nLÍNEAS\",010150,,-2.9,-79.0\n"
        )
        let result = try CSVPointReader.read(path)
        let layer = result.layer
        #expect(layer.features.count == 2)
        #expect(layer.features[0].geometry == .point(Coordinate(-78.5, -0.2)))
        #expect(layer.fields.map(\.name) == ["amie", "nombre", "dpa_parroq", "alumnos"])
        // Codes with leading zeros stay text; counts are integers.
        #expect(layer.fields.map(\.type) == [.text, .text, .text, .integer])
        #expect(layer.features[0].attributes[1] == .text("ESCUELA \"LA PAZ\", QUITO"))
        #expect(layer.features[1].attributes[1] == .text("DOS\nLÍNEAS"))
        #expect(layer.features[1].attributes[3] == .null)
    }

    @Test func badCoordinateNamesTheLine() throws {
        let path = try write("id,lon,lat\n1,-78.5,-0.2\n2,abc,-0.3\n3,-78.4,NaN\n4,-278.4,-0.1\n")
        let error = try #require(throws: GISError.self) { try CSVPointReader.read(path) }
        #expect(error.record == 3)
        #expect(error.message.contains("'abc'"))
        let lenient = try CSVPointReader.read(path, options: .init(skipBadRows: true))
        #expect(lenient.layer.features.count == 1)
        #expect(lenient.rejected.map(\.line) == [3, 4, 5])
        #expect(lenient.rejected[2].reason.contains("outside"))
    }

    @Test func namedColumnsSemicolonsAndProjectedCRS() throws {
        let path = try write("x_utm;y_utm;name\n778274.63;9977872.79;A\n")
        let result = try CSVPointReader.read(path, options: .init(xColumn: "x_utm", yColumn: "y_utm", crs: .utm17S))
        #expect(result.layer.features[0].geometry == .point(Coordinate(778274.63, 9977872.79)))
        #expect(result.layer.crs == .utm17S)
        let missing = try #require(throws: GISError.self) {
            try CSVPointReader.read(path, options: .init(xColumn: "este"))
        }
        #expect(missing.message.contains("x_utm"))
        #expect(throws: GISError.self) { try CSVPointReader.read(try write("a,b\n1,2\n")) }
        #expect(throws: GISError.self) { try CSVPointReader.read(try write("")) }
        #expect(throws: GISError.self) { try CSVPointReader.read(try write("lon,lat\n\"1,2\n")) }
    }

    @Test func windows1252FilesAreDecoded() throws {
        let fx = try Fixtures()
        let bytes = Array("lon,lat,name\n-78.5,-0.2,CA".utf8) + [0xD1] + Array("AR\n".utf8)
        try Data(bytes).write(to: URL(fileURLWithPath: fx.path("w.csv")))
        let result = try CSVPointReader.read(fx.path("w.csv"))
        #expect(result.layer.features[0].attributes == [.text("CAÑAR")])
        #expect(result.layer.notes.contains { $0.contains("1252") })
    }
}
