import Foundation
import GIS
import Planning
import Testing

@testable import Workflows

/// Where oversized parroquias may be divided into circuito pieces: the table's rows, its
/// errors, and the demo territory split under a table that allows one cabecera only.
@Suite("Divisible parroquias")
struct DivisibleParroquiasTests {
    func write(_ text: String) throws -> String { try temporaryTable(text, prefix: "divisible") }

    @Test func rowsSayWhichParroquiasMayBeDivided() throws {
        let rule = try DivisibleParroquias.read(
            try write("scope,code,source\ncabeceras,,urban\ncanton,1701,Quito\nparroquia,120651,Ricaurte\n"))
        #expect(rule.contains("090150"))  // a cabecera cantonal
        #expect(rule.contains("170184"))  // a parroquia of a listed cantón
        #expect(rule.contains("120651"))  // listed by itself
        #expect(!rule.contains("240152"))  // a rural parroquia elsewhere
        #expect(DivisibleParroquias.all.contains("240152"))
        // The shipped tables: every parroquia by default; the urban reading keeps Colonche whole.
        let shipped = try DivisibleParroquias.read(WorkflowTests.root + "/Data/rules/divisible_parroquias.csv")
        let urban = try DivisibleParroquias.read(WorkflowTests.root + "/Data/rules/divisible_parroquias_urban.csv")
        #expect(shipped.contains("240152") && !urban.contains("240152") && urban.contains("170184"))
        for (text, message) in [
            ("scope,code\ncabecera,\n", "line 2, field 'scope'"),
            ("scope,code\ncanton,17\n", "line 2, field 'code': a 4-digit cantón code"),
            ("scope,code\ncabeceras,\nparroquia,12065X\n", "line 3, field 'code': a 6-digit parroquia code"),
            ("scope\ncabeceras\n", "needs the columns 'scope' and 'code'"),
        ] {
            let error = try #require(throws: WorkflowError.self) { try DivisibleParroquias.read(try write(text)) }
            #expect(error.message.contains(message), "\(error.message)")
        }
    }

    /// The demo's three oversized cabeceras (310150, 320150, 330150): with a table naming only
    /// 310150, the other two stay whole (listed, with their population) and no piece names them.
    @Test func theTableDecidesWhatTheSplitterDivides() throws {
        var options = TerritoryOptions(units: WorkflowTests.root + "/shapes/demo/parroquias.shp")
        options.split = true
        options.divisibleParroquias = try write("scope,code\nparroquia,310150\n")
        let loaded = try TerritoryLoader.load(options)
        #expect(loaded.splits.map(\.parent) == ["310150"])
        #expect(loaded.keptWhole.map(\.code) == ["320150", "330150"])
        #expect(loaded.keptWhole.allSatisfy { $0.population > Int(1.5 * 11_000) })
        let ids = Set(loaded.territory.units.map(\.id))
        #expect(ids.contains("320150") && ids.contains("330150") && !ids.contains("310150"))
        options.divisibleParroquias = nil  // the shipped table: every parroquia
        let all = try TerritoryLoader.load(options)
        #expect(all.splits.map(\.parent) == ["310150", "320150", "330150"] && all.keptWhole.isEmpty)
        // A table without --split would change nothing: refused, naming the option.
        options.split = false
        options.divisibleParroquias = try write("scope,code\nall,\n")
        let error = try #require(throws: WorkflowError.self) { try TerritoryLoader.load(options) }
        #expect(error.message.contains("--divisible-parroquias need --split"))
    }
}
