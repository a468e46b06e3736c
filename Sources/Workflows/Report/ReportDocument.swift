import Foundation

/// A report as blocks that render to one self-contained HTML page (images embedded as data URIs,
/// CSS inline, no script, no network) and to Markdown with the same content (images as files
/// beside it). Deterministic: no date, no random ids.
public struct ReportDocument: Sendable {
    public enum Block: Sendable {
        case heading(level: Int, text: String)
        case paragraph(String)
        case list([String])
        /// `numeric` columns are right-aligned.
        case table(header: [String], rows: [[String]], numeric: Set<Int>)
        /// A PNG written as `file` (relative to the report) and embedded in the HTML.
        case image(file: String, png: [UInt8], caption: String)
        /// An SVG drawing written as `file` and inlined in the HTML.
        case drawing(file: String, svg: String, caption: String)
    }

    public var title: String
    public var language: String
    public var blocks: [Block] = []

    public init(title: String, language: String) {
        self.title = title
        self.language = language
    }

    /// The files the blocks refer to (maps and charts), to write beside `report.md`.
    public var files: [(name: String, bytes: [UInt8])] {
        blocks.compactMap {
            switch $0 {
            case .image(let file, let png, _): (file, png)
            case .drawing(let file, let svg, _): (file, Array(svg.utf8))
            default: nil
            }
        }
    }

    public func html() -> String {
        var out = """
            <!DOCTYPE html>
            <html lang="\(Self.escape(language))">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(Self.escape(title))</title>
            <style>
            body { font-family: "DejaVu Sans", Arial, sans-serif; margin: 2em auto; max-width: 1100px; color: #222; line-height: 1.45; padding: 0 1em; }
            h1 { font-size: 1.8em; border-bottom: 3px solid #2c7fb8; padding-bottom: .2em; }
            h2 { font-size: 1.4em; margin-top: 2em; border-bottom: 1px solid #ccc; }
            h3 { font-size: 1.1em; margin-top: 1.5em; }
            table { border-collapse: collapse; margin: .8em 0; font-size: .9em; }
            th, td { border: 1px solid #ccc; padding: .25em .6em; }
            th { background: #eef3f8; text-align: left; }
            td.n { text-align: right; font-variant-numeric: tabular-nums; }
            figure { margin: 1em 0; }
            figure img, figure svg { max-width: 100%; height: auto; border: 1px solid #ddd; }
            figcaption { font-size: .85em; color: #555; }
            </style>
            </head>
            <body>
            <h1>\(Self.escape(title))</h1>

            """
        for block in blocks {
            switch block {
            case .heading(let level, let text):
                let h = min(6, max(2, level + 1))
                out += "<h\(h)>\(Self.escape(text))</h\(h)>\n"
            case .paragraph(let text): out += "<p>\(Self.escape(text))</p>\n"
            case .list(let items): out += "<ul>\n" + items.map { "<li>\(Self.escape($0))</li>\n" }.joined() + "</ul>\n"
            case .table(let header, let rows, let numeric):
                out +=
                    "<table>\n<thead><tr>" + header.map { "<th>\(Self.escape($0))</th>" }.joined()
                    + "</tr></thead>\n<tbody>\n"
                for row in rows {
                    out +=
                        "<tr>"
                        + row.enumerated().map { k, v in
                            numeric.contains(k)
                                ? "<td class=\"n\">\(Self.escape(v))</td>" : "<td>\(Self.escape(v))</td>"
                        }.joined() + "</tr>\n"
                }
                out += "</tbody>\n</table>\n"
            case .image(_, let png, let caption):
                out +=
                    "<figure><img alt=\"\(Self.escape(caption))\" src=\"data:image/png;base64,\(Data(png).base64EncodedString())\">"
                    + "<figcaption>\(Self.escape(caption))</figcaption></figure>\n"
            case .drawing(_, let svg, let caption):
                let body = svg.range(of: "<svg").map { String(svg[$0.lowerBound...]) } ?? svg
                out += "<figure>\(body)<figcaption>\(Self.escape(caption))</figcaption></figure>\n"
            }
        }
        return out + "</body>\n</html>\n"
    }

    public func markdown() -> String {
        var out = "# \(title)\n\n"
        for block in blocks {
            switch block {
            case .heading(let level, let text): out += String(repeating: "#", count: min(6, level + 1)) + " \(text)\n\n"
            case .paragraph(let text): out += text + "\n\n"
            case .list(let items): out += items.map { "- \($0)\n" }.joined() + "\n"
            case .table(let header, let rows, let numeric):
                func cell(_ s: String) -> String { s.replacingOccurrences(of: "|", with: "\\|") }
                out += "| " + header.map(cell).joined(separator: " | ") + " |\n|"
                out += header.indices.map { numeric.contains($0) ? "---:|" : "---|" }.joined() + "\n"
                for row in rows { out += "| " + row.map(cell).joined(separator: " | ") + " |\n" }
                out += "\n"
            case .image(let file, _, let caption): out += "![\(caption)](\(file))\n\n*\(caption)*\n\n"
            case .drawing(let file, _, let caption): out += "![\(caption)](\(file))\n\n*\(caption)*\n\n"
            }
        }
        return out
    }

    static func escape(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.count)
        for ch in s {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            default: out.append(ch)
            }
        }
        return out
    }
}
