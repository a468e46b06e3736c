/// A scale bar's length: the largest 1, 2 or 5 × 10ⁿ metres not longer than the room given
/// (the usual "nice numbers" of map scale bars).
public enum ScaleBar {
    /// The nice ground length (metres) for at most `maximumMetres`; nil when that is not a
    /// positive finite number.
    public static func niceLength(atMost maximumMetres: Double) -> Double? {
        guard maximumMetres.isFinite, maximumMetres >= 1 else { return nil }
        var power = 1.0
        while power * 10 <= maximumMetres { power *= 10 }
        for step in [5.0, 2.0, 1.0] where step * power <= maximumMetres { return step * power }
        return power
    }

    /// "500 m", "2 km", "50 km" in the page's language.
    static func label(_ metres: Double, language: MapLanguage) -> String {
        metres >= 1000
            ? language.number(metres / 1000, decimals: 0) + " km" : language.number(metres, decimals: 0) + " m"
    }

    /// Draws a two-segment bar (black/white) with its ends labelled, its bottom-left at (x, y).
    static func draw(
        on canvas: CairoCanvas, x: Double, y: Double, maximumWidth: Double, pageUnitsPerMetre: Double,
        fontSize: Double, language: MapLanguage
    ) {
        guard pageUnitsPerMetre.isFinite, pageUnitsPerMetre > 0,
            let metres = niceLength(atMost: maximumWidth / pageUnitsPerMetre)
        else { return }
        let length = metres * pageUnitsPerMetre
        let barHeight = max(3, fontSize * 0.45)
        let top = y - barHeight
        canvas.font(size: fontSize * 0.85)
        let label = label(metres, language: language)
        let labelWidth = canvas.measure(label).width
        // A light backdrop keeps the bar readable over any fill.
        canvas.rectangle(x - 4, top - fontSize * 1.3, length + labelWidth / 2 + 10, barHeight + fontSize * 1.3 + 4)
        canvas.fill(.white, alpha: 0.8)
        for half in 0..<2 {
            canvas.rectangle(x + Double(half) * length / 2, top, length / 2, barHeight)
            canvas.fill(half == 0 ? .black : .white, preserve: true)
            canvas.stroke(MapStroke(.black, width: 0.8))
        }
        canvas.text("0", x: x - canvas.measure("0").width / 2, y: top - fontSize * 0.3)
        canvas.text(label, x: x + length - labelWidth / 2, y: top - fontSize * 0.3)
    }
}
