import TextFormat

/// A budget scenario: the programme's yearly budget is a share of a GDP path.
public struct BudgetScenario: Sendable {
    public var name: String
    public var startYear: Int
    public var gdpStart: Double
    /// Share of GDP for the programme (0.002 = 0.2 %).
    public var programmeShare: Double
    /// Real GDP growth and population growth per year (0.05 = 5 %).
    public var gdpGrowth: Double
    public var populationGrowth: Double
    /// Political priority per sector (missing sectors weigh 1).
    public var priorities: [String: Double]

    public init(
        name: String, startYear: Int, gdpStart: Double, programmeShare: Double, gdpGrowth: Double,
        populationGrowth: Double, priorities: [String: Double] = [:]
    ) {
        self.name = name
        self.startYear = startYear
        self.gdpStart = gdpStart
        self.programmeShare = programmeShare
        self.gdpGrowth = gdpGrowth
        self.populationGrowth = populationGrowth
        self.priorities = priorities
    }

    public func gdp(year t: Int) -> Double {
        var g = gdpStart
        for _ in 0..<t { g *= 1 + gdpGrowth }
        return g
    }
    public func budget(year t: Int) -> Double { gdp(year: t) * programmeShare }

    /// Reads `scenario,start_year,gdp_start,programme_share,gdp_growth,population_growth` and any
    /// `priority_<sector>` columns; a negative budget, share or GDP is an error naming the row.
    /// Accepted ranges: years 1900–2200, GDP up to 10¹⁵ USD (ten times the world's), a
    /// programme share of GDP 0–1, yearly growth rates −99 % to +100 %. They keep budgets
    /// finite and the solver's coefficients within what GLPK scales.
    public static let ranges: [String: ClosedRange<Double>] = [
        "start_year": 1900...2200, "gdp_start": 0...1e15, "programme_share": 0...1, "gdp_growth": -0.99...1,
        "population_growth": -0.99...1,
    ]

    public static func read(header: [String], rows: [[String]], source: String) throws -> [BudgetScenario] {
        let lower = header.map { $0.lowercased().trimmingCharacters(in: .whitespaces) }
        let repeated = Dictionary(grouping: lower, by: { $0 }).filter { $0.value.count > 1 }.keys.sorted()
        guard repeated.isEmpty else {
            throw PlanningError(source: source, "line 1: columns named more than once", units: repeated)
        }
        let needed = ["scenario", "start_year", "gdp_start", "programme_share", "gdp_growth", "population_growth"]
        let missing = needed.filter { !lower.contains($0) }
        guard missing.isEmpty else {
            throw PlanningError(source: source, "the scenario file lacks columns", units: missing)
        }
        var out: [BudgetScenario] = []
        for (r, row) in rows.enumerated() {
            func cell(_ i: Int) -> String { i < row.count ? row[i].trimmingCharacters(in: .whitespaces) : "" }
            let name = lower.firstIndex(of: "scenario").map(cell) ?? ""
            let place = "line \(r + 2) (\(name.isEmpty ? "scenario \(r + 1)" : name))"
            func value(_ field: String) throws -> Double {
                let text = lower.firstIndex(of: field).map(cell) ?? ""
                guard let v = Double(text), v.isFinite else {
                    throw PlanningError(source: source, "\(place), field '\(field)': must be a number, not '\(text)'")
                }
                if let range = BudgetScenario.ranges[field], !range.contains(v) {
                    throw PlanningError(
                        source: source,
                        "\(place), field '\(field)': must be from \(JSONText.number(range.lowerBound)) to \(JSONText.number(range.upperBound)), not \(text)"
                    )
                }
                return v
            }
            let s = BudgetScenario(
                name: name.isEmpty ? "scenario \(r + 1)" : name, startYear: Int(try value("start_year").rounded()),
                gdpStart: try value("gdp_start"), programmeShare: try value("programme_share"),
                gdpGrowth: try value("gdp_growth"), populationGrowth: try value("population_growth"))
            guard s.gdpStart >= 0, s.programmeShare >= 0 else {
                throw PlanningError(
                    source: source,
                    "row \(r + 2) (\(s.name)): the budget must not be negative (gdp_start, programme_share)")
            }
            guard s.gdpGrowth > -1, s.populationGrowth > -1 else {
                throw PlanningError(source: source, "row \(r + 2) (\(s.name)): growth rates must be above −100 %")
            }
            var priorities: [String: Double] = [:]
            for (i, column) in lower.enumerated() where column.hasPrefix("priority_") {
                guard let v = Double(cell(i)), v >= 0, v <= 1_000, v.isFinite else {
                    throw PlanningError(source: source, "\(place), field '\(column)': must be a number from 0 to 1000")
                }
                priorities[String(column.dropFirst("priority_".count))] = v
            }
            var scenario = s
            scenario.priorities = priorities
            out.append(scenario)
        }
        guard !out.isEmpty else { throw PlanningError(source: source, "no scenario rows") }
        return out
    }
}

