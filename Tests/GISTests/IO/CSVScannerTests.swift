import Foundation
import GIS
import Testing

/// The sequential parser the parallel scanner replaced, kept as the reference: the scanner
/// must give exactly its records and line numbers on any input.
enum ReferenceCSV {
    static func parse(_ text: String) -> (records: [[String]], lines: [Int])? {
        let bytes = Array(text.utf8)
        let quote = UInt8(ascii: "\""), lf = UInt8(ascii: "\n"), cr = UInt8(ascii: "\r")
        let firstLineEnd = bytes.firstIndex { $0 == lf || $0 == cr } ?? bytes.count
        let candidates: [UInt8] = [UInt8(ascii: ","), UInt8(ascii: ";"), UInt8(ascii: "\t")]
        let counts = candidates.map { d in bytes[0..<firstLineEnd].reduce(0) { $0 + ($1 == d ? 1 : 0) } }
        let best = counts.indices.max { counts[$0] < counts[$1] } ?? 0
        let delimiter = counts[best] > 0 ? candidates[best] : UInt8(ascii: ",")
        var records: [[String]] = [], lines: [Int] = [], record: [String] = [], field: [UInt8] = []
        var line = 1, recordLine = 1, i = 0, quoted = false
        func finishField() {
            record.append(String(decoding: field, as: UTF8.self))
            field.removeAll()
        }
        func finishRecord() {
            finishField()
            if !(record.count == 1 && record[0].isEmpty) {
                records.append(record)
                lines.append(recordLine)
            }
            record.removeAll()
        }
        while i < bytes.count {
            let b = bytes[i]
            if quoted {
                if b == quote {
                    if i + 1 < bytes.count && bytes[i + 1] == quote {
                        field.append(quote)
                        i += 2
                        continue
                    }
                    quoted = false
                } else {
                    if b == lf { line += 1 }
                    field.append(b)
                }
                i += 1
                continue
            }
            if b == quote && field.isEmpty {
                quoted = true
            } else if b == delimiter {
                finishField()
            } else if b == lf || b == cr {
                finishRecord()
                if b == cr && i + 1 < bytes.count && bytes[i + 1] == lf { i += 1 }
                line += 1
                recordLine = line
            } else {
                field.append(b)
            }
            i += 1
        }
        if quoted { return nil }
        if !field.isEmpty || !record.isEmpty { finishRecord() }
        return records.isEmpty ? nil : (records, lines)
    }
}

