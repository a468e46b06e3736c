import Foundation

/// Writes a layer as an RFC 7946 FeatureCollection: WGS 84 longitude/latitude (§4; the
/// layer is transformed when its CRS differs), polygon exteriors counter-clockwise and holes
/// clockwise (§3.1.6), no `crs` member, properties typed as JSON. Coordinates are rounded to
/// `precision` decimals (6 ≈ 0.1 m; §11.2 recommends no more than needed). Features are
/// streamed to a temporary file, then renamed into place.
public struct GeoJSONWriter: Sendable {
    public var precision: Int
    /// One feature per line (handy for diffs and line-oriented tools).
    public var featurePerLine: Bool

    public init(precision: Int = 6, featurePerLine: Bool = true) {
        self.precision = max(0, min(15, precision))
        self.featurePerLine = featurePerLine
    }

    /// What rounding did to the layer.
    public struct Report: Sendable {
        /// Rings that rounding reduced to fewer than four distinct positions, left out
        /// (a polygon whose exterior collapsed is left out whole).
        public var collapsedRings = 0
        /// Invalid geometries that snap-rounding could not take and that were made valid
        /// (`GEOSMakeValid_r`) first.
        public var madeValid = 0
    }

    /// Puts a geometry on the grid of `precision` decimals. Lines and polygons go through
    /// GEOS snap-rounding (`GEOSGeom_setPrecision_r`), which keeps them valid: rounding alone
    /// can cross edges or collapse thin rings. Rings that collapse are counted.
    func rounded(_ g: GeometryValue, context: GeometryContext, report: inout Report) throws -> GeometryValue {
        var scale = 1.0
        for _ in 0..<precision { scale *= 10 }
        func round(_ c: Coordinate) -> Coordinate {
            Coordinate((c.x * scale).rounded() / scale, (c.y * scale).rounded() / scale)
        }
        switch g {
        case .point, .multiPoint:
            return g.mapCoordinates(round)
        default:
            let geometry = try context.geometry(g)
            let snapped: GeometryValue
            if let direct = try? geometry.withPrecision(1 / scale) {
                snapped = try direct.value()
            } else {
                snapped = try geometry.makeValid().withPrecision(1 / scale).value()
                report.madeValid += 1
            }
            let ringsBefore = g.polygons.reduce(0) { $0 + $1.rings.count }
            let ringsAfter = snapped.polygons.reduce(0) { $0 + $1.rings.count }
            report.collapsedRings += max(0, ringsBefore - ringsAfter)
            // Keep the declared type: a polygon reduced to nothing stays an (empty) polygon type.
            if case .polygon = g, snapped.polygons.count != 1 { return .multiPolygon(snapped.polygons) }
            if case .multiPolygon = g { return .multiPolygon(snapped.polygons) }
            return snapped
        }
    }

    /// Writes `layer` to `path`. Features are formatted on all cores in batches of
    /// ``batchSize`` (each task with its own GEOS context and a PROJ context of its own from a
    /// ``ProjContextPool`` seeded with `context`), then written in layer order, so the bytes
    /// equal a one-thread run and memory holds one batch of text. `alongside`, when given,
    /// runs as the first task of the first batch's parallel loop (so it starts at once): a
    /// caller's other output shares the cores instead of nesting a second loop (libdispatch
    /// runs a nested `concurrentPerform` serially).
    @discardableResult
    public func write(
        _ layer: Layer, to path: String, context: ProjContext? = nil, geometries: GeometryTexts? = nil,
        alongside: (@Sendable () throws -> Void)? = nil
    ) throws -> Report {
        if let geometries, geometries.texts.count != layer.features.count || geometries.precision != precision {
            throw GISError(
                .usage, operation: "write GeoJSON", file: path,
                message:
                    "the prepared geometries are for \(geometries.texts.count) features at \(geometries.precision) decimals, the layer has \(layer.features.count) at \(precision)"
            )
        }
        var needsTransform = false
        let ctx = try context ?? ProjContext()
        if let crs = layer.crs {
            // Checked here, on the caller's context, so a bad CRS gets its usual message.
            needsTransform = !(try ctx.transform(from: crs, to: .wgs84)).isIdentity
        }
        let pool = ProjContextPool(seed: ctx)
        var report = geometries?.report ?? Report()
        try AtomicFile.stream(to: path) { out in
            try out.write("{\"type\":\"FeatureCollection\",\"features\":[")
            var start = 0
            var extra = alongside
            repeat {
                let end = min(layer.features.count, start + Self.batchSize)
                let texts = try formatInParallel(
                    layer, start..<end, toLonLat: needsTransform && geometries == nil ? layer.crs : nil, pool: pool,
                    prepared: geometries, alongside: extra, report: &report)
                extra = nil
                for text in texts { try out.write(text) }
                start = end
            } while start < layer.features.count
            try out.write(featurePerLine ? "\n]}\n" : "]}\n")
        }
        return report
    }