/// What an item of the closing programme is.
public enum BuildKind: String, Sendable {
    /// A placed site of the current deficit.
    case new
    /// A poor establishment repaired or replaced (its share of the investment).
    case repair
    /// An establishment the population's growth asks for from year `neededFrom` on.
    case growth
}

/// Something to build or repair: its costs, the people it newly serves, where it is and from
/// which year (0-based) it is needed.
public struct BuildItem: Sendable {
    public var id: String
    public var sector: String
    public var investment: Double
    public var recurrent: Double
    public var served: Double
    public var kind: BuildKind
    public var typology: String
    /// The unit of its level (circuito, distrito or zona code), its distrito and zona.
    public var area: String
    public var distrito: String
    public var zona: String
    /// The site (a placed candidate, the establishment repaired, or "" for growth) and the
    /// parroquia (or piece) it stands in ("" when not known yet).
    public var site: String
    public var unit: String
    /// First year index from which it is needed (0 for the current deficit).
    public var neededFrom: Int
    public init(
        id: String, sector: String, investment: Double, recurrent: Double, served: Double, kind: BuildKind = .new,
        typology: String = "", area: String = "", distrito: String = "", zona: String = "", site: String = "",
        unit: String = "", neededFrom: Int = 0
    ) {
        self.id = id
        self.sector = sector
        self.investment = investment
        self.recurrent = recurrent
        self.served = served
        self.kind = kind
        self.typology = typology
        self.area = area
        self.distrito = distrito
        self.zona = zona
        self.site = site
        self.unit = unit
        self.neededFrom = neededFrom
    }
}

/// When each item is built under one scenario, and what it costs each year.
public struct ScheduleResult: Sendable {
    public var scenario: BudgetScenario
    public var horizon: Int
    /// Year index (0-based) each item is built in, nil when not within the horizon.
    public var year: [Int?]
    public var objective: Double
    public var bound: Double
    public var method: String
    public var gap: Double { bound <= 0 ? 0 : max(0, (bound - objective) / bound) }
    /// Investment and recurrent spending per sector and year.
    public var spending: [String: [Double]]
    public var budget: [Double]
    public var gdp: [Double]
    /// Items needed by each year and not yet built at its end, per sector (the gap trajectory).
    public var remaining: [String: [Int]]
    /// First year index from whose end on a sector has nothing needed left to build or repair
    /// (nil: not within the horizon).
    public var closes: [String: Int?]
}

