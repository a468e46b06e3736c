import Foundation
import GIS
import Testing

/// The services chain on the national schools registry (AMIE) and the official plan, with the
/// shipped registry rules: the levels are matched on real schools, and the net deficit never
/// exceeds the gross one.
@Suite("National services with the AMIE registry rules (../shared/data)", .enabled(if: CLIData.required))
struct NationalServicesTests {
    @Test func amieRulesMatchEveryLevelAndNetThePrivateOffer() throws {
        let dir = try CLI.temp()
        let data = CLIData.root
        let registry = data + "/establishments/escuelas_amie.csv"
        let r = try CLI.run([
            "deficit", data + "/plans/distritos_oficial_parroquias2012.csv", "--units", data + "/dpa/parroquias.shp",
            "--recode", data + "/population/recode_2022_to_2012.csv", "--links", "auto", "--establishments", registry,
            "--establishment-id", "amie", "--registry-rules", "amie", "--only", "education", "--accept-invalid-plan",
            "--out", dir + "/d",
        ])
        #expect(r.status == 0, "\(r.stderr)")
        // A hand count on the registry, independent of the rules: rows whose name starts with
        // the level's words, by funding. The rules match at least these (minus the 28 rows
        // outside every parroquia).
        let table = try CSVTable.read(registry)
        let name = try #require(table.header.firstIndex(of: "nombre"))
        let funding = try #require(table.header.firstIndex(of: "sostenimiento"))
        func count(_ prefixes: [String], private wantPrivate: Bool) -> Int {
            table.rows.filter { row in
                let n = row[name].uppercased()
                return prefixes.contains { n.hasPrefix($0) } && (row[funding] == "PARTICULAR") == wantPrivate
            }.count
        }
        let summary = try String(contentsOfFile: dir + "/d/summary.md", encoding: .utf8)
        func offer(_ typology: String) throws -> (Int, Int) {
            let line = try #require(
                summary.split(separator: "\n").first {
                    $0.hasPrefix("| \(typology) | ") && $0.split(separator: "|").count == 3
                })
            let cells = line.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
            return (Int(cells[1]) ?? -1, Int(cells[2]) ?? -1)
        }
        let inicial = try offer("Centro de educación inicial")
        let inicialPublic = count(["CENTRO DE EDUCACIÓN INICIAL", "CENTRO DE EDUCACION INICIAL"], private: false)
        let inicialPrivate = count(["CENTRO DE EDUCACIÓN INICIAL", "CENTRO DE EDUCACION INICIAL"], private: true)
        #expect(inicialPublic > 100 && inicial.0 >= inicialPublic - 28 && inicial.1 >= inicialPrivate - 28)
        let bachillerato = try offer("Unidad educativa de bachillerato")
        let colegios = count(["COLEGIO", "UNIDAD EDUCATIVA"], private: false)
        #expect(colegios > 4_000 && bachillerato.0 >= colegios - 28 - 430)  // PCEI unidades are excluded
        let egb = try offer("Escuela de educación general básica")
        #expect(egb.0 > bachillerato.0 && egb.1 > bachillerato.1)
        // Net never above gross, at every distrito and typology; the private offer is netted.
        let rows = try CSVTable.read(dir + "/d/deficit_distrito.csv")
        func cell(_ row: [String], _ column: String) -> Double {
            Double(row[rows.header.firstIndex(of: column) ?? 0]) ?? .nan
        }
        #expect(Set(rows.rows.map { $0[1] }).count == 140)
        for row in rows.rows {
            #expect(
                cell(row, "required") <= cell(row, "required_gross")
                    && cell(row, "missing") <= cell(row, "missing_gross"))
        }
        #expect(rows.rows.contains { cell($0, "missing") < cell($0, "missing_gross") })
        #expect(r.stdout.contains("private establishments serve"))
    }

    /// The official plan has distritos only: circuitos are derived inside them, and the UPC
    /// norm (one per circuito) counts the derived circuitos, not the 140 distritos. The derived
    /// plan, re-read by `validate`, breaks no rule the official distritos do not already break.
    @Test func officialPlanGetsDerivedCircuitos() throws {
        let dir = try CLI.temp()
        let data = CLIData.root
        let territory = [
            "--units", data + "/dpa/parroquias.shp", "--recode", data + "/population/recode_2022_to_2012.csv",
            "--links", "auto",
        ]
        let r = try CLI.run(
            ["deficit", data + "/plans/distritos_oficial_parroquias2012.csv"] + territory + [
                "--establishments", data + "/establishments/escuelas_amie.csv", "--establishment-id", "amie",
                "--registry-rules", "amie", "--only", "Unidad de Policía Comunitaria (UPC)", "--accept-invalid-plan",
                "--out", dir + "/d",
            ])
        #expect(r.status == 0, "\(r.stderr)")
        let plan = try CSVTable.read(dir + "/d/plan_with_circuitos.csv")
        let all = try #require(plan.header.firstIndex(of: "circuitos_all"))
        var circuitos = Set<String>()
        for row in plan.rows {
            for c in (row[all].isEmpty ? row[2] : row[all]).split(separator: ";") { circuitos.insert(String(c)) }
        }
        #expect(circuitos.count > 600 && circuitos.count < 1_134)
        let nation = try CSVTable.read(dir + "/d/deficit_nation.csv")
        let required = try #require(nation.header.firstIndex(of: "required"))
        #expect(nation.rows.map { Double($0[required]) } == [Double(circuitos.count)])
        let validate = try CLI.run(["validate", dir + "/d/plan_with_circuitos.csv"] + territory)
        let violations = validate.stdout.split(separator: "\n").filter { $0.hasPrefix("  [") }
        #expect(violations.count == 8, "\(validate.stdout.suffix(1500))")
        #expect(violations.allSatisfy { !$0.contains("C0") && !$0.contains("C1") })
    }

    /// Capacity-aware placement on the national schools, re-read from the written files: no
    /// new school serves more than its 700 places, each area's schools serve what unserved.csv
    /// says they take, every new school takes unserved pupils unless the file says why not,
    /// and every area's unserved pupils are taken or listed with a reason.
    @Test func newSchoolsTakeTheUnservedPupils() throws {
        let dir = try CLI.temp()
        let data = CLIData.root
        let r = try CLI.run([
            "place", data + "/plans/distritos_oficial_parroquias2012.csv", "--units", data + "/dpa/parroquias.shp",
            "--recode", data + "/population/recode_2022_to_2012.csv", "--links", "auto", "--establishments",
            data + "/establishments/escuelas_amie.csv", "--type-field", "sostenimiento", "--establishment-id", "amie",
            "--only", "Escuela de educación general básica", "--accept-invalid-plan", "--out", dir + "/p",
        ])
        #expect(r.status == 0, "\(r.stderr)")
        let sites = try GeoJSONReader.read(dir + "/p/sites.geojson")
        let served = try sites.requireField("served"), area = try sites.requireField("unit_code")
        var perArea: [String: Double] = [:]
        var emptyAreas = Set<String>()
        for f in sites.features {
            let people = f.attributes[served].number ?? .nan
            #expect(people <= 700.05, "\(f.attributes[area]) serves \(people)")
            perArea[f.attributes[area].description, default: 0] += people
            if people <= 0 { emptyAreas.insert(f.attributes[area].description) }
        }
        #expect(sites.features.count == 852)
        let unserved = try CSVTable.read(dir + "/p/unserved.csv")
        func cell(_ row: [String], _ name: String) -> String { row[unserved.header.firstIndex(of: name) ?? 0] }
        var listed = Set<String>()
        for row in unserved.rows {
            let code = cell(row, "unit_code")
            listed.insert(code)
            let taken = Double(cell(row, "taken_by_new_sites")) ?? .nan
            #expect(abs(taken - (perArea[code] ?? 0)) <= 1, "\(code): \(taken) vs \(perArea[code] ?? 0)")
            let left = Double(cell(row, "left_unserved")) ?? .nan
            let before = (Double(cell(row, "beyond_reach")) ?? .nan) + (Double(cell(row, "beyond_capacity")) ?? .nan)
            #expect(abs(left - max(0, before - taken)) <= 1)
            if left > 0.5 || emptyAreas.contains(code) { #expect(!cell(row, "reason").isEmpty, "\(code)") }
        }
        #expect(Set(perArea.keys).isSubset(of: listed))
    }
}
