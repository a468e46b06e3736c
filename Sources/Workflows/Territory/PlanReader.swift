import Foundation
import GIS
import Planning

/// Reads a plan from a CSV (unit → distrito[, circuito]) or from polygons with `distrito`
/// (and optionally `circuito`) fields: each unit goes to the polygon holding its interior
/// point (``PolygonLocator``, an STRtree of prepared polygons).
public enum PlanReader {
    /// The plan in `path`; an empty plan (no unit with a distrito) is an error naming the file.
    public static func read(_ path: String, territory loaded: LoadedTerritory) throws -> Plan {
        let plan = try readAny(path, territory: loaded)
        guard !plan.assignments.isEmpty else {
            throw PlanningError(source: path, "the plan assigns no parroquia to a distrito")
        }
        return plan
    }

    static func readAny(_ path: String, territory loaded: LoadedTerritory) throws -> Plan {
        guard !path.lowercased().hasSuffix(".csv") else {
            let table = try CSVTable.read(path)
            return try Plan.read(header: table.header, rows: table.rows, source: path)
        }
        let polygons = try LayerIO.read(path)
        guard let distrito = polygons.fieldIndex("distrito") else {
            throw GISError(
                .usage, operation: "read plan polygons", file: path, field: "distrito",
                message:
                    "plan polygons need a 'distrito' field; they have: \(polygons.fields.map(\.name).joined(separator: ", "))"
            )
        }
        let circuito = polygons.fieldIndex("circuito")
        let context = GeometryContext()
        let locator = try PolygonLocator(try LayerGeometries(polygons, context: context))
        let toPlan = try ProjContext().transform(from: .wgs84, to: polygons.crs ?? .wgs84)
        var assignments: [String: Plan.Assignment] = [:]
        for u in loaded.territory.units {
            let i: Int?
            do {
                i = try locator.locate(try toPlan.apply(Coordinate(u.location.lon, u.location.lat)))
            } catch var error as GISError {
                error.message = "the seat of parroquia \(u.id): \(error.message)"
                throw error.inFile(path)
            }
            guard let i else { continue }
            let f = polygons.features[i]
            let d = f.attributes[distrito].description
            guard !d.isEmpty else { continue }
            let c = circuito.map { f.attributes[$0].description } ?? ""
            assignments[u.id] = Plan.Assignment(distritos: [d], circuitos: c.isEmpty ? [] : [c])
        }
        return Plan(source: path, assignments: assignments)
    }
}
