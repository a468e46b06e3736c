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

/// Something to build: a placed site with its costs and the people it newly serves.
public struct BuildItem: Sendable {
    public var id: String
    public var sector: String
    public var investment: Double
    public var recurrent: Double
    public var served: Double
    public init(id: String, sector: String, investment: Double, recurrent: Double, served: Double) {
        self.id = id
        self.sector = sector
        self.investment = investment
        self.recurrent = recurrent
        self.served = served
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
    /// Items not yet built at the end of each year, per sector (the gap trajectory).
    public var remaining: [String: [Int]]
    /// First year index at whose end a sector has nothing left to build (nil: not within the horizon).
    public var closes: [String: Int?]
}

/// Multi-year schedule (the planning model's "cobertura del déficit en el tiempo", an
/// intertemporal optimisation under GDP scenarios): choose the year each item is built so as to
/// maximise priority-weighted newly served population over the horizon — an item built in year
/// t serves `served × (1 + population growth)^t` people in each of the `H − t` years left —
/// while each year's investment plus the recurrent cost of everything built in earlier years
/// stays within that year's budget. Solved as a MIP (x_it ∈ {0,1}, Σ_t x_it ≤ 1) when a solver
/// is given and the model fits, and always by a feasible greedy (year by year, best value per
/// dollar of investment plus committed recurrent cost, checking every later year's budget);
/// a MIP answer is used only when proven optimal within the time limit (so the output does not
/// depend on how far the search got), else the greedy, with the LP relaxation as the bound.
public enum Scheduler {
    public static func schedule(
        _ items: [BuildItem], scenario: BudgetScenario, horizon: Int, solver: (any LinearSolver)?,
        maxVariables: Int = 40_000, seconds: Double = 20
    ) throws -> ScheduleResult {
        let h = max(1, horizon)
        let budget = (0..<h).map { scenario.budget(year: $0) }
        func value(_ i: Int, _ t: Int) -> Double {
            var growth = 1.0
            for _ in 0..<t { growth *= 1 + scenario.populationGrowth }
            return (scenario.priorities[items[i].sector.lowercased()] ?? 1) * items[i].served * growth * Double(h - t)
        }
        // Greedy.
        var year = [Int?](repeating: nil, count: items.count)
        var committed = [Double](repeating: 0, count: h)  // recurrent already due each year
        for t in 0..<h {
            var left = budget[t] - committed[t]
            let order = items.indices.filter { year[$0] == nil }.sorted { a, b in
                let ca = items[a].investment + items[a].recurrent * Double(h - t - 1)
                let cb = items[b].investment + items[b].recurrent * Double(h - t - 1)
                let ra = value(a, t) / max(ca, 1e-9), rb = value(b, t) / max(cb, 1e-9)
                return ra != rb ? ra > rb : items[a].id < items[b].id
            }
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
        func total(_ y: [Int?]) -> Double {
            var sum = 0.0
            for (i, t) in y.enumerated() { if let t { sum += value(i, t) } }
            return sum
        }
        var best = year, bestValue = total(year), method = "greedy"
        // The MIP and its relaxation.
        var m = LinearModel(maximise: true)
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
            // Only a proven optimum replaces the greedy: a solution cut by the time limit
            // depends on the machine's speed, and the same inputs must give the same bytes.
            let mip = items.count * h <= maxVariables ? try solver.solve(m, seconds: seconds) : nil
            if let mip, mip.optimal == nil { method = "greedy (MIP: \(mip.outcome.stableDescription))" }
            if let s = mip?.optimal {
                let y: [Int?] = items.indices.map { i in (0..<h).first { s.values[x[i][$0]] > 0.5 } }
                let v = total(y)
                if v > bestValue + 1e-9 {
                    best = y
                    bestValue = v
                    method = "MIP (GLPK), optimal"
                } else {
                    method = "greedy, proven optimal by the MIP"
                }
                bound = s.objective
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
                    if y > t { remaining[item.sector]?[t] += 1 }
                } else {
                    remaining[item.sector]?[t] += 1
                }
            }
        }
        var closes: [String: Int?] = [:]
        for s in sectors { closes[s] = remaining[s]?.firstIndex(of: 0) }
        return ScheduleResult(
            scenario: scenario, horizon: h, year: best, objective: bestValue, bound: max(bound, bestValue),
            method: method, spending: spending, budget: budget, gdp: (0..<h).map { scenario.gdp(year: $0) },
            remaining: remaining, closes: closes)
    }
}
