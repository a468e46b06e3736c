import Foundation
import Testing
@testable import Workflows

@Suite("Output sets: all or nothing")
struct OutputSetTests {
    func temp() throws -> String {
        let dir = NSTemporaryDirectory() + "territorio-outputset-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    func listing(_ dir: String) -> [String] {
        ((try? FileManager.default.subpathsOfDirectory(atPath: dir)) ?? []).sorted()
    }

    @Test func aNewFolderAppearsWholeOnCommit() throws {
        let dir = try temp()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try OutputSet.run(into: dir + "/out") { set in
            try set.write("a\n", to: "a.csv")
            try set.write("b\n", to: "sub/b.csv")
            #expect(!FileManager.default.fileExists(atPath: dir + "/out"), "visible before the commit")
        }
        #expect(listing(dir + "/out") == [".territorio-run", "a.csv", "sub", "sub/b.csv"])
        #expect(listing(dir) == ["out", "out/.territorio-run", "out/a.csv", "out/sub", "out/sub/b.csv"])
    }

    @Test func aFailureLeavesThePreviousSetAndNothingElse() throws {
        let dir = try temp()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try OutputSet.run(into: dir + "/out") { try $0.write("old\n", to: "a.csv") }
        struct Boom: Error {}
        #expect(throws: Boom.self) {
            try OutputSet.run(into: dir + "/out") { set in
                try set.write("new\n", to: "a.csv")
                try set.write("new\n", to: "b.csv")
                throw Boom()
            }
        }
        #expect(try String(contentsOfFile: dir + "/out/a.csv", encoding: .utf8) == "old\n")
        #expect(listing(dir) == ["out", "out/.territorio-run", "out/a.csv"])
    }

    @Test func aCommitReplacesTheFilesOfThePreviousRunButKeepsForeignOnes() throws {
        let dir = try temp()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try OutputSet.run(into: dir + "/out") { set in
            try set.write("1\n", to: "a.csv")
            try set.write("1\n", to: "stale.csv")
        }
        try "mine\n".write(toFile: dir + "/out/notes.txt", atomically: true, encoding: .utf8)
        try OutputSet.run(into: dir + "/out") { try $0.write("2\n", to: "a.csv") }
        #expect(listing(dir + "/out") == [".territorio-run", "a.csv", "notes.txt"])
        #expect(try String(contentsOfFile: dir + "/out/a.csv", encoding: .utf8) == "2\n")
    }

    @Test func aSecondConcurrentRunIntoTheSameFolderIsRefused() throws {
        let dir = try temp()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let first = try OutputSet(folder: dir + "/out")
        #expect(throws: (any Error).self) { _ = try OutputSet(folder: dir + "/out") }
        first.abandon()
        // Released: a new run may start.
        let again = try OutputSet(folder: dir + "/out")
        again.abandon()
        #expect(listing(dir).isEmpty)
    }

    @Test func aFileWhereTheFolderShouldBeIsAnError() throws {
        let dir = try temp()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try "x".write(toFile: dir + "/out", atomically: true, encoding: .utf8)
        #expect(throws: (any Error).self) { _ = try OutputSet(folder: dir + "/out") }
    }
}
