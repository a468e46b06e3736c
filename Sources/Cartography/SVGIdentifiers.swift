/// Renumbers the element ids of a cairo SVG file in order of first appearance.
///
/// cairo numbers SVG ids (`glyph3-12`, `clip7`, `surface21`) from counters global to the process,
/// so the second map drawn by one process would differ from the first in its ids alone. After
/// this pass the same page gives the same bytes however many maps the process drew before.
/// O(length).
enum SVGIdentifiers {
    static func canonical(_ svg: [UInt8]) -> [UInt8] {
        // Pass 1: the ids defined, in order, and their new names.
        var renamed: [ArraySlice<UInt8>: [UInt8]] = [:]
        var counters: [[UInt8]: Int] = [:]
        var fontNumbers: [ArraySlice<UInt8>: Int] = [:]
        let marker = Array("id=\"".utf8)
        var i = 0
        while let start = find(marker, in: svg, from: i) {
            let idStart = start + marker.count
            let idEnd = identifierEnd(svg, from: idStart)
            let id = svg[idStart..<idEnd]
            i = idEnd
            guard renamed[id] == nil else { continue }
            let letters = id.prefix(while: isLetter)
            let rest = id.dropFirst(letters.count)
            guard !letters.isEmpty, let first = rest.first, isDigit(first) else { continue }
            let prefix = Array(letters)
            if let dash = rest.firstIndex(of: UInt8(ascii: "-")) {
                // glyph<font>-<glyph>: renumber the font, keep the glyph.
                let font = rest[rest.startIndex..<dash]
                let n = fontNumbers[font] ?? counters[prefix, default: 0]
                if fontNumbers[font] == nil {
                    fontNumbers[font] = n
                    counters[prefix] = n + 1
                }
                renamed[id] = prefix + Array(String(n).utf8) + Array(rest[dash...])
            } else {
                let n = counters[prefix, default: 0]
                counters[prefix] = n + 1
                renamed[id] = prefix + Array(String(n).utf8)
            }
        }
        // Pass 2: rewrite every `id="…"` and `#…` reference.
        var out: [UInt8] = []
        out.reserveCapacity(svg.count)
        i = 0
        while i < svg.count {
            let b = svg[i]
            var tokenStart: Int?
            if b == UInt8(ascii: "#") {
                tokenStart = i + 1
            } else if b == UInt8(ascii: "\""), i >= 3, svg[(i - 3)..<i].elementsEqual("id=".utf8) {
                tokenStart = i + 1
            }
            out.append(b)
            i += 1
            guard let s = tokenStart else { continue }
            let e = identifierEnd(svg, from: s)
            if let replacement = renamed[svg[s..<e]] {
                out.append(contentsOf: replacement)
                i = e
            }
        }
        return out
    }

    private static func isLetter(_ b: UInt8) -> Bool {
        (b >= UInt8(ascii: "a") && b <= UInt8(ascii: "z")) || (b >= UInt8(ascii: "A") && b <= UInt8(ascii: "Z"))
    }
    private static func isDigit(_ b: UInt8) -> Bool { b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") }

    private static func identifierEnd(_ bytes: [UInt8], from start: Int) -> Int {
        var e = start
        while e < bytes.count,
            isLetter(bytes[e]) || isDigit(bytes[e]) || bytes[e] == UInt8(ascii: "-")
                || bytes[e] == UInt8(ascii: "_")
        {
            e += 1
        }
        return e
    }

    private static func find(_ needle: [UInt8], in haystack: [UInt8], from start: Int) -> Int? {
        guard needle.count <= haystack.count, start <= haystack.count - needle.count else { return nil }
        var i = start
        while i <= haystack.count - needle.count {
            if haystack[i] == needle[0], haystack[i..<(i + needle.count)].elementsEqual(needle) { return i }
            i += 1
        }
        return nil
    }
}
