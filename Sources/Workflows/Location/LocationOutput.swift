import GIS
import Planning

extension LocationOutcome {
    /// Weight each site serves and the number of demand points it serves.
    var load: [(weight: Double, points: Int)] {
        var out = [(weight: Double, points: Int)](repeating: (0, 0), count: sites.count)
        for allocations in solution.assignment {
            for a in allocations {
                out[a.site].weight += a.weight
                out[a.site].points += 1
            }
        }
        return out
    }

    /// Site indices written: the new ones, then the fixed ones.
    var listed: [(index: Int, status: String)] {
        solution.open.map { ($0, "new") } + (sites.count - fixedCount..<sites.count).map { ($0, "fixed") }
    }

    /// The objective in words, with its unit.
    public var objectiveLine: String {
        let s = solution
        let unit = settings.unit
        func share(_ v: Double) -> String { JSONText.fixed(100 * v / max(totalWeight, 1e-12), decimals: 2) + " %" }
        switch question {
        case .maximalCovering(let p, let r):
            return
                "\(p) sites within \(JSONText.number(r)) \(unit): \(JSONText.fixed(s.objective, decimals: 1)) covered (\(share(s.objective)) of \(JSONText.fixed(totalWeight, decimals: 1)))"
        case .median(let p):
            return
                "\(p) sites: \(JSONText.fixed(s.objective / max(totalWeight, 1e-12), decimals: 4)) \(unit) per unit of weight (total \(JSONText.fixed(s.objective, decimals: 1)))"
        case .setCovering(let r):
            return "\(Int(s.objective.rounded())) sites put every coverable demand point within \(JSONText.number(r)) \(unit)"
        case .center(let p):
            return "\(p) sites: every demand point within \(JSONText.fixed(s.objective, decimals: 4)) \(unit)"
        }
    }

    /// sites.csv, sites.geojson, assignment.csv and summary.json into `out`.
    public func write(into out: OutputSet) throws {
        let load = self.load
        let capacitated = settings.capacity != nil
        var csv = ["site,status,lon,lat,served,demand_points,capacity"]
        var features: [Feature] = []
        for (j, status) in listed {
            let site = sites[j]
            let capacity = capacitated && site.weight.isFinite ? JSONText.number(site.weight) : ""
            csv.append(
                [
                    CSVText.field(site.name), status, JSONText.fixed(site.lonLat.x, decimals: 7),
                    JSONText.fixed(site.lonLat.y, decimals: 7), JSONText.fixed(load[j].weight, decimals: 3),
                    String(load[j].points), capacity,
                ].joined(separator: ","))
            features.append(
                Feature(
                    geometry: .point(site.lonLat),
                    attributes: [
                        .text(site.name), .text(status), .decimal((load[j].weight * 1000).rounded() / 1000),
                        .integer(Int64(load[j].points)),
                    ]))
        }
        try out.write(csv.joined(separator: "\n") + "\n", to: "sites.csv")
        try GeoJSONWriter().write(
            Layer(
                source: "locate-facilities", kind: .point, crs: .wgs84,
                fields: [
                    Field("site", .text), Field("status", .text), Field("served", .decimal),
                    Field("demand_points", .integer),
                ], features: features), to: out.path("sites.geojson"))
        var assignment = ["demand,weight,site,served,distance_\(settings.unit == "km" ? "km" : "minutes")"]
        for (i, point) in demand.enumerated() {
            let allocations = solution.assignment[i]
            if allocations.isEmpty {
                assignment.append("\(CSVText.field(point.name)),\(JSONText.number(point.weight)),,0,")
            }
            for a in allocations {
                assignment.append(
                    [
                        CSVText.field(point.name), JSONText.number(point.weight), CSVText.field(sites[a.site].name),
                        JSONText.fixed(a.weight, decimals: 3), JSONText.fixed(a.distance, decimals: 4),
                    ].joined(separator: ","))
            }
        }
        try out.write(assignment.joined(separator: "\n") + "\n", to: "assignment.csv")
        try out.write(summaryJSON, to: "summary.json")
    }

    /// The run as JSON: question, parameters, objective, bound, gap, method, reductions, counts.
    var summaryJSON: String {
        let s = solution
        var fields: [(String, String)] = [
            ("problem", JSONText.quoted(settings.problem.rawValue)),
            ("question", JSONText.quoted(question.name)),
            ("distance", JSONText.quoted(settings.distance.rawValue)),
            ("solver", JSONText.quoted(settings.solver.rawValue)),
            ("unit", JSONText.quoted(settings.unit)),
        ]
        if settings.distance == .planar { fields.append(("crs", JSONText.quoted(settings.planarCRS.description))) }
        if let p = question.siteCount { fields.append(("sites", String(p))) }
        if let r = question.radius { fields.append(("radius", JSONText.number(r))) }
        fields += [
            ("demand_points", String(demand.count)),
            ("demand_weight", JSONText.number(totalWeight)),
            ("candidates", String(sites.count - fixedCount)),
            ("fixed_sites", String(fixedCount)),
            ("capacitated", settings.capacity == nil ? "false" : "true"),
            ("opened", String(s.open.count)),
            ("objective", JSONText.number(s.objective)),
            ("bound", JSONText.number(s.bound)),
            ("gap", JSONText.number(s.gap)),
            ("proven_optimal", s.provenOptimal ? "true" : "false"),
            ("method", JSONText.quoted(s.method)),
            ("reductions", "[" + s.reductions.map(JSONText.quoted).joined(separator: ", ") + "]"),
            ("unservable", "[" + s.unservable.map { JSONText.quoted(demand[$0].name) }.joined(separator: ", ") + "]"),
            ("notes", "[" + notes.map(JSONText.quoted).joined(separator: ", ") + "]"),
            ("summary", JSONText.quoted(objectiveLine)),
        ]
        return "{\n" + fields.map { "  \(JSONText.quoted($0.0)): \($0.1)" }.joined(separator: ",\n") + "\n}\n"
    }
}