/// Multi-year schedule (the planning model's "cobertura del déficit en el tiempo", an
/// intertemporal optimisation under GDP scenarios): choose the year each item is built so as to
/// maximise priority-weighted newly served population over the horizon — an item built in year
/// t serves `served × (1 + population growth)^t` people in each year from t (or from the year
/// it is needed, if later) to the horizon —
/// while each year's investment plus the recurrent cost of everything built in earlier years
/// stays within that year's budget. Solved as a MIP (x_it ∈ {0,1}, Σ_t x_it ≤ 1) when a solver
/// is given and the model fits, and always by a feasible greedy (year by year, best value per
/// dollar of investment plus committed recurrent cost, checking every later year's budget).
/// A MIP answer replaces the greedy when it is better and the search ended in the same place on
/// every machine: proven optimal, or stopped by `nodeLimit` (CBC's node count, not the clock);
/// a search the time limit stopped is never used, so the output does not depend on the
/// machine's speed. The bound is the MIP's (or the LP relaxation's).
public enum Scheduler {
    public static func schedule(
        _ items: [BuildItem], scenario: BudgetScenario, horizon: Int, solver: (any LinearSolver)?,
        maxVariables: Int = 40_000, seconds: Double = 20, nodeLimit: Int? = nil
    ) throws -> ScheduleResult {
        let h = max(1, horizon)
        let budget = (0..<h).map { scenario.budget(year: $0) }
        let value = Self.valueFunction(items, scenario: scenario, horizon: h)
        let year = greedy(items, budget: budget, value: value)
        func total(_ y: [Int?]) -> Double {
            var sum = 0.0
            for (i, t) in y.enumerated() { if let t { sum += value(i, t) } }
            return sum
        }
        var best = year, bestValue = total(year), method = "greedy"
        // The MIP and its relaxation.
        var m = LinearModel(maximise: true)
        m.nodeLimit = nodeLimit
        var x: [[Int]] = []
        for i in items.indices {
            let row = (0..<h).map { t in m.variable(upper: 1, objective: value(i, t), integer: true) }
            m.row(row.map { ($0, 1) }, upper: 1)
            x.append(row)
        }
        // Budget rows in units of the largest budget, so coefficients stay near 1.
        let unit = max(budget.max() ?? 1, 1)
        for t in 0..<h {
            var terms: [(Int, Double)] = []
            for i in items.indices {
                terms.append((x[i][t], items[i].investment / unit))
                for tau in 0..<t { terms.append((x[i][tau], items[i].recurrent / unit)) }
            }
            m.row(terms, upper: budget[t] / unit)
        }
        var bound = 0.0
        for i in items.indices { bound += value(i, 0) }
        if let solver {
            let lp = try solver.relaxation(m)
            if let optimum = lp.optimal { bound = min(bound, optimum.objective) }
            // Only a search that ends in the same place on every machine may replace the
            // greedy: a proven optimum, or the best found within the node limit.
            let mip = items.count * h <= maxVariables ? try solver.solve(m, seconds: seconds) : nil
            let name = solver.name
            switch mip?.outcome {
            case .optimal?, .nodeLimit?:
                guard let s = mip?.solution else { break }
                let proven = mip?.outcome == .optimal
                let y: [Int?] = items.indices.map { i in (0..<h).first { s.values[x[i][$0]] > 0.5 } }
                let v = total(y)
                let within = proven ? "optimal" : "best within \(nodeLimit ?? 0) nodes"
                // Better by more than rounding in the sums (equal-valued schedules are ties).
                if v > bestValue * (1 + 1e-9) + 1e-9 && affordable(y, items: items, budget: budget) {
                    best = y
                    bestValue = v
                    method = "MIP (\(name)), \(within)"
                } else {
                    method =
                        proven
                        ? "greedy, proven optimal by the MIP (\(name))"
                        : "greedy; the MIP (\(name)) found no better within \(nodeLimit ?? 0) nodes"
                }
                bound = proven ? s.objective : min(bound, s.bound)
            case let outcome?:
                method = "greedy (MIP: \(outcome.stableDescription))"
            case nil:
                break
            }
        }
        // Figures.
        var spending: [String: [Double]] = [:], remaining: [String: [Int]] = [:]
        let sectors = Set(items.map(\.sector)).sorted()
        for s in sectors {
            spending[s] = [Double](repeating: 0, count: h)
            remaining[s] = [Int](repeating: 0, count: h)
        }
        for (i, item) in items.enumerated() {
            for t in 0..<h {
                if let y = best[i] {
                    if y == t { spending[item.sector]?[t] += item.investment }
                    if y < t { spending[item.sector]?[t] += item.recurrent }
                }
                if item.neededFrom <= t && (best[i].map { $0 > t } ?? true) { remaining[item.sector]?[t] += 1 }
            }
        }
        var closes: [String: Int?] = [:]
        for s in sectors { closes[s] = Self.closingYear(remaining[s] ?? []) }
        return ScheduleResult(
            scenario: scenario, horizon: h, year: best, objective: bestValue, bound: max(bound, bestValue),
            method: method, spending: spending, budget: budget, gdp: (0..<h).map { scenario.gdp(year: $0) },
            remaining: remaining, closes: closes)
    }
    /// Priority-weighted people served over the horizon when item i is built in year t: its
    /// served people × (1 + population growth)^t in every year from max(t, needed) to H − 1.
    static func valueFunction(_ items: [BuildItem], scenario: BudgetScenario, horizon h: Int) -> (Int, Int) -> Double {
        var growth = [1.0]
        for _ in 0..<h { growth.append(growth[growth.count - 1] * (1 + scenario.populationGrowth)) }
        return { i, t in
            let years = Double(max(0, h - max(t, items[i].neededFrom)))
            return (scenario.priorities[items[i].sector.lowercased()] ?? 1) * items[i].served * growth[t] * years
        }
    }