@Suite("Parallel CSV scanner")
struct CSVScannerTests {
    @Test func equalsTheSequentialParserOnFuzzedInput() throws {
        var state: UInt64 = 11
        func next(_ n: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(n))
        }
        let alphabet = ["a", "b", "7", ",", ",", ";", "\"", "\"", "\n", "\n", "\r", "\r\n", " ", "ñ", "-1.5"]
        var checked = 0
        for _ in 0..<3_000 {
            let text = (0..<(1 + next(120))).map { _ in alphabet[next(alphabet.count)] }.joined()
            let reference = ReferenceCSV.parse(text)
            for chunk in [1, 3, 17, 1 << 20] {
                let table = try? CSVTable.parse(text, minimumChunkBytes: chunk)
                if let reference {
                    let table = try #require(table, "\(text.debugDescription) failed with chunk \(chunk)")
                    #expect(
                        [table.header.map { $0 }] + table.rows == [reference.records[0]].map { $0.map { $0.trimmingCharacters(in: .whitespaces) } } + reference.records.dropFirst(),
                        "\(text.debugDescription), chunk \(chunk)")
                    #expect(table.lines == Array(reference.lines.dropFirst()), "\(text.debugDescription), chunk \(chunk)")
                    checked += 1
                } else {
                    #expect(table == nil, "\(text.debugDescription) parsed with chunk \(chunk) but the reference refuses it")
                }
            }
        }
        #expect(checked > 5_000)
    }

    @Test func unclosedQuoteNamesItsLine() throws {
        #expect(throws: GISError.self) { try CSVTable.parse("a,b\n1,2\n3,\"x\n\n", minimumChunkBytes: 2) }
        do {
            _ = try CSVTable.parse("a,b\n1,2\n\n3,\"x\n", minimumChunkBytes: 2)
        } catch let e as GISError {
            #expect(e.record == 4)
        }
    }

    @Test func decimalParserEqualsDoubleOfString() {
        var state: UInt64 = 5
        func next(_ n: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(n))
        }
        let pieces = ["0", "1", "9", "5", ".", "-", "+", "e", "E", " ", "00", "123456789", ",", "x"]
        var samples = ["-78.5123456", "0.1", "1e22", "1e23", "9007199254740993", "-0", ".5", "5.", "1,5", " 7 ", "\u{A0}3", "inf", "nan", "0x10", "1e-400", "123456789012345.6"]
        for _ in 0..<20_000 { samples.append((0..<(1 + next(8))).map { _ in pieces[next(pieces.count)] }.joined()) }
        for s in samples {
            var bytes = Array(s.utf8)
            let fast = bytes.withUnsafeMutableBufferPointer { DecimalParser.parse(UnsafeBufferPointer($0)) }
            let reference = Double(s.trimmingCharacters(in: .whitespaces))
            #expect(fast?.bitPattern == reference?.bitPattern || (fast?.isNaN == true && reference?.isNaN == true), "\(s.debugDescription)")
            let comma = bytes.withUnsafeMutableBufferPointer { DecimalParser.parse(UnsafeBufferPointer($0), comma: true) }
            let commaReference = Double(s.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: ",", with: "."))
            #expect(comma?.bitPattern == commaReference?.bitPattern || (comma?.isNaN == true && commaReference?.isNaN == true), "\(s.debugDescription) with comma")
        }
    }

    @Test func utf8ValidationAgreesWithTheStandardLibrary() {
        var state: UInt64 = 3
        for _ in 0..<20_000 {
            var bytes: [UInt8] = []
            for _ in 0..<Int(state % 12) {
                state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                let r = UInt8(truncatingIfNeeded: state >> 40)
                bytes.append(state >> 62 == 0 ? r & 0x7F : r)
            }
            state = state &* 6_364_136_223_846_793_005 &+ 1
            let verdict = bytes.withUnsafeBufferPointer { UTF8Validation.isValid($0) }
            #expect(verdict == (String(validating: bytes, as: UTF8.self) != nil), "\(bytes)")
        }
    }

    @Test func gzipFilesReadLikeTheirPlainText() throws {
        let fx = try Fixtures()
        let text = "id,lon,lat\n" + (0..<5_000).map { "p\($0),-78.\($0),-0.\($0)" }.joined(separator: "\n") + "\n"
        try text.write(toFile: fx.path("p.csv"), atomically: true, encoding: .utf8)
        let gzip = Process()
        gzip.executableURL = URL(fileURLWithPath: "/bin/sh")
        gzip.arguments = ["-c", "gzip -c '\(fx.path("p.csv"))' > '\(fx.path("p.csv.gz"))' && head -c 100 '\(fx.path("p.csv.gz"))' > '\(fx.path("cut.csv.gz"))'"]
        try gzip.run()
        gzip.waitUntilExit()
        #expect(gzip.terminationStatus == 0)
        let plain = try CSVTable.read(fx.path("p.csv")), packed = try CSVTable.read(fx.path("p.csv.gz"))
        #expect(plain.rows == packed.rows && plain.header == packed.header && plain.rows.count == 5_000)
        #expect(throws: GISError.self) { try CSVTable.read(fx.path("cut.csv.gz")) }
        try "not gzip".write(toFile: fx.path("bad.csv.gz"), atomically: true, encoding: .utf8)
        #expect(throws: GISError.self) { try CSVTable.read(fx.path("bad.csv.gz")) }
    }
}

@Suite("Fixed-decimal formatting")
struct FixedFormattingTests {
    /// The string-building version `appendFixed` replaced, kept as the reference.
    static func reference(_ value: Double, decimals: Int) -> String {
        guard value.isFinite else { return "null" }
        var scale = 1.0
        for _ in 0..<max(0, min(decimals, 17)) { scale *= 10 }
        let scaled = (abs(value) * scale).rounded()
        guard scaled < 9.0e18 else { return JSONText.number(value) }
        let n = UInt64(scaled), unit = UInt64(scale)
        let whole = n / unit
        var frac = n % unit
        var text = (value < 0 && n != 0 ? "-" : "") + String(whole)
        if frac != 0 {
            var digits = decimals
            while frac % 10 == 0 {
                frac /= 10
                digits -= 1
            }
            let f = String(frac)
            text += "." + String(repeating: "0", count: digits - f.count) + f
        }
        return text
    }