    /// Features formatted per parallel task: a batch bounds the text held in memory.
    static let batchSize = 4_096

    /// The text of features `range`, cut into pieces formatted on all cores (in order), plus
    /// `alongside` as one more task; the first error in feature order (then `alongside`'s)
    /// is thrown.
    private func formatInParallel(
        _ layer: Layer, _ range: Range<Int>, toLonLat source: CRS?, pool: ProjContextPool, prepared: GeometryTexts?,
        alongside: (@Sendable () throws -> Void)?, report: inout Report
    ) throws -> [String] {
        let cores = ProcessInfo.processInfo.activeProcessorCount
        let pieces = max(1, min(range.count, cores * 8))
        let size = (range.count + pieces - 1) / max(1, pieces)
        let results = TaskSlots<Result<(String, Report), Error>>(count: pieces + 1)
        let writer = self
        let features = layer
        let shift = alongside == nil ? 0 : 1
        DispatchQueue.concurrentPerform(iterations: pieces + shift) { index in
            // `alongside` is index 0, handed out first; its result goes in the last slot.
            if shift == 1, index == 0 {
                do { try alongside?() } catch { results.set(pieces, .failure(error)) }
                return
            }
            let task = index - shift
            let lo = range.lowerBound + task * size, hi = min(range.upperBound, lo + size)
            guard lo < hi else { return }
            results.set(
                task,
                Result {
                    try pool.withContext { proj in
                        try writer.format(
                            features, lo..<hi, toLonLat: source.map { try proj.transform(from: $0, to: .wgs84) },
                            prepared: prepared)
                    }
                })
        }
        var texts: [String] = []
        for slot in results.values {
            switch slot {
            case .success(let (text, piece))?:
                texts.append(text)
                report.collapsedRings += piece.collapsedRings
                report.madeValid += piece.madeValid
            case .failure(let error)?: throw error
            case nil: continue
            }
        }
        return texts
    }

    /// Feature `i`'s geometry as GeoJSON (`null` when it has none): transformed to WGS 84,
    /// rounded to ``precision`` decimals.
    private func appendGeometry(
        of layer: Layer, _ i: Int, toLonLat: CoordinateTransform?, context geos: GeometryContext,
        report: inout Report, into text: inout String
    ) throws {
        guard var g = layer.features[i].geometry else {
            text += "null"
            return
        }
        if let toLonLat {
            do { g = try toLonLat.apply(g) } catch let e as GISError {
                throw GISError(
                    .operation, operation: e.operation, file: layer.source, record: i + 1, message: e.message)
            }
        }
        do {
            g = try rounded(g, context: geos, report: &report)
        } catch let e as GISError {
            throw GISError(
                .operation, operation: "round to \(precision) decimals", file: layer.source, record: i + 1,
                message: e.message)
        }
        geometryJSON(g, into: &text)
    }

    /// The geometries of a layer as GeoJSON text, made ahead of ``write(_:to:context:geometries:alongside:)``
    /// (for instance on a thread of their own while other work runs), for a layer with the
    /// same geometries.
    public struct GeometryTexts: Sendable {
        let texts: [String]
        let report: Report
        let precision: Int
    }

