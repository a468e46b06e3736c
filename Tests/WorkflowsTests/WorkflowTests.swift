import Foundation
import GIS
import Planning
import Testing
@testable import Workflows

/// The workflows the CLI calls, run in-process on the synthetic demo territory.
@Suite("Workflows in-process on the demo territory")
struct WorkflowTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path

    var territory: TerritoryOptions {
        var o = TerritoryOptions(units: Self.root + "/shapes/demo/parroquias.shp")
        o.links = .auto
        return o
    }

    @Test func theShippedTablesAreFoundWithoutTheWorkingFolder() {
        #expect(FileManager.default.fileExists(atPath: DataFiles.path(DataFiles.zonas)))
        #expect(FileManager.default.fileExists(atPath: DataFiles.path(DataFiles.catalogue)))
        #expect(FileManager.default.fileExists(atPath: DataFiles.path(DataFiles.scenarios)))
    }

    @Test func aProposalIsWrittenAsOneSetAndItsPopulationIsConserved() throws {
        let dir = NSTemporaryDirectory() + "territorio-wf-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let (loaded, settings) = try ProposalWorkflow.load(territory, settings: ProposalSettings(), log: .silent)
        #expect(loaded.territory.units.count == 61)
        let layerPeople = loaded.layer.features.reduce(0.0) {
            $0 + ($1.attributes[loaded.layer.fieldIndex("POB_2022") ?? 0].number ?? 0)
        }
        let summary = try OutputSet.run(into: dir + "/plan") { set in
            try ProposalWorkflow.run(loaded, settings: settings, into: set, log: .silent)
        }
        #expect(summary.report.valid)
        let written = Set((try? FileManager.default.contentsOfDirectory(atPath: dir + "/plan")) ?? [])
        #expect(
            written == [
                ".territorio-run", "plan.csv", "report.json", "report.md", "subproblems.csv", "distritos.geojson",
                "circuitos.geojson",
            ])
        // Read back through another path: the dissolved distritos hold every person.
        let distritos = try LayerIO.read(dir + "/plan/distritos.geojson")
        let field = try #require(distritos.fieldIndex("POB_2022"))
        let people = distritos.features.reduce(0.0) { $0 + ($1.attributes[field].number ?? 0) }
        #expect(people == layerPeople)
    }

    @Test func servicesOnAPlanThatBreaksRulesNeedConsent() throws {
        let dir = NSTemporaryDirectory() + "territorio-wf-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        // Every parroquia in one distrito: it spans provinces and splits cantones.
        let layer = try LayerIO.read(territory.units)
        let id = try #require(layer.fieldIndex("DPA_PARROQ"))
        let rows = layer.features.map { "\($0.attributes[id].description),31D01" }
        try (["dpa_parroq,distrito"] + rows).joined(separator: "\n").write(
            toFile: dir + "/one.csv", atomically: true, encoding: .utf8)
        var options = ServiceOptions(plan: dir + "/one.csv", establishments: Self.root + "/Data/demo/establishments.csv")
        #expect(throws: PlanningError.self) { try ServiceLoader.load(territory, options, log: .silent) }
        options.acceptInvalidPlan = true
        let loaded = try ServiceLoader.load(territory, options, log: .silent)
        #expect(!loaded.planViolations.isEmpty)
    }
}
