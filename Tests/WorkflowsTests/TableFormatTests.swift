import Foundation
import GIS
import Testing

@testable import Workflows

@Suite("Spreadsheet-friendly tables")
struct TableFormatTests {
    @Test func columnTypesByHand() {
        func type(_ v: String) -> TableColumnType { TableColumnType.of([v]) }
        #expect(type("010150") == .string)  // a code: leading zero kept as text
        #expect(type("170150") == .integer)
        #expect(type("0") == .integer)
        #expect(type("-12") == .integer)
        #expect(type("0.25") == .real)
        #expect(type("-3.5") == .real)
        #expect(type("1e-05") == .real)
        #expect(type("2.5E+3") == .real)
        #expect(type("1234567890123456789") == .real)  // beyond 18 digits
        for text in ["abc", "1.", ".5", "1e", "--1", "1,5", "12a", "00.5", "inf"] {
            #expect(type(text) == .string, "\(text)")
        }
        #expect(TableColumnType.of(["1", "", "2.5"]) == .real)
        #expect(TableColumnType.of(["", ""]) == .string)
        #expect(TableColumnType.of(header: "unit", values: ["170150"]) == .string)
        #expect(TableColumnType.of(header: "DPA_PARROQ", values: ["170150"]) == .string)
        #expect(TableColumnType.of(header: "school_id", values: ["42"]) == .string)
        #expect(TableColumnType.of(header: "population", values: ["42"]) == .integer)
    }

    @Test func spreadsheetDialectByHand() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tables-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/t.csv"
        try "unit,name,population,share\n010150,\"Cuenca; centro\",1200,0.25\n170150,educación,3,1\n".write(
            toFile: path, atomically: true, encoding: .utf8)
        try TableConversion.apply(TableFormat(dialect: .esSpreadsheet, csvt: true), toFolder: folder)
        let bytes = try #require(FileManager.default.contents(atPath: path))
        let expected =
            "\u{FEFF}unit;name;population;share\r\n010150;\"Cuenca; centro\";1200;0,25\r\n170150;educación;3;1\r\n"
        #expect(bytes == Data(expected.utf8))
        #expect(
            try String(contentsOfFile: folder + "/t.csvt", encoding: .utf8)
                == "\"String\",\"String\",\"Integer\",\"Real\"\n")
        // Read back by the project's own reader: BOM skipped, ';' detected, same fields.
        let table = try CSVTable.read(path)
        #expect(table.header == ["unit", "name", "population", "share"])
        #expect(table.rows == [["010150", "Cuenca; centro", "1200", "0,25"], ["170150", "educación", "3", "1"]])
        // The default format leaves a file as it is, without a sidecar.
        try "a,b\n1,2.5\n".write(toFile: folder + "/u.csv", atomically: true, encoding: .utf8)
        let before = FileManager.default.contents(atPath: folder + "/u.csv")
        try TableConversion.apply(TableFormat(), toFolder: folder)
        #expect(FileManager.default.contents(atPath: folder + "/u.csv") == before)
        #expect(!FileManager.default.fileExists(atPath: folder + "/u.csvt"))
        // A sidecar alone keeps the RFC 4180 text.
        try TableConversion.apply(TableFormat(csvt: true), toFile: folder + "/u.csv")
        #expect(FileManager.default.contents(atPath: folder + "/u.csv") == before)
        #expect(try String(contentsOfFile: folder + "/u.csvt", encoding: .utf8) == "\"Integer\",\"Real\"\n")
    }
}
