import Foundation

/// A plan: for each unit, its distrito (several when a big parish is split between
/// distritos, as the official plan does for city cabeceras) and, optionally, its circuito(s).
public struct Plan: Sendable {
    public struct Assignment: Sendable, Hashable {
        public var distritos: [String]
        public var circuitos: [String]
        public init(distritos: [String], circuitos: [String] = []) {
            self.distritos = distritos
            self.circuitos = circuitos
        }
    }

    public var source: String
    public var assignments: [String: Assignment]
    public var hasCircuitos: Bool { assignments.values.contains { !$0.circuitos.isEmpty } }

    public init(source: String, assignments: [String: Assignment]) {
        self.source = source
        self.assignments = assignments
    }

    /// Reads plan rows: a unit column (`dpa_parroq`, `parroquia`, `unit` or the first column),
    /// `distrito`, optional `circuito`, optional `distritos_all` / `circuitos_all` (`;`-separated,
    /// for split units). Duplicate rows are an error; rows without a distrito are left out.
    public static func read(header: [String], rows: [[String]], source: String) throws -> Plan {
        let lower = header.map { $0.lowercased() }
        let unitColumn = ["dpa_parroq", "parroquia", "unit", "id"].compactMap { lower.firstIndex(of: $0) }.first ?? 0
        guard let distrito = lower.firstIndex(of: "distrito") else {
            throw PlanningError(
                source: source, "a plan needs a 'distrito' column; it has: \(header.joined(separator: ", "))")
        }
        let circuito = lower.firstIndex(of: "circuito")
        let distritosAll = lower.firstIndex(of: "distritos_all")
        let circuitosAll = lower.firstIndex(of: "circuitos_all")
        var out: [String: Assignment] = [:]
        var duplicates: [String] = []
        for row in rows {
            func cell(_ i: Int?) -> String {
                i.flatMap { $0 < row.count ? row[$0].trimmingCharacters(in: .whitespaces) : nil } ?? ""
            }
            let unit = cell(unitColumn)
            guard !unit.isEmpty else { continue }
            let d = cell(distrito)
            guard !d.isEmpty else { continue }
            let all = cell(distritosAll).split(separator: ";").map { String($0) }
            let c = cell(circuito)
            let cAll = cell(circuitosAll).split(separator: ";").map { String($0) }
            if out[unit] != nil { duplicates.append(unit) }
            out[unit] = Assignment(
                distritos: all.isEmpty ? [d] : all, circuitos: cAll.isEmpty ? (c.isEmpty ? [] : [c]) : cAll)
        }
        guard duplicates.isEmpty else {
            throw PlanningError(source: source, "units listed more than once", units: duplicates)
        }
        return Plan(source: source, assignments: out)
    }

    /// CSV text: `dpa_parroq,distrito,circuito,distritos_all,circuitos_all`, sorted by unit.
    public func csv() -> String {
        var lines = ["dpa_parroq,distrito,circuito,distritos_all,circuitos_all"]
        for (unit, a) in assignments.sorted(by: { $0.key < $1.key }) {
            lines.append(
                [
                    unit, a.distritos.first ?? "", a.circuitos.first ?? "",
                    a.distritos.count > 1 ? a.distritos.joined(separator: ";") : "",
                    a.circuitos.count > 1 ? a.circuitos.joined(separator: ";") : "",
                ].joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The plan over whole parroquias when it was made over pieces (`PARENT-NNN` ids from
    /// splitting): each parent not itself in `known` takes the codes of its pieces, the code
    /// holding most pieces first (the one a comparison counts it under). Ids that are not
    /// pieces of a known parent are kept as they are.
    public func collapsingPieces(known: Set<String>) -> Plan {
        var out: [String: Assignment] = [:]
        var pieces: [String: [Assignment]] = [:]
        for (id, a) in assignments {
            if !known.contains(id), let dash = id.lastIndex(of: "-"), known.contains(String(id[..<dash])) {
                pieces[String(id[..<dash]), default: []].append(a)
            } else {
                out[id] = a
            }
        }
        func ranked(_ codes: [String]) -> [String] {
            var count: [String: Int] = [:]
            for c in codes { count[c, default: 0] += 1 }
            return count.keys.sorted { (count[$0] ?? 0, $1) > (count[$1] ?? 0, $0) }
        }
        for (parent, list) in pieces where out[parent] == nil {
            out[parent] = Assignment(
                distritos: ranked(list.flatMap(\.distritos)), circuitos: ranked(list.flatMap(\.circuitos)))
        }
        return Plan(source: source, assignments: out)
    }
}
