import Foundation
import GIS
import Planning
import Testing

@testable import Workflows

/// The registry rules (typology by name, provider by funding) on rows written by hand, and the
/// shipped AMIE rules against the shipped catalogue.
@Suite("Registry rules")
struct RegistryRulesTests {
    let catalogue = try? StandardsCatalogue.read(
        header: [
            "sector", "typology", "level", "norm", "norm_value", "group_share", "capacity", "max_minutes",
            "staff", "investment_infrastructure", "investment_equipment", "investment_furniture",
            "recurrent_salaries", "recurrent_utilities", "recurrent_maintenance", "repair_share", "matches",
            "source", "cost_source", "assumption",
        ],
        rows: ["EGB", "Bachillerato", "Inicial"].map {
            [
                "education", $0, "circuito", "per_population", "700", "0.2", "700", "30", "1", "1", "1", "1", "1", "1",
                "1",
                "0.5", "", "illustrative", "illustrative", "test",
            ]
        }, source: "test catalogue")

    func write(_ text: String) throws -> String { try temporaryTable(text, prefix: "rules") }

    let rulesText = """
        rule,field,match,pattern,value,note
        exclude,oferta,equals,ESPECIALIZADA,,special needs
        provider,sostenimiento,equals,particular,private,
        typology,nombre,prefix,Centro de Educación Inicial,Inicial,
        typology,nombre,prefix,UNIDAD EDUCATIVA,EGB; Bachillerato,
        typology,nombre,prefix,ESCUELA,EGB,
        typology,nombre,contains,INICIAL,Inicial,
        typology,nombre,any,,EGB,fallback

        """

    @Test func normalizationFoldsCaseAccentsAndPunctuation() {
        #expect(RegistryRules.normalized("  Escuela-de  Educación Básica “Nº 5”") == "ESCUELA DE EDUCACION BASICA N 5")
        #expect(RegistryRules.normalized("") == "")
        #expect(RegistryRules.normalized("¡¿…!") == "")
    }

    @Test func rowsGetTheirTypologiesAndProviderByHand() throws {
        let rules = try RegistryRules.read(try write(rulesText), catalogue: try #require(catalogue))
        func verdict(_ fields: [String: String]) -> RegistryRules.Verdict { rules.classify { fields[$0] ?? "" } }
        // Several levels, private (the provider rule matches whatever its place in the file).
        #expect(
            verdict(["nombre": "Unidad Educativa “Israel del Valle”", "sostenimiento": "PARTICULAR"])
                == .init(typologies: ["EGB", "Bachillerato"], provider: .private, excludedBecause: nil))
        // The first typology rule wins: an escuela whose name says inicial is an escuela.
        #expect(verdict(["nombre": "ESCUELA INICIAL LOS PINOS"]).typologies == ["EGB"])
        #expect(verdict(["nombre": "Centro Municipal de Educación Inicial"]).typologies == ["Inicial"])
        // Prefixes are whole words: "ESCUELAS" is not "ESCUELA"; the fallback takes it.
        #expect(verdict(["nombre": "ESCUELAS UNIDAS"]).typologies == ["EGB"])
        #expect(verdict(["nombre": "ESCUELA"]).provider == .public)
        // Excluded whatever the name.
        #expect(
            verdict(["nombre": "UNIDAD EDUCATIVA ESPECIALIZADA X", "oferta": "especializada"])
                == .init(typologies: [], provider: .public, excludedBecause: "special needs"))
    }

    @Test func badRulesAreNamedByLine() throws {
        let c = try #require(catalogue)
        let cases: [(String, String)] = [
            ("typology,nombre,prefix,COLEGIO,Colegio,", "line 2: the catalogue has no typology 'Colegio'"),
            ("typology,nombre,regex,COLEGIO,EGB,", "line 2: match must be equals, prefix, contains or any"),
            ("typology,nombre,any,COLEGIO,EGB,", "line 2: an 'any' rule has no pattern"),
            ("typology,nombre,prefix,“ ”,EGB,", "line 2: pattern is needed"),
            ("provider,sostenimiento,equals,X,state,", "line 2: a provider rule's value is public or private"),
            ("exclude,oferta,equals,X,,", "line 2: an exclude rule needs a note"),
            ("drop,nombre,equals,X,EGB,", "line 2: rule must be exclude, typology or provider"),
            ("provider,sostenimiento,equals,X,public,", "the registry rules have no typology rule"),
        ]
        for (row, message) in cases {
            let path = try write("rule,field,match,pattern,value,note\n" + row + "\n")
            do {
                _ = try RegistryRules.read(path, catalogue: c)
                Issue.record("accepted: \(row)")
            } catch let e as PlanningError {
                #expect(e.description.contains(message), "\(row): \(e.description)")
                #expect(e.description.contains(path))
            }
        }
    }

    /// Every typology the shipped AMIE rules name is in the shipped catalogue, and the rules
    /// give the three school levels.
    @Test func shippedAMIERulesReadAgainstTheShippedCatalogue() throws {
        let table = try CSVTable.read(DataFiles.path(DataFiles.catalogue))
        let shipped = try StandardsCatalogue.read(
            header: table.header, rows: table.rows, lines: table.lines, source: "catalogue")
        let rules = try RegistryRules.read(DataFiles.path(DataFiles.registryAMIE), catalogue: shipped)
        let named = Set(rules.rules.flatMap(\.typologies))
        #expect(
            named == [
                "Escuela de educación general básica", "Unidad educativa de bachillerato",
                "Centro de educación inicial",
            ])
        #expect(rules.fields == ["nombre", "oferta_2", "sostenimiento"])
        let row = ["nombre": "CENTRO DE EDUCACIÓN INICIAL “GROW HAPPY”", "sostenimiento": "PARTICULAR"]
        #expect(
            rules.classify { row[$0] ?? "" }
                == .init(typologies: ["Centro de educación inicial"], provider: .private, excludedBecause: nil))
    }
}
