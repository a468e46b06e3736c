import Foundation
import GIS
import Planning

/// How good a plan is at one level, as a territorial analyst scores it: balance against the
/// plan's own average (so plans with different counts compare fairly), also outside the
/// cities whose cantones may be divided, compactness of the dissolved polygons
/// (Polsby–Popper 1991: 4πA / P², 1 for a disc), and the population-weighted mean distance
/// from the people to the seat.
public struct LevelQuality: Sendable {
    public var level: PlanGeometry.Level
    public var count: Int
    /// The plan's own average population per unit.
    public var average: Double
    /// Mean |population − average| / average.
    public var meanAbsDeviation: Double
    /// The same over the units holding no unit of a divisible cantón (nil: none such).
    public var meanAbsDeviationOutsideCities: Double?
    /// How many units lie outside the divisible cities.
    public var countOutsideCities: Int
    /// The same outside the cities, against their own average (the cities' distritos are
    /// exempt from the average, so the rest are balanced among themselves).
    public var outsideCitiesOwn: (average: Double, meanAbsDeviation: Double)?
    /// The least mean absolute deviation at their own average that any plan with as many
    /// units outside the cities can reach when those units are made of the same whole blocks
    /// (cantones for distritos, parroquias and pieces for circuitos): ``wholeBlockBound(blocks:count:)``.
    /// Nil when a block is shared between units (then the argument does not hold).
    public var outsideCitiesBound: Double?
    /// Units beyond ±50 % of the average that have more than one member (a single parroquia
    /// or piece cannot be balanced by the plan), except those below.
    public var beyondHalf: [String]
    /// Circuitos beyond ±50 % with several members that are their distrito's only circuito:
    /// the distrito itself is that far from the circuitos' average (Aguarico, a distrito of
    /// 6,872 people kept apart by the farthest-distance bound), so no division of it into
    /// circuitos could do better; named apart, as exceptions with that reason.
    public var beyondHalfWholeDistrito: [String]
    /// Mean Polsby–Popper score of the dissolved polygons (area and perimeter in a metric
    /// frame; a unit in several polygons counts all of them).
    public var polsbyPopperMean: Double
    /// The same over the units outside the divisible cities (nil: none such).
    public var polsbyPopperOutsideCities: Double?
    /// The unit with the largest population-weighted mean distance to its seat.
    public var worstAccess: (code: String, km: Double)
    /// Units farther than the distance bound on average, made of more than one cantón
    /// (a single cantón alone beyond it is the cantón's own extent).
    public var beyondDistance: [String]
    /// Per unit (distritos only): extent and accessibility against the distance bounds.
    public var extent: [Extent] = []
}

/// A distrito's extent and accessibility: area, mean and farthest distance from its people to
/// the seat, and which distance bound binds it.
public struct Extent: Sendable {
    public var code: String
    public var population: Double
    public var areaKm2: Double
    public var meanKm: Double
    public var farthestKm: Double
    public var cantons: Int
    /// "mean", "farthest", both, "—" (neither within 10 % of its bound), with "beyond" when
    /// past it, or "one cantón (exempt)" for a single cantón past a bound.
    public var binds: String
}

public enum PlanQuality {
    /// Population-weighted mean distance to the seat beyond which a distrito is reported.
    public static let distanceBoundKm = 40.0

