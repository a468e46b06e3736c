import CShapelib
import Foundation

/// Writes a ``Layer`` as an ESRI shapefile through shapelib (`SHPCreateLL`, `DBFCreateLL`),
/// with a `.prj` in ESRI WKT and a `.cpg` naming the text encoding.
///
/// Rings are written clockwise for shells and counter-clockwise for holes, as the format
/// requires. Field names longer than 10 bytes are shortened (uniquely) and reported.
/// All component files are written in a temporary folder and renamed into place.
public enum ShapefileWriter {
    public struct Report: Sendable {
        /// Original → written field name, for names the DBF format forced to change.
        public var renamedFields: [String: String] = [:]
        /// Characters the chosen encoding could not represent (written as `?`).
        public var unencodableCharacters = 0
    }

    public static func write(
        _ layer: Layer, to path: String, encoding: TextEncoding = .utf8
    ) throws -> Report {
        let base = ShapefileReader.basePath(path)
        try AtomicFile.ensureParent(of: base + ".shp")
        let tmpBase = AtomicFile.temporaryPath(for: base)
        var report = Report()
        let extensions = ["shp", "shx", "dbf", "prj", "cpg"]
        do {
            try writeGeometry(layer, to: tmpBase + ".shp", finalPath: base + ".shp")
            report = try writeAttributes(layer, to: tmpBase + ".dbf", finalPath: base + ".dbf", encoding: encoding)
            if let crs = layer.crs {
                let info = try ProjContext().describe(crs)
                guard let wkt = info.esriWKT else {
                    throw GISError(
                        .output, operation: "write .prj", file: base + ".prj",
                        message: "PROJ cannot express \(crs) as ESRI WKT")
                }
                try Data(wkt.utf8).write(to: URL(fileURLWithPath: tmpBase + ".prj"))
            }
            try Data(encoding.rawValue.utf8).write(to: URL(fileURLWithPath: tmpBase + ".cpg"))
        } catch {
            for ext in extensions { unlink(tmpBase + "." + ext) }
            throw error
        }
        if layer.crs == nil { unlink(base + ".prj") }
        for ext in extensions where FileManager.default.fileExists(atPath: tmpBase + "." + ext) {
            try AtomicFile.commit(tmpBase + "." + ext, to: base + "." + ext)
        }
        return report
    }

    private static func shapeType(_ layer: Layer) throws -> Int32 {
        var type: Int32?
        for (i, f) in layer.features.enumerated() {
            guard let g = f.geometry else { continue }
            let t: Int32
            switch g {
            case .point: t = SHPT_POINT
            case .multiPoint: t = SHPT_MULTIPOINT
            case .lineString, .multiLineString: t = SHPT_ARC
            case .polygon, .multiPolygon: t = SHPT_POLYGON
            case .collection:
                throw GISError(
                    .output, operation: "write shapefile", record: i + 1,
                    message: "a GeometryCollection cannot be stored in a shapefile")
            }
            if let type, type != t, !(type == SHPT_POINT && t == SHPT_MULTIPOINT) {
                throw GISError(
                    .output, operation: "write shapefile", record: i + 1,
                    message:
                        "mixed geometry types (\(ShapefileReader.typeName(type)) and \(g.typeName)); a shapefile holds one"
                )
            }
            type = (type == SHPT_POINT && t == SHPT_MULTIPOINT) ? t : (type ?? t)
        }
        return type ?? SHPT_NULL
    }

    private static func writeGeometry(_ layer: Layer, to tmp: String, finalPath: String) throws {
        let type = try shapeType(layer)
        var hooks = ShapelibHooks.make()
        guard let shp = SHPCreateLL(tmp, type, &hooks) else {
            throw GISError(
                .output, operation: "create shapefile", file: finalPath,
                message: ShapelibHooks.takeMessage() ?? "cannot create")
        }
        defer { SHPClose(shp) }
        for (i, feature) in layer.features.enumerated() {
            var parts: [[Coordinate]] = []
            switch feature.geometry {
            case nil: break
            case .point(let c): parts = [[c]]
            case .multiPoint(let cs): parts = [cs]
            case .lineString(let l): parts = [l]
            case .multiLineString(let ls): parts = ls
            case .polygon(let p): parts = shapefileRings(p)
            case .multiPolygon(let ps): parts = ps.flatMap(shapefileRings)
            case .collection: break
            }
            parts = parts.filter { !$0.isEmpty }
            let object: UnsafeMutablePointer<SHPObject>?
            if parts.isEmpty {
                object = SHPCreateSimpleObject(SHPT_NULL, 0, nil, nil, nil)
            } else {
                let flat = parts.flatMap { $0 }
                var starts: [Int32] = []
                var offset: Int32 = 0
                for p in parts {
                    starts.append(offset)
                    offset += Int32(p.count)
                }
                let types = [Int32](repeating: SHPP_RING, count: parts.count)
                let xs = flat.map(\.x)
                let ys = flat.map(\.y)
                let t = type == SHPT_POINT && flat.count > 1 ? SHPT_MULTIPOINT : type
                object = SHPCreateObject(t, -1, Int32(parts.count), starts, types, Int32(flat.count), xs, ys, nil, nil)
            }
            guard let object else {
                throw GISError(
                    .output, operation: "write shape", file: finalPath, record: i + 1,
                    message: "shapelib could not build the shape")
            }
            defer { SHPDestroyObject(object) }
            guard SHPWriteObject(shp, -1, object) >= 0 else {
                throw GISError(
                    .output, operation: "write shape", file: finalPath, record: i + 1,
                    message: ShapelibHooks.takeMessage() ?? "write failed")
            }
        }
    }