    /// The feasible greedy: year by year, the items left in order of value per dollar of
    /// investment plus the recurrent cost they commit to the horizon (ties by id), each taken
    /// when its investment fits what the year has left and every later year still affords its
    /// recurrent cost. O(H × n log n).
    static func greedy(_ items: [BuildItem], budget: [Double], value: (Int, Int) -> Double) -> [Int?] {
        let h = budget.count
        var year = [Int?](repeating: nil, count: items.count)
        var committed = [Double](repeating: 0, count: h)  // recurrent already due each year
        for t in 0..<h {
            var left = budget[t] - committed[t]
            let order = items.indices.filter { year[$0] == nil }.map { i in
                (i, value(i, t) / max(items[i].investment + items[i].recurrent * Double(h - t - 1), 1e-9))
            }.sorted { a, b in a.1 != b.1 ? a.1 > b.1 : items[a.0].id < items[b.0].id }.map(\.0)
            for i in order where items[i].investment <= left + 1e-6 {
                // Every later year must still afford the recurrent cost.
                guard (t + 1..<h).allSatisfy({ committed[$0] + items[i].recurrent <= budget[$0] + 1e-6 }) else {
                    continue
                }
                year[i] = t
                left -= items[i].investment
                for u in (t + 1)..<max(t + 1, h) { committed[u] += items[i].recurrent }
            }
        }
        return year
    }

    /// The first year (index into `remaining`, the items left at the end of each year) from
    /// whose end on nothing needed is left (nil: not within the horizon).
    public static func closingYear(_ remaining: [Int]) -> Int? {
        guard let last = remaining.last, last == 0 else { return nil }
        var t = remaining.count - 1
        while t > 0 && remaining[t - 1] == 0 { t -= 1 }
        return t
    }

    /// The budget a scenario needs: the smallest programme share of GDP (constant over the
    /// years) with which the greedy schedule closes every sector by year index `closeBy` (and
    /// builds what growth asks for later by the year it is needed), found
    /// by bisection to 10⁻⁶ of the share (the greedy is deterministic; more budget never
    /// leaves an item it took unaffordable, so closing is monotone in practice, and the share
    /// returned is checked to close). Nil when even the whole GDP does not close by then (an
    /// item needed only after `closeBy` closes later whatever the budget). O(40 × greedy).
    public static func budgetNeeded(
        _ items: [BuildItem], scenario: BudgetScenario, horizon: Int, closeBy: Int
    ) -> (share: Double, firstYear: Double)? {
        let h = max(1, horizon)
        let value = valueFunction(items, scenario: scenario, horizon: h)
        func closes(_ share: Double) -> Bool {
            var s = scenario
            s.programmeShare = share
            let year = greedy(items, budget: (0..<h).map { s.budget(year: $0) }, value: value)
            // Everything needed by the closing year is built by then, and nothing later is
            // left unbuilt within the horizon.
            return items.indices.allSatisfy { i in
                guard let y = year[i] else { return false }
                return y <= max(closeBy, items[i].neededFrom)
            }
        }
        guard closeBy >= 0, closeBy < h, !items.isEmpty, closes(1) else { return nil }
        var lo = 0.0, hi = 1.0
        for _ in 0..<40 where hi - lo > 1e-6 * hi {
            let mid = (lo + hi) / 2
            if closes(mid) { hi = mid } else { lo = mid }
        }
        return (hi, scenario.gdp(year: 0) * hi)
    }

    /// Whether a schedule keeps every year's investment plus the recurrent cost of everything
    /// built before within that year's budget (1 µUSD of rounding per USD allowed). O(items × years).
    static func affordable(_ year: [Int?], items: [BuildItem], budget: [Double]) -> Bool {
        budget.indices.allSatisfy { t in
            var spent = 0.0
            for (i, y) in year.enumerated() {
                guard let y else { continue }
                if y == t { spent += items[i].investment } else if y < t { spent += items[i].recurrent }
            }
            return spent <= budget[t] * (1 + 1e-6) + 1e-6
        }
    }
}