    /// Scores both levels of `report` (figures from ``PlanValidator``) with the dissolved
    /// polygons in `layers` (from ``PlanGeometry/dissolve(_:loaded:)``), the distritos against
    /// the distance bounds `meanKm` and `farthestKm` (the proposal's defaults unless given).
    /// O(units + vertices).
    public static func measure(
        _ report: ValidationReport, layers: [PlanGeometry.Level: Layer], loaded: LoadedTerritory,
        meanKm: Double? = 40, farthestKm: Double? = 120
    ) throws -> [LevelQuality] {
        let units = loaded.territory.units
        let index = loaded.territory.index
        let context = GeometryContext()
        let proj = try ProjContext()
        var out: [LevelQuality] = []
        for (level, figures) in [(PlanGeometry.Level.distrito, report.distritos), (.circuito, report.circuitos)] {
            let planned = figures.filter { !$0.code.isEmpty }
            guard !planned.isEmpty else { continue }
            let average = planned.reduce(0) { $0 + $1.population } / Double(planned.count)
            func deviation(_ f: UnitFigures) -> Double { average > 0 ? abs(f.population - average) / average : 0 }
            let inCity = { (f: UnitFigures) in
                f.members.contains { m in
                    guard let i = index[m] else { return false }
                    return loaded.rules.divisibleCantons?.contains(units[i].canton) ?? false
                }
            }
            let outside = planned.filter { !inCity($0) }
            let cantons = { (f: UnitFigures) in Set(f.members.compactMap { index[$0].map { units[$0].canton } }).count }
            var scores: [Double] = []
            var outsideScores: [Double] = []
            let outsideCodes = Set(outside.map(\.code))
            var areas: [String: Double] = [:]
            if let layer = layers[level] {
                let frame = try MetricFrame(for: layer, context: proj)
                let key = try layer.requireField(level.rawValue)
                for f in layer.features where !f.attributes[key].description.isEmpty {
                    guard let g = f.geometry else { continue }
                    let metric = try context.geometry(try frame.toMetric(g))
                    let area = try metric.area(), perimeter = try metric.boundary().length()
                    if perimeter > 0 {
                        let score = 4 * Double.pi * area / (perimeter * perimeter)
                        scores.append(score)
                        if outsideCodes.contains(f.attributes[key].description) { outsideScores.append(score) }
                    }
                    areas[f.attributes[key].description, default: 0] += area / 1e6
                }
            }
            let extent =
                level == .distrito
                ? planned.map { f in
                    Extent(
                        code: f.code, population: f.population, areaKm2: areas[f.code] ?? 0, meanKm: f.accessKm,
                        farthestKm: f.farthestKm, cantons: f.cantons,
                        binds: binding(f, meanKm: meanKm, farthestKm: farthestKm))
                } : []
            let worst = planned.max { ($0.accessKm, $1.code) < ($1.accessKm, $0.code) }
            // The blocks the units outside the cities are made of: whole cantones for distritos,
            // whole units (parroquias, pieces) for circuitos.
            let outsideMembers = outside.flatMap(\.members).compactMap { index[$0] }
            let shared = Set(outsideMembers).count != outsideMembers.count
            let beyond = beyondHalf(
                planned, average: average, distritos: level == .circuito ? report.distritos : nil)
            var blocks: [String: Double] = [:]
            for i in Set(outsideMembers) {
                blocks[level == .distrito ? units[i].canton : units[i].id, default: 0] += Double(units[i].population)
            }
            let bound =
                shared || outside.isEmpty
                ? nil : wholeBlockBound(blocks: blocks.keys.sorted().compactMap { blocks[$0] }, count: outside.count)
            out.append(
                LevelQuality(
                    level: level, count: planned.count, average: average,
                    meanAbsDeviation: planned.reduce(0) { $0 + deviation($1) } / Double(planned.count),
                    meanAbsDeviationOutsideCities: outside.isEmpty
                        ? nil : outside.reduce(0) { $0 + deviation($1) } / Double(outside.count),
                    countOutsideCities: outside.count,
                    outsideCitiesOwn: outside.isEmpty ? nil : ownAverage(outside),
                    outsideCitiesBound: bound,
                    beyondHalf: beyond.rest, beyondHalfWholeDistrito: beyond.wholeDistrito,
                    polsbyPopperMean: scores.isEmpty ? 0 : scores.reduce(0, +) / Double(scores.count),
                    polsbyPopperOutsideCities: outsideScores.isEmpty || outsideScores.count == scores.count
                        ? nil : outsideScores.reduce(0, +) / Double(outsideScores.count),
                    worstAccess: (worst?.code ?? "", worst?.accessKm ?? 0),
                    beyondDistance: planned.filter { $0.accessKm > distanceBoundKm && cantons($0) > 1 }.map(\.code)
                        .sorted(), extent: extent))
        }
        return out
    }

