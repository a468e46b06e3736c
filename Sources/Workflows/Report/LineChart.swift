import Cartography
import Foundation

/// A line chart as SVG text (one series per scenario: the year on x, an amount on y), written
/// directly: axes with "nice" ticks, a legend, numbers in the report's language. Colours are
/// the Okabe–Ito set and each series also differs by its dash pattern, so it reads in greyscale.
struct LineChart {
    struct Series {
        var name: String
        var points: [(x: Int, y: Double)]
    }

    var series: [Series]
    var yLabel: String
    var language: MapLanguage
    var width = 900.0
    var height = 420.0

    static let colours: [UInt32] = [0x0072B2, 0xD55E00, 0x009E73, 0xCC79A7, 0xE69F00, 0x56B4E9, 0x000000]
    static let dashes = ["", "8 4", "2 3", "10 3 2 3"]

    /// Tick step: 1, 2 or 5 × 10ⁿ giving at most `count` intervals over `range`.
    static func step(_ range: Double, count: Int) -> Double {
        guard range > 0, range.isFinite else { return 1 }
        let raw = range / Double(max(1, count))
        let power = pow(10, floor(log10(raw)))
        for m in [1.0, 2, 5, 10] where m * power >= raw { return m * power }
        return 10 * power
    }

    func svg() -> String {
        let left = 90.0, right = 170.0, top = 20.0, bottom = 50.0
        let plotW = width - left - right, plotH = height - top - bottom
        let xs = series.flatMap { $0.points.map(\.x) }, ys = series.flatMap { $0.points.map(\.y) }.filter(\.isFinite)
        let x0 = xs.min() ?? 0, x1 = max(xs.max() ?? 1, x0 + 1)
        let yStep = Self.step(max(ys.max() ?? 1, 1e-9), count: 5)
        let yMax = max(yStep, (ceil((ys.max() ?? 1) / yStep) * yStep))
        func px(_ x: Int) -> Double { left + Double(x - x0) / Double(x1 - x0) * plotW }
        func py(_ y: Double) -> Double { top + plotH - y / yMax * plotH }
        func f(_ v: Double) -> String { String(format: "%.1f", v) }
        var s = """
            <svg xmlns="http://www.w3.org/2000/svg" width="\(f(width))" height="\(f(height))" viewBox="0 0 \(f(width)) \(f(height))" font-family="DejaVu Sans, sans-serif" font-size="12">
            <rect width="100%" height="100%" fill="#ffffff"/>

            """
        var y = 0.0
        while y <= yMax + yStep / 2 {
            s +=
                "<line x1=\"\(f(left))\" x2=\"\(f(left + plotW))\" y1=\"\(f(py(y)))\" y2=\"\(f(py(y)))\" stroke=\"#dddddd\"/>"
            s +=
                "<text x=\"\(f(left - 8))\" y=\"\(f(py(y) + 4))\" text-anchor=\"end\">\(language.number(y, decimals: yStep < 1 ? 1 : 0))</text>\n"
            y += yStep
        }
        let xStep = max(1, Int(Self.step(Double(x1 - x0), count: 10)))
        var x = x0
        while x <= x1 {
            s += "<text x=\"\(f(px(x)))\" y=\"\(f(top + plotH + 18))\" text-anchor=\"middle\">\(x)</text>\n"
            x += xStep
        }
        s += "<line x1=\"\(f(left))\" x2=\"\(f(left))\" y1=\"\(f(top))\" y2=\"\(f(top + plotH))\" stroke=\"#333333\"/>"
        s +=
            "<line x1=\"\(f(left))\" x2=\"\(f(left + plotW))\" y1=\"\(f(top + plotH))\" y2=\"\(f(top + plotH))\" stroke=\"#333333\"/>\n"
        s +=
            "<text transform=\"translate(18 \(f(top + plotH / 2))) rotate(-90)\" text-anchor=\"middle\">\(ReportDocument.escape(yLabel))</text>\n"
        for (k, line) in series.enumerated() {
            let colour = MapColour(hex: Self.colours[k % Self.colours.count]).hexText
            let dash = Self.dashes[k % Self.dashes.count]
            let points = line.points.filter { $0.y.isFinite }.map { "\(f(px($0.x))),\(f(py($0.y)))" }.joined(
                separator: " ")
            s +=
                "<polyline fill=\"none\" stroke=\"\(colour)\" stroke-width=\"2.5\"\(dash.isEmpty ? "" : " stroke-dasharray=\"\(dash)\"") points=\"\(points)\"/>\n"
            let ly = top + 10 + Double(k) * 22
            s +=
                "<line x1=\"\(f(left + plotW + 15))\" x2=\"\(f(left + plotW + 45))\" y1=\"\(f(ly))\" y2=\"\(f(ly))\" stroke=\"\(colour)\" stroke-width=\"2.5\"\(dash.isEmpty ? "" : " stroke-dasharray=\"\(dash)\"")/>"
            s += "<text x=\"\(f(left + plotW + 52))\" y=\"\(f(ly + 4))\">\(ReportDocument.escape(line.name))</text>\n"
        }
        return s + "</svg>\n"
    }
}
