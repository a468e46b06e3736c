import Foundation
import GIS
import Planning

/// What every service command reads beyond the territory: a plan, the standards catalogue and
/// the establishments registry, with the columns and speed that turn it into offer.
public struct ServiceOptions: Sendable {
    public var plan: String
    public var catalogue = DataFiles.path(DataFiles.catalogue)
    public var establishments: String
    /// Registry field whose values the catalogue's `matches` name (e.g. subtype, sostenimiento).
    public var typeField = "subtype"
    /// Rules on the registry's text fields giving each row's typologies and provider, in place
    /// of `typeField` and the catalogue's `matches` (``RegistryRules``).
    public var registryRules: String?
    /// Overrides every catalogue row's `private_share` (0–1).
    public var privateShare: Double?
    /// On a plan without circuitos, derive circuitos inside its distritos with the proposer
    /// (distritos locked), so circuito norms count circuitos; false applies them per distrito.
    public var deriveCircuitos = true
    /// Registry field with the building's condition (good/fair/poor or buena/regular/mala).
    public var conditionField = "condition"
    /// Registry field with each establishment's capacity (people of the target group; used
    /// when present, blank cells fall back to the catalogue's capacity).
    public var capacityField = "capacity"
    /// Registry field with the establishment id (default: the row number).
    public var idField: String?
    /// Only these sectors or typologies of the catalogue.
    public var only: [String]?
    /// How travel times are measured: straight lines (default 20 km/h) or roads, as in `access`.
    public var travel: TravelSettings = .straight(speedKmh: 20, detour: 1)
    /// Run on a plan that breaks hard rules (the violations are noted).
    public var acceptInvalidPlan = false
    /// How the road layer is read (encoding, assumed CRS).
    public var readOptions = LayerReadOptions()

    /// The most new establishments a catalogue may imply before placement is refused: beyond it
    /// a norm is almost surely wrong, and placement's memory grows with the count.
    public static let maximumNewEstablishments = 200_000

    public init(plan: String, establishments: String) {
        self.plan = plan
        self.establishments = establishments
    }

}

/// The current offer located on the plan, the travel times to the nearest establishment of
/// each typology, and the deficit.
public struct LoadedServices {
    public var territory: LoadedTerritory
    public var plan: Plan
    public var catalogue: StandardsCatalogue
    public var establishments: [Planning.Establishment]
    /// Registry values no catalogue typology matches (value → count), and rows outside every unit.
    public var unknownTypes: [(String, Int)]
    public var outside: [String]
    public var deficit: DeficitAnalysis
    /// The plan with the circuitos derived inside its distritos, when it had none.
    public var derivedPlan: Plan?
    /// Travel times used for the deficit's reach and for placement.
    public var travel: ModelTravelTimes
    /// The road network's report, when travel is on roads.
    public var network: RoadNetworkReport?
    /// Hard-rule violations of the plan (empty unless `acceptInvalidPlan`).
    public var planViolations: [Violation]
    public var options: ServiceOptions
}

public enum ServiceLoader {
    public static func load(_ territoryOptions: TerritoryOptions, _ options: ServiceOptions, log: WorkflowLog)
        throws -> LoadedServices
    {
        let table = try CSVTable.read(options.catalogue)
        var standards = try StandardsCatalogue.read(
            header: table.header, rows: table.rows, lines: table.lines, source: options.catalogue)
        if let share = options.privateShare {
            _ = try Checked.number(share, in: 0...1, "--private-share")
            for k in standards.standards.indices { standards.standards[k].privateShare = share }
        }
        // Checked against the whole catalogue, before --only keeps part of it.
        let rules = try options.registryRules.map { try RegistryRules.read($0, catalogue: standards) }
        if let only = options.only {
            let names = Set(only.map { $0.trimmingCharacters(in: .whitespaces).lowercased() })
            let known = Set(standards.standards.flatMap { [$0.sector.lowercased(), $0.typology.lowercased()] })
            guard names.isSubset(of: known) else {
                throw PlanningError(
                    source: options.catalogue, "--only names no sector or typology of the catalogue",
                    units: names.subtracting(known).sorted())
            }
            standards.standards = standards.standards.filter {
                names.contains($0.sector.lowercased()) || names.contains($0.typology.lowercased())
            }
        }
        let planning = try TerritoryLoader.load(territoryOptions, log: log)
        var plan = try PlanReader.read(options.plan, territory: planning)
        var check = try PlanValidator.validate(
            plan, territory: planning.territory, zones: planning.zones, rules: planning.rules,
            metric: planning.metric)
        // The same rules `validate` applies, the polygon contiguity included.
        try PlanGeometry.check(plan, loaded: planning, report: &check)
        if !check.valid && !options.acceptInvalidPlan {
            throw PlanningError(
                source: options.plan,
                "the plan breaks \(check.violations.count) hard rule(s) (`territorio validate` lists them); fix it with `territorio propose --from … --repair`, or go on with --accept-invalid-plan",
                units: check.violations.map { "[\($0.rule)] \($0.unit.map { "\($0): " } ?? "")\($0.message)" })
        }
        var derivation: (plan: Plan, notes: [String])?
        if !plan.hasCircuitos && options.deriveCircuitos {
            log.step("deriving circuitos inside the plan's distritos")
            derivation = try derivedCircuitos(plan, planning: planning, log: log)
            plan = derivation?.plan ?? plan
        }
        log.step("locating \(options.establishments)")
        let (found, unknown, outside) = try locate(options, planning: planning, catalogue: standards, rules: rules)
        let (model, network) = try options.travel.model(
            readOptions: options.readOptions, proj: try ProjContext(), log: log)
        let travel = ModelTravelTimes(model)
        log.step("travel times to the nearest establishment of each typology")
        var minutes: [String: [Double]] = [:]
        let seats = planning.territory.units.map(\.location)
        for s in standards.standards {
            // Reach is the Executive's: to the public offer (the private one is netted by capacity).
            minutes[s.typology] = travel.nearestMinutes(
                from: seats, to: found.filter { $0.typology == s.typology && $0.provider == .public }.map(\.location))
        }
        var deficit = try DeficitAnalysis.compute(
            territory: planning.territory, plan: plan, zones: planning.zones, catalogue: standards,
            establishments: found, nearestMinutes: minutes)
        deficit.notes = (derivation?.notes ?? []) + deficit.notes
        return LoadedServices(
            territory: planning, plan: plan, catalogue: standards, establishments: found, unknownTypes: unknown,
            outside: outside, deficit: deficit, derivedPlan: derivation?.plan, travel: travel, network: network,
            planViolations: check.valid ? [] : check.violations, options: options)
    }

