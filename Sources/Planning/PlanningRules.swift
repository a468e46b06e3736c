/// Targets and tolerances of the planning model (parameters, with the model's defaults).
public struct PlanningRules: Sendable {
    /// About 90,000 people per distrito, 11,000 per circuito.
    public var distritoTarget: Int
    public var circuitoTarget: Int
    /// Allowed relative deviation from the target before a unit is flagged (soft rule: a whole
    /// cantón or parish that is itself far from the target makes some deviation unavoidable).
    public var tolerance: Double
    /// A cantón may be split into several distritos only above this population, when no table
    /// of divisible cantones is given; default 3.5 × target.
    public var splitCantonAbove: Int
    /// The cantones that may be divided into several distritos (4-digit codes), as the source
    /// names them: Quito, Guayaquil, Cuenca, Ambato and Santo Domingo (`Data/rules/
    /// divisible_cantones.csv`). When set, it decides alone; nil: the population threshold.
    public var divisibleCantons: Set<String>?
    /// The population of a distrito in a divisible cantón (the source exempts those cities'
    /// distritos from the ~90,000 average); nil: the distrito target.
    public var cityDistritoTarget: Int?
    /// A parroquia may be split between distritos / circuitos only above these populations
    /// (default: the distrito target, and 1.5 × the circuito target).
    public var splitParishDistritoAbove: Int
    public var splitParishCircuitoAbove: Int
    /// Deviations beyond the tolerance count as violations (exit code 1) instead of warnings.
    public var strictBalance: Bool

    public init(
        distritoTarget: Int = 90_000, circuitoTarget: Int = 11_000, tolerance: Double = 0.5,
        splitCantonAbove: Int? = nil,
        splitParishDistritoAbove: Int? = nil, splitParishCircuitoAbove: Int? = nil, strictBalance: Bool = false
    ) {
        self.distritoTarget = distritoTarget
        self.circuitoTarget = circuitoTarget
        self.tolerance = tolerance
        self.splitCantonAbove = splitCantonAbove ?? Int(3.5 * Double(distritoTarget))
        self.splitParishDistritoAbove = splitParishDistritoAbove ?? distritoTarget
        self.splitParishCircuitoAbove = splitParishCircuitoAbove ?? Int(1.5 * Double(circuitoTarget))
        self.strictBalance = strictBalance
    }

    /// Whether the cantón may be divided into several distritos.
    public func mayDivide(canton: String, population: Int) -> Bool {
        if let divisibleCantons { return divisibleCantons.contains(canton) }
        return population > splitCantonAbove
    }

    /// Why a cantón may or may not be divided, for messages.
    public func divisionRule(canton: String, population: Int) -> String {
        if let divisibleCantons {
            return divisibleCantons.contains(canton)
                ? "in the table of divisible cantones" : "not in the table of divisible cantones"
        }
        return population > splitCantonAbove ? "above \(splitCantonAbove) people" : "≤ \(splitCantonAbove) people"
    }

    /// `17D03`: province code, `D`, two digits.
    public static func isDistritoCode(_ s: String) -> Bool {
        let c = Array(s)
        return c.count == 5 && c[0].isASCII && c[0].isNumber && c[1].isNumber && c[2] == "D" && c[3].isNumber
            && c[4].isNumber
    }

    /// `17D03C01`: distrito code, `C`, two digits.
    public static func isCircuitoCode(_ s: String) -> Bool {
        let c = Array(s)
        return c.count == 8 && isDistritoCode(String(c[0..<5])) && c[5] == "C" && c[6].isNumber && c[7].isNumber
    }
}
