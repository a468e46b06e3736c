import GIS

/// A rectangle on the page (y down).
public struct PageRect: Sendable, Hashable {
    public var x: Double
    public var y: Double
    public var width: Double
    public var height: Double
    public init(x: Double, y: Double, width: Double, height: Double) {
        self.x = x
        self.y = y
        self.width = width
        self.height = height
    }
    var maxX: Double { x + width }
    var maxY: Double { y + height }
    func intersects(_ o: PageRect) -> Bool { !(o.x > maxX || o.maxX < x || o.y > maxY || o.maxY < y) }
}

/// Maps a panel's world rectangle onto its frame: uniform scale, centred, y up → y down.
struct WorldToPage {
    let frame: PageRect
    let world: Envelope
    /// Page units per world unit.
    let scale: Double
    private let offsetX: Double
    private let offsetY: Double

    init(world: Envelope, frame: PageRect) {
        self.frame = frame
        self.world = world
        let w = max(world.width, 1e-9), h = max(world.height, 1e-9)
        scale = min(frame.width / w, frame.height / h)
        offsetX = frame.x + (frame.width - w * scale) / 2 - world.minX * scale
        offsetY = frame.y + frame.height - (frame.height - h * scale) / 2 + world.minY * scale
    }

    func x(_ c: Coordinate) -> Double { offsetX + c.x * scale }
    func y(_ c: Coordinate) -> Double { offsetY - c.y * scale }
}

/// Where everything goes on the page: a title band, a left column (insets, then the legend), the
/// main map on the right, and the source line at the bottom. All sizes follow the page width.
struct PageLayout {
    let width: Double
    let height: Double
    let margin: Double
    /// Base text size; titles and notes are multiples of it.
    let fontSize: Double
    let titleBaseline: Double
    let subtitleBaseline: Double?
    let main: PageRect
    let mainWorld: Envelope
    let insets: [PageRect]
    let insetWorlds: [Envelope]
    let legendOrigin: (x: Double, y: Double)
    let legendWidth: Double
    let sourceBaseline: Double

    /// Shapes allowed for a panel (height / width): a world outside is widened to fit.
    static let aspectRange = 0.55...1.5

    init(page: MapPage, legendHeight: (Double) -> Double) {
        width = page.width
        margin = max(8, (page.width * 0.018).rounded())
        fontSize = max(9, page.width / 125)
        var y = margin + fontSize * 1.9
        titleBaseline = y
        if page.subtitle != nil {
            y += fontSize * 1.6
            subtitleBaseline = y
        } else {
            subtitleBaseline = nil
        }
        let top = y + margin
        let column = (page.width * 0.26).rounded()
        let mainWidth = page.width - column - 3 * margin
        mainWorld = Self.fitted(page.main.world)
        let mainHeight = (mainWidth * mainWorld.height / mainWorld.width).rounded()
        main = PageRect(x: 2 * margin + column, y: top, width: mainWidth, height: mainHeight)

        var columnY = top
        var insetRects: [PageRect] = []
        var insetEnvelopes: [Envelope] = []
        for inset in page.insets {
            let world = Self.fitted(inset.world, range: 0.45...1.1)
            let h = (column * world.height / world.width).rounded()
            insetRects.append(PageRect(x: margin, y: columnY, width: column, height: h))
            insetEnvelopes.append(world)
            columnY += h + margin
        }
        insets = insetRects
        insetWorlds = insetEnvelopes
        legendOrigin = (margin, columnY + fontSize * 0.4)
        legendWidth = column
        let columnBottom = columnY + legendHeight(column)
        let contentBottom = max(main.maxY, columnBottom)
        sourceBaseline = contentBottom + margin + fontSize
        height = (sourceBaseline + margin).rounded(.up)
    }

    /// `world` widened about its centre to an aspect within `range` (degenerate worlds get a
    /// 1-unit extent).
    static func fitted(_ world: Envelope, range: ClosedRange<Double> = aspectRange) -> Envelope {
        var w = world.width, h = world.height
        if w <= 0 && h <= 0 { w = 1; h = 1 }
        if w <= 0 { w = h }
        if h <= 0 { h = w }
        let aspect = h / w
        if aspect < range.lowerBound { h = w * range.lowerBound }
        if aspect > range.upperBound { w = h / range.upperBound }
        // A 4 % margin so outlines at the edge are not cut by the frame.
        w *= 1.04
        h *= 1.04
        let c = world.isEmpty ? Coordinate(0, 0) : world.center
        return Envelope(minX: c.x - w / 2, minY: c.y - h / 2, maxX: c.x + w / 2, maxY: c.y + h / 2)
    }
}