    /// The plan with circuitos of whole units derived inside each of its distritos by the
    /// proposer (``Proposer/circuitos(inside:territory:rules:options:metric:weights:counts:)``,
    /// distritos locked, default seed): population ÷ the circuito target per distrito
    /// (``Proposer/CircuitoCounts/populationOverTarget``: the norms' counts follow the target,
    /// not a balance choice). A unit
    /// the plan shares between k distritos (a cabecera) weighs 1/k of its people in each and
    /// gets a circuito in each. Notes say what was derived.
    static func derivedCircuitos(_ plan: Plan, planning: LoadedTerritory, log: WorkflowLog) throws -> (
        plan: Plan, notes: [String]
    ) {
        let units = planning.territory.units
        var members: [String: [Int]] = [:]
        var weights = units.map { Double($0.population) }
        for (i, u) in units.enumerated() {
            guard let a = plan.assignments[u.id], !a.distritos.isEmpty else { continue }
            for d in Set(a.distritos) { members[d, default: []].append(i) }
            weights[i] /= Double(Set(a.distritos).count)
        }
        let distritos = members.sorted { $0.key < $1.key }.map { (code: $0.key, members: $0.value) }
        var options = ProposalOptions()
        // Derived circuitos only count establishments by norm: balance, compactness and access
        // as when the services' national figures were checked, no shape term and no ±50 %
        // penalty (their counts already mend a lopsided circuito, ``CircuitoCounts``).
        options.circuitoShape = 0
        options.circuitoLopsidedPenalty = 0
        options.progress = log.progress
        options.runner = DispatchTaskRunner()
        let derived = try Proposer.circuitos(
            inside: distritos, territory: planning.territory, rules: planning.rules, options: options,
            metric: planning.metric, weights: weights, counts: .populationOverTarget)
        var assignments = plan.assignments
        for (unit, a) in derived.assignments { assignments[unit] = a }
        let count = Set(derived.assignments.values.flatMap(\.circuitos)).count
        let notes =
            [
                "the plan has no circuitos: \(count) circuitos derived inside its \(distritos.count) distritos by the proposer (whole parroquias, about \(planning.rules.circuitoTarget) people each, seed \(options.seed); written to plan_with_circuitos.csv); circuito norms count them"
            ] + derived.notes
        return (Plan(source: plan.source + " (circuitos derived)", assignments: assignments), notes)
    }

    /// Refuses a deficit whose new establishments exceed ``ServiceOptions/maximumNewEstablishments``,
    /// naming the typologies that imply most.
    public static func checkImpliedCount(_ deficit: DeficitAnalysis) throws {
        var byTypology: [String: Double] = [:]
        for r in deficit.rows { byTypology[r.typology, default: 0] += r.missing }
        let total = byTypology.values.reduce(0, +)
        guard total <= Double(ServiceOptions.maximumNewEstablishments) else {
            throw WorkflowError(
                "the catalogue's norms imply \(fmt(total)) new establishments (at most \(ServiceOptions.maximumNewEstablishments) are placed): "
                    + byTypology.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.prefix(5).map {
                        "\($0.key) \(fmt($0.value))"
                    }.joined(separator: ", ") + "; check norm_value and group_share")
        }
    }