    @Test func equalsTheStringVersion() {
        var rng = TestRandom(state: 23)
        var values: [Double] = [0, -0.0, 1, -1, 0.5, -0.0000004, 1e17, -9e12, .nan, .infinity, 778274.6307, -78.1234565]
        for _ in 0..<50_000 {
            let magnitude = pow(10, Double(Int(rng.next() * 24)) - 8)
            values.append((rng.next() - 0.5) * magnitude)
        }
        for v in values {
            for d in [0, 1, 3, 6, 7, 15] {
                #expect(JSONText.fixed(v, decimals: d) == Self.reference(v, decimals: d), "\(v) at \(d)")
            }
        }
    }
}

@Suite("CSV column typing")
struct CSVColumnTypingTests {
    /// The character-based typing rule the byte tests replaced, as the reference.
    static func referenceType(_ raw: [String]) -> FieldType {
        func plainInteger(_ s: Substring) -> Bool {
            let digits = s.first == "-" ? s.dropFirst() : s
            guard !digits.isEmpty, digits.count <= 18, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else {
                return false
            }
            return digits.count == 1 || digits.first != "0"
        }
        func plainDecimal(_ s: Substring) -> Bool {
            guard Double(s) != nil, s.allSatisfy({ $0.isASCII && ($0.isNumber || "-.eE+".contains($0)) }) else {
                return false
            }
            let digits = s.first == "-" ? s.dropFirst() : s
            return !(digits.count > 1 && digits.first == "0" && digits.dropFirst().first != ".")
        }
        let trimmed = raw.map { $0.trimmingCharacters(in: .whitespaces)[...] }
        let present = trimmed.filter { !$0.isEmpty }
        if !present.isEmpty && present.allSatisfy(plainInteger) { return .integer }
        if !present.isEmpty && present.allSatisfy(plainDecimal) { return .decimal }
        return .text
    }

    @Test func typesAsTheCharacterRuleDoes() throws {
        var rng = TestRandom(state: 31)
        let pieces = ["0", "1", "7", "00", "12", "-", ".", "e", "E", "+", " ", "ñ", "x", "5.5", "-3", "1e3"]
        for _ in 0..<400 {
            let rows = 1 + Int(rng.next() * 6)
            var columns: [[String]] = []
            for _ in 0..<3 {
                columns.append((0..<rows).map { _ in
                    rng.next() < 0.15 ? "" : (0..<(1 + Int(rng.next() * 3))).map { _ in pieces[Int(rng.next() * 16) % 16] }.joined()
                })
            }
            let lines = (0..<rows).map { r in "-78.5,-0.2," + columns.map { $0[r] }.joined(separator: ",") }
            let table = try CSVTable.parse((["lon,lat,a,b,c"] + lines).joined(separator: "\n") + "\n")
            let layer = try CSVPointReader.points(from: table, source: "t", options: .init()).layer
            for k in 0..<3 {
                let raw = table.rows.map { $0[k + 2] }
                #expect(layer.fields[k].type == Self.referenceType(raw), "\(raw)")
            }
        }
    }
}

@Suite("CSV output fields (RFC 4180)")
struct CSVTextTests {
    /// Quoting is decided on bytes: "\r\n" is one Character equal to neither "\r" nor "\n",
    /// and a comma carrying a combining mark is one Character too; both must be quoted.
    @Test func quotesSeparatorsHiddenInGraphemes() {
        let cases: [(String, String)] = [
            ("plain", "plain"), ("a,b", "\"a,b\""), ("say \"hi\"", "\"say \"\"hi\"\"\""),
            ("two\r\nlines", "\"two\r\nlines\""), ("x,\u{301}y", "\"x,\u{301}y\""), ("Cañar", "Cañar"), ("", ""),
        ]
        for (raw, quoted) in cases {
            #expect(CSVText.field(raw) == quoted, "\(raw.debugDescription)")
            var bytes: [UInt8] = Array("pre|".utf8)
            CSVText.append(field: raw, to: &bytes)
            #expect(String(decoding: bytes, as: UTF8.self) == "pre|" + quoted, "\(raw.debugDescription)")
        }
    }
}
