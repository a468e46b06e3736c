import GIS

/// A line style in page units (1 unit = 1 pixel of a PNG, 1 user unit of an SVG).
public struct MapStroke: Sendable, Hashable {
    public var colour: MapColour
    public var width: Double
    public init(_ colour: MapColour, width: Double) {
        self.colour = colour
        self.width = width
    }
}

/// One drawable layer of a panel, in the panel's world (projected) coordinates.
public enum MapLayer: Sendable {
    /// Filled polygons (nil fill: not filled), each outlined with `edge` when given.
    case polygons(shapes: [GeometryValue], fills: [MapColour?], edge: MapStroke?)
    /// Lines, or the outlines of polygons.
    case lines(shapes: [GeometryValue], stroke: MapStroke)
    /// Point symbols: `classes[i]` indexes `symbols` for `points[i]`; `size` is the symbol's
    /// width in page units.
    case points(points: [Coordinate], classes: [Int], symbols: [MapSymbol], size: Double)
}

/// A text placed at a world position; where labels collide the higher `priority` wins.
public struct MapLabel: Sendable, Hashable {
    public var position: Coordinate
    public var text: String
    public var priority: Double
    public init(position: Coordinate, text: String, priority: Double) {
        self.position = position
        self.text = text
        self.priority = priority
    }
}

/// A framed map: the main map or an inset (Galápagos).
public struct MapPanel: Sendable {
    /// The world rectangle to show (projected coordinates); it is widened to the frame's shape.
    public var world: Envelope
    public var layers: [MapLayer]
    public var labels: [MapLabel]
    /// Caption drawn in the frame's top-left corner (an inset's name), or nil.
    public var caption: String?
    /// Ground metres per world unit at the panel's centre (geodesic), for the scale bar.
    public var metresPerUnit: Double
    /// Direction of true north at the panel's centre, radians clockwise from the page's up.
    public var northAngle: Double

    public init(
        world: Envelope, layers: [MapLayer], labels: [MapLabel] = [], caption: String? = nil,
        metresPerUnit: Double, northAngle: Double = 0
    ) {
        self.world = world
        self.layers = layers
        self.labels = labels
        self.caption = caption
        self.metresPerUnit = metresPerUnit
        self.northAngle = northAngle
    }
}

/// A legend entry's sample.
public enum LegendSwatch: Sendable, Hashable {
    case fill(MapColour)
    case symbol(MapSymbol)
    case line(MapStroke)
}

public struct LegendEntry: Sendable, Hashable {
    public var swatch: LegendSwatch
    public var label: String
    public init(_ swatch: LegendSwatch, _ label: String) {
        self.swatch = swatch
        self.label = label
    }
}

public struct LegendSection: Sendable, Hashable {
    public var title: String
    public var entries: [LegendEntry]
    /// Lines of plain text under the entries (e.g. "140 distritos, 6 colours").
    public var notes: [String]
    public init(title: String, entries: [LegendEntry], notes: [String] = []) {
        self.title = title
        self.entries = entries
        self.notes = notes
    }
}

/// A whole map page: title, the main panel, insets, legend, scale bar, north arrow and the
/// source line. ``MapRenderer`` lays it out and draws it.
public struct MapPage: Sendable {
    /// Page width in units (pixels of a PNG); the height follows from the layout.
    public var width: Double
    public var title: String
    public var subtitle: String?
    /// "Fuente: …" line at the bottom.
    public var source: String?
    public var main: MapPanel
    public var insets: [MapPanel]
    public var legend: [LegendSection]
    public var language: MapLanguage

    public static let widthRange = 400...8000
    /// The tallest page drawn (a legend of thousands of entries would be taller).
    public static let maximumHeight = 20_000

    public init(
        width: Double, title: String, subtitle: String? = nil, source: String? = nil, main: MapPanel,
        insets: [MapPanel] = [], legend: [LegendSection] = [], language: MapLanguage = .spanish
    ) {
        self.width = width
        self.title = title
        self.subtitle = subtitle
        self.source = source
        self.main = main
        self.insets = insets
        self.legend = legend
        self.language = language
    }
}
