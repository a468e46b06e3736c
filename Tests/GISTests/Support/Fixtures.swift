import Foundation
import GIS
import Testing

/// Hand-made fixtures with exact answers, written into a fresh temporary folder per test.
struct Fixtures {
    let dir: String

    init() throws {
        dir = NSTemporaryDirectory() + "territorio-tests-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    }

    func path(_ name: String) -> String { dir + "/" + name }

    /// A unit square (side `s`) with lower-left corner at (x, y), counter-clockwise.
    static func square(_ x: Double, _ y: Double, _ s: Double = 1) -> [Coordinate] {
        [Coordinate(x, y), Coordinate(x + s, y), Coordinate(x + s, y + s), Coordinate(x, y + s), Coordinate(x, y)]
    }

    /// An n×n grid of square cells of side `size` metres in UTM 17S near its central meridian
    /// (x = 500 000 m), numbered row by row from the south-west; field `id` = "r{row}c{col}",
    /// `pop` = 10 × (index + 1).
    static func grid(_ n: Int, size: Double = 1_000, origin: Coordinate = Coordinate(500_000, 9_900_000)) -> Layer {
        var features: [Feature] = []
        for r in 0..<n {
            for c in 0..<n {
                let ring = square(origin.x + Double(c) * size, origin.y + Double(r) * size, size)
                features.append(
                    Feature(
                        geometry: .polygon(PolygonValue(exterior: ring)),
                        attributes: [.text("r\(r)c\(c)"), .integer(Int64(10 * (r * n + c + 1)))]))
            }
        }
        return Layer(
            source: "grid", kind: .polygon, crs: .utm17S, fields: [Field("id", .text), Field("pop", .integer)],
            features: features)
    }

    /// Little-endian and big-endian byte writers for hand-built binary files.
    static func int32BE(_ v: Int32) -> [UInt8] { withUnsafeBytes(of: v.bigEndian, Array.init) }
    static func int32LE(_ v: Int32) -> [UInt8] { withUnsafeBytes(of: v.littleEndian, Array.init) }
    static func doubleLE(_ v: Double) -> [UInt8] { withUnsafeBytes(of: v.bitPattern.littleEndian, Array.init) }

    /// Writes a PointZ shapefile by hand (ESRI spec: 100-byte header, record header, type,
    /// x, y, z, m), with a one-field DBF and a UTM 17S .prj.
    func writePointZ(_ name: String, points: [(Double, Double, Double)]) throws {
        let recordWords: Int32 = (4 + 8 * 4) / 2
        var shp: [UInt8] = [], shx: [UInt8] = []
        func header(lengthWords: Int32) -> [UInt8] {
            var h = Fixtures.int32BE(9994) + [UInt8](repeating: 0, count: 20) + Fixtures.int32BE(lengthWords)
            h += Fixtures.int32LE(1000) + Fixtures.int32LE(11)
            let xs = points.map(\.0), ys = points.map(\.1), zs = points.map(\.2)
            for v in [xs.min()!, ys.min()!, xs.max()!, ys.max()!, zs.min()!, zs.max()!, 0, 0] {
                h += Fixtures.doubleLE(v)
            }
            return h
        }
        let shpWords = Int32(50 + points.count * (4 + Int(recordWords)))
        shp = header(lengthWords: shpWords)
        shx = header(lengthWords: Int32(50 + points.count * 4))
        for (i, p) in points.enumerated() {
            shx += Fixtures.int32BE(Int32(shp.count / 2)) + Fixtures.int32BE(recordWords)
            shp += Fixtures.int32BE(Int32(i + 1)) + Fixtures.int32BE(recordWords)
            shp +=
                Fixtures.int32LE(11) + Fixtures.doubleLE(p.0) + Fixtures.doubleLE(p.1) + Fixtures.doubleLE(p.2)
                + Fixtures.doubleLE(0)
        }
        try Data(shp).write(to: URL(fileURLWithPath: path(name + ".shp")))
        try Data(shx).write(to: URL(fileURLWithPath: path(name + ".shx")))
        // dBASE III: one numeric field "N" width 4.
        var dbf: [UInt8] = [0x03, 124, 1, 1] + Fixtures.int32LE(Int32(points.count))
        dbf +=
            withUnsafeBytes(of: UInt16(32 + 32 + 1).littleEndian, Array.init)
            + withUnsafeBytes(of: UInt16(1 + 4).littleEndian, Array.init)
        dbf += [UInt8](repeating: 0, count: 20)
        dbf +=
            Array("N".utf8) + [UInt8](repeating: 0, count: 10) + [UInt8(ascii: "N")] + [0, 0, 0, 0] + [4, 0]
            + [UInt8](repeating: 0, count: 14)
        dbf.append(0x0D)
        for i in points.indices { dbf += [0x20] + Array(String(format: "%4d", i + 1).utf8) }
        dbf.append(0x1A)
        try Data(dbf).write(to: URL(fileURLWithPath: path(name + ".dbf")))
        try "EPSG:32717".write(toFile: path(name + ".prj"), atomically: true, encoding: .utf8)
    }
}

/// The real data beside the project. Integration tests are skipped without it, and fail
/// loudly when `CI` is set.
enum SharedData {
    static let root: String = {
        let here = URL(fileURLWithPath: #filePath)
        // Tests/GISTests/Support/Fixtures.swift → project root → ../shared/data
        return here.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("shared/data").path
    }()

    static var available: Bool { FileManager.default.fileExists(atPath: root + "/dpa/parroquias.shp") }
    static var required: Bool { available || ProcessInfo.processInfo.environment["CI"] != nil }

    static func path(_ relative: String) throws -> String {
        try #require(available, "../shared/data is missing: integration tests need the real data (CI is set)")
        return root + "/" + relative
    }
}

/// The project root (for the bundled demo territory).
enum Project {
    static let root: String = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().path
}