    /// The units of `planned` beyond ±50 % of `average` with more than one member, sorted
    /// codes, split into the circuitos that are their distrito's only circuito (given the
    /// `distritos`, whose members tell each circuito's distrito) and the rest. O(members).
    static func beyondHalf(_ planned: [UnitFigures], average: Double, distritos: [UnitFigures]?)
        -> (rest: [String], wholeDistrito: [String])
    {
        var distritoOfUnit: [String: String] = [:]
        for f in distritos ?? [] where !f.code.isEmpty { for m in f.members { distritoOfUnit[m] = f.code } }
        let distritoOf = { (f: UnitFigures) in f.members.first.flatMap { distritoOfUnit[$0] } }
        var circuitos: [String: Int] = [:]
        for f in planned { if let d = distritoOf(f) { circuitos[d, default: 0] += 1 } }
        let beyond = planned.filter { f in
            average > 0 && abs(f.population - average) / average > 0.5 && f.members.count > 1
        }
        let alone = { (f: UnitFigures) in distritoOf(f).map { circuitos[$0] == 1 } ?? false }
        return (beyond.filter { !alone($0) }.map(\.code).sorted(), beyond.filter(alone).map(\.code).sorted())
    }

    /// A lower bound on the mean absolute deviation from their own average A = ΣP / K of any K
    /// parts made of whole `blocks` (populations summing to ΣP): the deviations above A add up
    /// to those below (Σ (P − A) = 0), and a part holding a block larger than A exceeds A by at
    /// least that block's excess (blocks in one part add up), so
    /// MAD ≥ 2 Σ_{b > A} (b − A) / (K · A). It shows what whole cantones make unavoidable: no
    /// plan keeping them whole can balance better. O(blocks).
    public static func wholeBlockBound(blocks: [Double], count: Int) -> Double {
        let total = blocks.reduce(0, +)
        guard count > 0, total > 0 else { return 0 }
        let average = total / Double(count)
        let excess = blocks.reduce(0) { $0 + max(0, $1 - average) }
        return 2 * excess / (Double(count) * average)
    }

    /// Which distance bound binds a distrito: within 10 % of it ("mean", "farthest", both), past
    /// it (the same with "beyond"), or "one cantón (exempt)" when a single cantón is past one.
    /// A distrito of several cantones past the farthest bound no farther than one of its
    /// cantones reaches alone (``UnitFigures/cantonExtentKm``) is under the bound's exception
    /// ("unless a single cantón alone exceeds it"): "farthest (one of its cantones alone reaches
    /// as far: exempt)".
    static func binding(_ f: UnitFigures, meanKm: Double?, farthestKm: Double?) -> String {
        var near: [String] = [], past = false, exempt = false
        for (name, value, bound) in [("mean", f.accessKm, meanKm), ("farthest", f.farthestKm, farthestKm)] {
            guard let bound, value >= 0.9 * bound else { continue }
            near.append(name)
            guard value > bound else { continue }
            if name == "farthest" && f.cantons > 1 && value <= f.cantonExtentKm + 1e-6 {
                exempt = true
            } else {
                past = true
            }
        }
        if near.isEmpty { return "—" }
        if past && f.cantons == 1 { return "one cantón (exempt)" }
        return near.joined(separator: ", ")
            + (past ? " (beyond)" : exempt ? " (one of its cantones alone reaches as far: exempt)" : "")
    }

    static func ownAverage(_ figures: [UnitFigures]) -> (Double, Double) {
        let average = figures.reduce(0) { $0 + $1.population } / Double(figures.count)
        guard average > 0 else { return (0, 0) }
        return (average, figures.reduce(0) { $0 + abs($1.population - average) / average } / Double(figures.count))
    }

    /// One line per level for the console.
    public static func lines(_ quality: [LevelQuality]) -> [String] {
        quality.map { q in
            "\(q.level.rawValue)s at their own average \(fmt(q.average)): mean |dev| \(fmt(q.meanAbsDeviation * 100, 1)) %"
                + (q.meanAbsDeviationOutsideCities.map { ", outside the divisible cities \(fmt($0 * 100, 1)) %" } ?? "")
                + (q.outsideCitiesOwn.map { own in
                    " (\(fmt(own.meanAbsDeviation * 100, 1)) % at their own average \(fmt(own.average))"
                        + (q.outsideCitiesBound.map {
                            "; no plan of whole \(q.level == .distrito ? "cantones" : "units") with \(q.countOutsideCities) there can go below \(fmt($0 * 100, 1)) %"
                        } ?? "") + ")"
                } ?? "")
                + "; beyond ±50 % with several members: \(q.beyondHalf.count)\(wholeDistritoNote(q)); Polsby–Popper mean \(fmt(q.polsbyPopperMean, 3))\(q.polsbyPopperOutsideCities.map { " (outside the divisible cities " + fmt($0, 3) + ")" } ?? ""); worst mean distance to seat \(fmt(q.worstAccess.km, 1)) km (\(q.worstAccess.code)); several cantones beyond \(fmt(distanceBoundKm)) km: \(q.beyondDistance.count)"
        }
    }

