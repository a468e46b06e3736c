import Cartography
import GIS

/// What a map shows and how: the typed options of `territorio map`.
public struct MapSettings: Sendable {
    /// How the main layer's features are coloured.
    public enum Theme: Sendable, Hashable {
        /// One neutral fill (or lines/points as they are).
        case plain
        /// A numeric field cut into classes, on a sequential palette.
        case choropleth(
            field: String, classes: Int, method: ClassificationMethod, palette: SequentialPalette, reversed: Bool)
        /// A category field (a plan's distrito or circuito code): no two neighbouring categories
        /// share a colour; `dissolve` merges the features of each category first.
        case categories(field: String, dissolve: Bool)
    }

    /// Whether Galápagos goes to an inset.
    public enum Inset: String, Sendable, CaseIterable {
        /// An inset when the layer has features both in Galápagos and on the mainland.
        case auto
        /// Everything in one frame.
        case none
    }

    public var layer: String
    public var output: String
    public var theme: Theme = .plain
    /// Field whose values label the features (a category's label is drawn once).
    public var labelField: String?
    /// false: no labels at all.
    public var drawLabels = true
    public var join: TableJoin?
    /// Layers drawn as outlines over the main one: thin and grey when finer than it (circuitos
    /// over distritos), thick and dark when coarser (provincias over parroquias).
    public var overlays: [String] = []
    /// Establishments or proposed sites, drawn as symbols.
    public var points: String?
    /// Field of `points` giving each one's typology (one symbol per value).
    public var pointClassField: String?
    public var title: String?
    public var subtitle: String?
    public var source: String?
    /// The map's CRS; the Galápagos inset uses UTM 15S while this is the default UTM 17S.
    public var crs: CRS = .utm17S
    public var inset: Inset = .auto
    /// Page width in pixels (PNG) or SVG units.
    public var width: Int = 1600
    public var language: MapLanguage = .spanish
    /// How the layers are read (CSV columns, assumed CRS, encodings).
    public var readOptions = LayerReadOptions()

    public static let classRange = SequentialPalette.classRange

    public init(layer: String, output: String) {
        self.layer = layer
        self.output = output
    }

    /// Checks the numbers and the output's extension before any reading.
    public func validated() throws -> MapSettings {
        _ = try Checked.integer(width, in: MapPage.widthRange, "--width")
        if case .choropleth(_, let classes, _, _, _) = theme {
            _ = try Checked.integer(classes, in: Self.classRange, "--classes")
        }
        _ = try MapFormat(path: output)
        return self
    }
}