    /// Every feature's geometry of `layer` as GeoJSON text, on the calling thread (its own
    /// GEOS context and a new PROJ context).
    public func geometryTexts(of layer: Layer) throws -> GeometryTexts {
        let proj = try ProjContext()
        let toLonLat = try layer.crs.flatMap { crs in
            let t = try proj.transform(from: crs, to: .wgs84)
            return t.isIdentity ? nil : t
        }
        let geos = GeometryContext()
        var report = Report()
        let texts = try layer.features.indices.map { i in
            var text = ""
            try appendGeometry(of: layer, i, toLonLat: toLonLat, context: geos, report: &report, into: &text)
            return text
        }
        return GeometryTexts(texts: texts, report: report, precision: precision)
    }

    /// The text of features `range` (each preceded by its separator), with what rounding did;
    /// geometries from `prepared` when given.
    private func format(
        _ layer: Layer, _ range: Range<Int>, toLonLat: CoordinateTransform?, prepared: GeometryTexts?
    ) throws -> (String, Report) {
        var report = Report()
        let geos = GeometryContext()
        var text = ""
        for i in range {
            let feature = layer.features[i]
            if i > 0 { text += "," }
            if featurePerLine { text += "\n" }
            text += "{\"type\":\"Feature\",\"properties\":{"
            for (f, field) in layer.fields.enumerated() {
                if f > 0 { text += "," }
                text += JSONText.quoted(field.name) + ":" + Self.json(feature.attributes[f])
            }
            text += "},\"geometry\":"
            if let prepared {
                text += prepared.texts[i]
            } else {
                try appendGeometry(of: layer, i, toLonLat: toLonLat, context: geos, report: &report, into: &text)
            }
            text += "}"
        }
        return (text, report)
    }

    static func json(_ v: AttributeValue) -> String {
        switch v {
        case .null: "null"
        case .text(let s): JSONText.quoted(s)
        case .integer(let i): String(i)
        case .decimal(let d): JSONText.number(d)
        case .logical(let b): b ? "true" : "false"
        case .date(let d): JSONText.quoted(d.description)
        }
    }

    private func positions(_ cs: [Coordinate], into s: inout String) {
        var bytes: [UInt8] = [UInt8(ascii: "[")]
        bytes.reserveCapacity(cs.count * 26 + 2)
        for (i, c) in cs.enumerated() {
            if i > 0 { bytes.append(UInt8(ascii: ",")) }
            bytes.append(UInt8(ascii: "["))
            JSONText.appendFixed(c.x, decimals: precision, to: &bytes)
            bytes.append(UInt8(ascii: ","))
            JSONText.appendFixed(c.y, decimals: precision, to: &bytes)
            bytes.append(UInt8(ascii: "]"))
        }
        bytes.append(UInt8(ascii: "]"))
        s += String(decoding: bytes, as: UTF8.self)
    }

    private func polygon(_ p: PolygonValue, into s: inout String) {
        s += "["
        if !p.exterior.isEmpty {
            positions(Ring.oriented(p.exterior, counterClockwise: true), into: &s)
            for h in p.holes {
                s += ","
                positions(Ring.oriented(h, counterClockwise: false), into: &s)
            }
        }
        s += "]"
    }

    func geometryJSON(_ g: GeometryValue, into s: inout String) {
        s += "{\"type\":\"\(g.typeName)\","
        switch g {
        case .point(let c):
            s += "\"coordinates\":["
            s += JSONText.fixed(c.x, decimals: precision) + "," + JSONText.fixed(c.y, decimals: precision) + "]"
        case .multiPoint(let cs), .lineString(let cs):
            s += "\"coordinates\":"
            positions(cs, into: &s)
        case .multiLineString(let ls):
            s += "\"coordinates\":["
            for (i, l) in ls.enumerated() {
                if i > 0 { s += "," }
                positions(l, into: &s)
            }
            s += "]"
        case .polygon(let p):
            s += "\"coordinates\":"
            polygon(p, into: &s)
        case .multiPolygon(let ps):
            s += "\"coordinates\":["
            for (i, p) in ps.enumerated() {
                if i > 0 { s += "," }
                polygon(p, into: &s)
            }
            s += "]"
        case .collection(let gs):
            s += "\"geometries\":["
            for (i, part) in gs.enumerated() {
                if i > 0 { s += "," }
                geometryJSON(part, into: &s)
            }
            s += "]"
        }
        s += "}"
    }
}
