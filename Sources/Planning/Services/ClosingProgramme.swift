/// Everything closing the gap asks for under one scenario, as items the ``Scheduler`` dates:
/// the placed sites of the current deficit, the repair or replacement of the poor
/// establishments the norm counts on, and the establishments the population's growth adds over
/// the horizon. The deficit is computed once, on the census population; growth re-applies each
/// row's norm to its population × (1 + growth)^t (the private offer's people held fixed) and
/// adds one item per extra establishment, needed from the first year it is short.
public enum ClosingProgramme {
    /// The items, in a fixed order (sites as placed, then per deficit row: repairs, growth).
    /// `sites` are the placement's, each for a (level, area, typology) row of `deficit`. More
    /// than `maximumItems` (a growth rate compounded over a long horizon can ask for billions)
    /// is an error naming the growth and the horizon, before they are made.
    public static func items(
        deficit: DeficitAnalysis, catalogue: StandardsCatalogue, sites: [PlacedSite], populationGrowth: Double,
        horizon: Int, maximumItems: Int = 200_000
    ) throws -> [BuildItem] {
        var rowOf: [String: DeficitRow] = [:]
        for r in deficit.rows { rowOf[key(r.level, r.code, r.typology)] = r }
        var standards: [String: ServiceStandard] = [:]
        for s in catalogue.standards where standards[s.typology] == nil { standards[s.typology] = s }
        var items: [BuildItem] = []
        for (k, site) in sites.enumerated() {
            let row = rowOf[key(site.level, site.area, site.typology)]
            items.append(
                BuildItem(
                    id: "\(site.area)/\(site.typology)/\(site.site)#\(k)", sector: site.sector,
                    investment: site.investment, recurrent: site.recurrent, served: site.served, kind: .new,
                    typology: site.typology, area: site.area, distrito: row?.distrito ?? "", zona: row?.zona ?? "",
                    site: site.site, unit: site.unit))
        }
        let h = max(1, horizon)
        for row in deficit.rows {
            guard let s = standards[row.typology] else { continue }
            let area = row.code
            // Repairs: the poor establishments the norm counts on, in whole units (the last one
            // carries the fraction a shared parroquia leaves), costed as the deficit costs them.
            if row.repairs > 1e-9 {
                let count = Int((row.repairs - 1e-9).rounded(.up))
                let perPerson = row.required > 0 ? row.targetPopulation / row.required : 0
                for r in 0..<count {
                    let share = min(1, row.repairs - Double(r))
                    items.append(
                        BuildItem(
                            id: "\(area)/\(row.typology)/repair#\(r + 1)", sector: row.sector,
                            investment: share * s.repairShare * s.investmentTotal, recurrent: 0,
                            served: share * perPerson, kind: .repair, typology: row.typology, area: area,
                            distrito: row.distrito, zona: row.zona, site: "poor establishment"))
                }
            }
            // Growth: per-population norms on the grown population.
            guard case .perPopulation = s.norm, populationGrowth > 0, row.population > 0 else { continue }
            let have = row.current + row.poor
            let now = max(0, row.required - have)
            var added = 0.0
            var factor = 1.0
            for t in 1..<h {
                factor *= 1 + populationGrowth
                let required = s.norm.required(population: row.population * factor, lessServed: row.privateServed)
                let short = max(0, (required - have - 1e-9).rounded(.up)) - now.rounded(.up)
                guard Double(items.count) + max(0, short - added) <= Double(maximumItems) else {
                    throw PlanningError(
                        "a population growth of \(populationGrowth * 100) % a year over \(h) years asks for more than \(maximumItems) establishments to build or repair; shorten the horizon or check the scenario's population_growth"
                    )
                }
                while added < short {
                    added += 1
                    let served = s.capacity > 0 ? s.capacity : row.targetPopulation / max(row.required, 1)
                    items.append(
                        BuildItem(
                            id: "\(area)/\(row.typology)/growth#\(Int(added))", sector: row.sector,
                            investment: s.investmentTotal, recurrent: s.recurrentTotal, served: served, kind: .growth,
                            typology: row.typology, area: area, distrito: row.distrito, zona: row.zona, site: "",
                            neededFrom: t))
                }
            }
        }
        return items
    }

    static func key(_ level: ServiceLevel, _ area: String, _ typology: String) -> String {
        level.rawValue + "\u{1}" + area + "\u{1}" + typology
    }
}