    /// Reads the registry, matches each row to its typologies (the catalogue's `matches` on
    /// `typeField`, or `rules`) and places it in a unit (point in polygon on the units layer).
    /// Unmatched and excluded rows and rows outside every unit are listed.
    static func locate(
        _ options: ServiceOptions, planning: LoadedTerritory, catalogue: StandardsCatalogue, rules: RegistryRules?
    ) throws -> ([Planning.Establishment], [(String, Int)], [String]) {
        let points = try CSVPointReader.read(options.establishments).layer
        let type = try rules == nil ? points.requireField(options.typeField) : -1
        let ruleFields = try (rules?.fields ?? []).map { ($0, try points.requireField($0)) }
        let condition = points.fieldIndex(options.conditionField)
        let capacityColumn = points.fieldIndex(options.capacityField)
        var badCapacity: [String] = []
        let id = try options.idField.map { try points.requireField($0) }
        let layer = planning.layer
        let unitField = try layer.requireField(planning.options.unitId)
        let context = GeometryContext()
        let locator = try PolygonLocator(try LayerGeometries(layer, context: context))
        let toLayer = try ProjContext().transform(from: points.crs ?? .wgs84, to: layer.crs ?? .wgs84)
        let kept = Set(catalogue.standards.map(\.typology))
        let nameField = rules?.rules.first { $0.kind == .typology }?.field
        var out: [Planning.Establishment] = []
        var unknown: [String: Int] = [:]
        var outside: [String] = []
        var badCondition: [String] = []
        for (k, f) in points.features.enumerated() {
            guard case .point(let c) = f.geometry else { continue }
            let name = id.map { f.attributes[$0].description } ?? "row \(k + 1)"
            let typologies: [String]
            var provider = Provider.public
            if let rules {
                let verdict = rules.classify { field in
                    ruleFields.first { $0.0 == field }.map { f.attributes[$0.1].description } ?? ""
                }
                if let why = verdict.excludedBecause {
                    unknown["excluded: \(why)", default: 0] += 1
                    continue
                }
                guard !verdict.typologies.isEmpty else {
                    let text = nameField.flatMap { field in ruleFields.first { $0.0 == field } }.map {
                        RegistryRules.normalized(f.attributes[$0.1].description)
                    }
                    let head = (text ?? "").split(separator: " ").prefix(3).joined(separator: " ")
                    unknown["no rule: \(head.isEmpty ? "(empty)" : head)…", default: 0] += 1
                    continue
                }
                // Typologies --only left out are not offer here, and not unknown either.
                typologies = verdict.typologies.filter { kept.contains($0) }
                provider = verdict.provider
                if typologies.isEmpty { continue }
            } else {
                let value = f.attributes[type].description
                guard let standard = catalogue.standard(matching: value) else {
                    unknown[value.isEmpty ? "(empty)" : value, default: 0] += 1
                    continue
                }
                typologies = [standard.typology]
            }
            let stateText = condition.map { f.attributes[$0].description } ?? ""
            guard let state = Condition(registry: stateText) else {
                badCondition.append("\(name) '\(stateText)'")
                continue
            }
            var capacity: Double?
            if let capacityColumn {
                let value = f.attributes[capacityColumn]
                let text = value.description.trimmingCharacters(in: .whitespaces)
                if !value.isNull && !text.isEmpty {
                    guard let v = value.number ?? Double(text), v.isFinite, v >= 0, v <= 1e9 else {
                        badCapacity.append("\(name) '\(text)'")
                        continue
                    }
                    capacity = v
                }
            }
            guard let i = try atRecord(options.establishments, k + 1, { try locator.locate(try toLayer.apply(c)) })
            else {
                outside.append(name)
                continue
            }
            for typology in typologies {
                out.append(
                    Planning.Establishment(
                        id: name, typology: typology, unit: layer.features[i].attributes[unitField].description,
                        condition: state, location: GeoPoint(lon: c.x, lat: c.y), provider: provider,
                        capacity: capacity))
            }
        }
        guard badCapacity.isEmpty else {
            throw PlanningError(
                source: options.establishments,
                "field '\(options.capacityField)': a capacity is a number of people from 0 to 1,000,000,000, or empty",
                units: badCapacity)
        }
        guard badCondition.isEmpty else {
            throw PlanningError(
                source: options.establishments,
                "condition must be good, fair, poor (or buena, regular, mala) or empty", units: badCondition)
        }
        let matched = out.count + outside.count
        if matched > 0, out.isEmpty {
            throw GISError(
                .input, operation: "locate establishments", file: options.establishments,
                message:
                    "all \(matched) matched establishments fall outside every unit: are longitude and latitude swapped, or is the CRS wrong?"
            )
        }
        return (out, unknown.sorted { ($0.value, $1.key) > ($1.value, $0.key) }, outside)
    }
}