    /// Exterior clockwise, holes counter-clockwise (shapefile specification).
    private static func shapefileRings(_ p: PolygonValue) -> [[Coordinate]] {
        guard !p.exterior.isEmpty else { return [] }
        return [Ring.oriented(p.exterior, counterClockwise: false)]
            + p.holes.map { Ring.oriented($0, counterClockwise: true) }
    }

    private static func dbfName(_ name: String, taken: Set<String>, encoding: TextEncoding) -> String {
        var candidate = name
        while encoding.encode(candidate).bytes.count > 10 { candidate.removeLast() }
        var n = 1
        while taken.contains(candidate.uppercased()) {
            let suffix = "_\(n)"
            var stem = candidate
            while encoding.encode(stem + suffix).bytes.count > 10 { stem.removeLast() }
            candidate = stem + suffix
            n += 1
        }
        return candidate
    }

    private static func writeAttributes(
        _ layer: Layer, to tmp: String, finalPath: String, encoding: TextEncoding
    ) throws -> Report {
        var report = Report()
        var hooks = ShapelibHooks.make()
        guard let dbf = DBFCreateLL(tmp, encoding.rawValue, &hooks) else {
            throw GISError(
                .output, operation: "create DBF", file: finalPath,
                message: ShapelibHooks.takeMessage() ?? "cannot create")
        }
        defer { DBFClose(dbf) }
        // Shapelib writes the .cpg itself for a code page; we write our own after.
        var taken = Set<String>()
        var layout: [(width: Int, decimals: Int)] = []
        for (fi, field) in layer.fields.enumerated() {
            let name = dbfName(field.name, taken: taken, encoding: encoding)
            taken.insert(name.uppercased())
            if name != field.name { report.renamedFields[field.name] = name }
            let values = layer.features.map { $0.attributes[fi] }
            var width: Int
            var decimals = 0
            let code: UInt8
            // Widths fit the data, and are never narrower than the field had in its source
            // (a DPA name read as C80 stays C80, a population N18 stays N18), so the written
            // table can be edited as the source could.
            let sourceWidth = field.width ?? 0
            switch field.type {
            case .text:
                code = UInt8(ascii: "C")
                width = values.map { encoding.encode($0.description).bytes.count }.max() ?? 1
                width = min(254, max(1, width, sourceWidth))
            case .integer:
                code = UInt8(ascii: "N")
                width = min(20, max(1, values.map { $0.description.count }.max() ?? 1, sourceWidth))
            case .decimal:
                code = UInt8(ascii: "N")
                decimals = field.decimals.map { min(15, max(1, $0)) } ?? 6
                if field.width == nil {
                    width = 24
                } else {
                    let needed = values.compactMap { $0.number }.map { String(format: "%.\(decimals)f", $0).count }
                        .max()
                    width = min(40, max(sourceWidth, needed ?? 1, decimals + 2))
                }
            case .logical:
                code = UInt8(ascii: "L")
                width = 1
            case .date:
                code = UInt8(ascii: "D")
                width = 8
            }
            let (nameBytes, _) = encoding.encode(name)
            let cName = nameBytes.map { CChar(bitPattern: $0) } + [0]
            guard DBFAddNativeFieldType(dbf, cName, CChar(bitPattern: code), Int32(width), Int32(decimals)) >= 0 else {
                throw GISError(
                    .output, operation: "add DBF field", file: finalPath, field: field.name,
                    message: ShapelibHooks.takeMessage() ?? "rejected")
            }
            layout.append((width, decimals))
        }
        for (r, feature) in layer.features.enumerated() {
            for (f, value) in feature.attributes.enumerated() {
                let (width, decimals) = layout[f]
                var bytes: [UInt8]
                switch value {
                case .null:
                    guard DBFWriteNULLAttribute(dbf, Int32(r), Int32(f)) != 0 else {
                        throw GISError(
                            .output, operation: "write DBF", file: finalPath, record: r + 1,
                            field: layer.fields[f].name, message: "write failed")
                    }
                    continue
                case .text(let s):
                    let enc = encoding.encode(s)
                    report.unencodableCharacters += enc.unencodable
                    bytes = Array(enc.bytes.prefix(width))
                case .integer, .decimal:
                    let number: String
                    if case .decimal(let d) = value {
                        number =
                            layer.fields[f].type == .integer
                            ? (abs(d) < 9e18 ? String(Int64(d.rounded())) : String(format: "%.0f", d))
                            : String(format: "%.\(decimals)f", d)
                    } else {
                        number = value.description
                    }
                    bytes = Array(String(repeating: " ", count: max(0, width - number.count)).utf8) + Array(number.utf8)
                case .logical(let b):
                    bytes = [b ? UInt8(ascii: "T") : UInt8(ascii: "F")]
                case .date(let d):
                    bytes = Array(String(format: "%04d%02d%02d", d.year, d.month, d.day).utf8)
                }
                var cString = bytes.map { CChar(bitPattern: $0) } + [0]
                guard DBFWriteAttributeDirectly(dbf, Int32(r), Int32(f), &cString) != 0 else {
                    throw GISError(
                        .output, operation: "write DBF", file: finalPath, record: r + 1, field: layer.fields[f].name,
                        message: "value does not fit the field")
                }
            }
        }
        return report
    }
}