    /// " (and N, each its distrito's only circuito: codes)" when there are such circuitos.
    static func wholeDistritoNote(_ q: LevelQuality) -> String {
        let codes = q.beyondHalfWholeDistrito
        guard !codes.isEmpty else { return "" }
        let listed = codes.prefix(12).joined(separator: ", ") + (codes.count > 12 ? ", …" : "")
        return
            " (and \(codes.count) that \(codes.count == 1 ? "is its distrito's" : "are each its distrito's") only circuito, the distrito itself that far from the average: \(listed))"
    }

    /// Where the distances start (the people of each unit, at the point `loaded` placed them)
    /// and how they run (``LoadedTerritory/metricNote``): one paragraph for report.md.
    public static func peopleAt(_ loaded: LoadedTerritory) -> String {
        (loaded.peoplePlacement.map { "Where the people are: " + $0.sentence + "." }
            ?? "Where the people are: each unit's people at its polygon's interior point (GEOS point on surface); `--people-points` places them where points standing for them gather.")
            + " " + loaded.metricNote
    }

    /// A Markdown section for report.md; `peopleAt` (``peopleAt(_:)``) says where the distances start.
    public static func markdown(_ quality: [LevelQuality], peopleAt: String) -> String {
        var md =
            "\n## Quality\n\nBalance against the plan's own average; Polsby–Popper 4πA/P² on the dissolved polygons; population-weighted mean distance from the people to the seat.\n\n| level | units | own average | mean abs. deviation | outside divisible cities | the same at their own average | beyond ±50 % (several members) | Polsby–Popper mean | worst mean distance to seat | several cantones beyond \(fmt(distanceBoundKm)) km |\n|---|---:|---:|---:|---:|---:|---|---:|---|---|\n"
        for q in quality {
            md +=
                "| \(q.level.rawValue) | \(q.count) | \(fmt(q.average)) | \(fmt(q.meanAbsDeviation * 100, 1)) % | \(q.meanAbsDeviationOutsideCities.map { fmt($0 * 100, 1) + " %" } ?? "–") | \(q.outsideCitiesOwn.map { fmt($0.meanAbsDeviation * 100, 1) + " % of " + fmt($0.average) } ?? "–")\(q.outsideCitiesBound.map { " (bound " + fmt($0 * 100, 1) + " %)" } ?? "") | \(q.beyondHalf.count)\(q.beyondHalf.isEmpty ? "" : ": " + q.beyondHalf.prefix(12).joined(separator: ", ") + (q.beyondHalf.count > 12 ? ", …" : ""))\(wholeDistritoNote(q)) | \(fmt(q.polsbyPopperMean, 3))\(q.polsbyPopperOutsideCities.map { " (outside the cities " + fmt($0, 3) + ")" } ?? "") | \(fmt(q.worstAccess.km, 1)) km (\(q.worstAccess.code)) | \(q.beyondDistance.isEmpty ? "0" : q.beyondDistance.joined(separator: ", ")) |\n"
        }
        for q in quality where !q.extent.isEmpty {
            md +=
                "\n## Extent and accessibility of the distritos\n\nPopulation-weighted mean and farthest distance from the people of a distrito's parroquias to its seat (the most populous), against the distance bounds; a bound binds within 10 % of it. A single cantón past a bound is exempt: it is whole. \(peopleAt)\n\n| distrito | population | area (km²) | cantones | mean to seat (km) | farthest (km) | binds |\n|---|---:|---:|---:|---:|---:|---|\n"
            for e in q.extent {
                md +=
                    "| \(e.code) | \(fmt(e.population)) | \(fmt(e.areaKm2)) | \(e.cantons) | \(fmt(e.meanKm, 1)) | \(fmt(e.farthestKm, 1)) | \(e.binds) |\n"
            }
        }
        return md
    }
}
