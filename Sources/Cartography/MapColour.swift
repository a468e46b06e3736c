import Foundation

/// An sRGB colour with components in 0...1.
public struct MapColour: Sendable, Hashable {
    public var red: Double
    public var green: Double
    public var blue: Double

    public init(red: Double, green: Double, blue: Double) {
        self.red = red
        self.green = green
        self.blue = blue
    }

    /// From `0xRRGGBB`.
    public init(hex: UInt32) {
        red = Double((hex >> 16) & 0xFF) / 255
        green = Double((hex >> 8) & 0xFF) / 255
        blue = Double(hex & 0xFF) / 255
    }

    /// `#rrggbb`, as SVG and CSS write it.
    public var hexText: String {
        func byte(_ v: Double) -> String {
            let b = Int((min(1, max(0, v)) * 255).rounded())
            return (b < 16 ? "0" : "") + String(b, radix: 16)
        }
        return "#" + byte(red) + byte(green) + byte(blue)
    }

    /// Relative luminance (WCAG 2.x), to choose dark or light text over a fill.
    public var luminance: Double {
        func linear(_ c: Double) -> Double { c <= 0.04045 ? c / 12.92 : pow((c + 0.055) / 1.055, 2.4) }
        return 0.2126 * linear(red) + 0.7152 * linear(green) + 0.0722 * linear(blue)
    }

    func mixed(with other: MapColour, _ t: Double) -> MapColour {
        MapColour(
            red: red + (other.red - red) * t, green: green + (other.green - green) * t,
            blue: blue + (other.blue - blue) * t)
    }

    public static let black = MapColour(hex: 0x000000)
    public static let white = MapColour(hex: 0xFFFFFF)
    /// Units with no value ("sin dato").
    public static let noData = MapColour(hex: 0xD9D9D9)
    /// Plain fill of a layer drawn without a field.
    public static let neutralFill = MapColour(hex: 0xEDE8DA)
    public static let border = MapColour(hex: 0x4D4D4D)
    public static let water = MapColour(hex: 0xF4F8FB)
}

/// Sequential palettes for choropleths: light = low, dark = high; both are readable with the
/// common colour-vision deficiencies and in greyscale.
public enum SequentialPalette: String, Sendable, CaseIterable {
    /// ColorBrewer 2.0 "YlGnBu" (Brewer, Harrower; colour-blind safe, print friendly), with its
    /// published 3–9 class schemes.
    case ylgnbu
    /// matplotlib's "viridis" (van der Walt & Smith 2015: perceptually uniform), sampled from its
    /// ten-stop table by linear interpolation.
    case viridis

    public static let classRange = 2...9

    /// `count` colours from light to dark (viridis: dark to light reversed so that more = darker).
    public func colours(_ count: Int) -> [MapColour] {
        let n = min(Self.classRange.upperBound, max(Self.classRange.lowerBound, count))
        switch self {
        case .ylgnbu:
            let table: [UInt32] =
                switch n {
                case 2: [0xEDF8B1, 0x2C7FB8]
                case 3: [0xEDF8B1, 0x7FCDBB, 0x2C7FB8]
                case 4: [0xFFFFCC, 0xA1DAB4, 0x41B6C4, 0x225EA8]
                case 5: [0xFFFFCC, 0xA1DAB4, 0x41B6C4, 0x2C7FB8, 0x253494]
                case 6: [0xFFFFCC, 0xC7E9B4, 0x7FCDBB, 0x41B6C4, 0x2C7FB8, 0x253494]
                case 7: [0xFFFFCC, 0xC7E9B4, 0x7FCDBB, 0x41B6C4, 0x1D91C0, 0x225EA8, 0x0C2C84]
                case 8: [0xFFFFD9, 0xEDF8B1, 0xC7E9B4, 0x7FCDBB, 0x41B6C4, 0x1D91C0, 0x225EA8, 0x0C2C84]
                default: [0xFFFFD9, 0xEDF8B1, 0xC7E9B4, 0x7FCDBB, 0x41B6C4, 0x1D91C0, 0x225EA8, 0x253494, 0x081D58]
                }
            return table.map(MapColour.init(hex:))
        case .viridis:
            let stops: [MapColour] = [
                0xFDE725, 0xB5DE2B, 0x6ECE58, 0x35B779, 0x1F9E89, 0x26828E, 0x31688E, 0x3E4989, 0x482878, 0x440154,
            ].map(MapColour.init(hex:))
            return (0..<n).map { i in
                let t = Double(i) / Double(n - 1) * Double(stops.count - 1)
                let k = min(stops.count - 2, Int(t.rounded(.down)))
                return stops[k].mixed(with: stops[k + 1], t - Double(k))
            }
        }
    }
}

/// Fills for categorical maps (plans): Paul Tol's "light" scheme, made for areas carrying
/// labels and distinct for colour-blind readers, ordered so that the first five (all a map
/// colouring usually needs) are the most different hues. Neighbours get different entries
/// (``MapColouring``).
public enum QualitativePalette {
    public static let light: [MapColour] = [
        0x77AADD, 0xEE8866, 0xBBCC33, 0xEEDD88, 0xFFAABB, 0x44BB99, 0x99DDFF, 0xAAAA00, 0xDDDDDD,
    ].map(MapColour.init(hex:))
}

/// Point symbols by typology: each class differs in shape and in colour (Okabe & Ito 2008,
/// "Color Universal Design"), so it reads in greyscale and with colour-vision deficiencies.
public struct MapSymbol: Sendable, Hashable {
    public enum Shape: String, Sendable, CaseIterable {
        case circle, square, triangle, diamond, invertedTriangle, pentagon, hexagon, star
    }
    public var shape: Shape
    public var fill: MapColour

    public init(shape: Shape, fill: MapColour) {
        self.shape = shape
        self.fill = fill
    }

    static let okabeIto: [MapColour] = [
        0xE69F00, 0x0072B2, 0x009E73, 0xD55E00, 0xCC79A7, 0x56B4E9, 0xF0E442, 0x000000,
    ].map(MapColour.init(hex:))

    /// The symbol of the `index`-th typology (0-based); after 8 classes shapes and colours
    /// repeat in a shifted pairing, so the first 64 stay distinct.
    public static func forClass(_ index: Int) -> MapSymbol {
        let shapes = Shape.allCases
        let i = max(0, index)
        return MapSymbol(
            shape: shapes[i % shapes.count], fill: okabeIto[(i + i / shapes.count) % okabeIto.count])
    }
}
