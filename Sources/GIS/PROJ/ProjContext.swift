import CPROJ
import Foundation

/// Collects PROJ's log lines for one context (`proj_log_func` userdata).
final class ProjLog {
    var messages: [String] = []
}

/// A PROJ thread context (`proj_context_create`) with its log captured, so errors carry
/// PROJ's real message ("crs not found") rather than `proj_context_errno_string`'s
/// "Unknown error". Single-threaded: make one per task.
///
/// A context keeps what it made: CRS objects by definition, equivalence verdicts and
/// coordinate operations by (source, target), so asking again costs a dictionary lookup
/// instead of a `proj.db` query (each `proj_create` of an authority code and each
/// `proj_create_crs_to_crs` reads the SQLite database: milliseconds apiece). It also keeps the
/// helper contexts ``CoordinateTransform/applyInParallel`` hands to other threads.
public final class ProjContext {
    let pointer: OpaquePointer
    let log = ProjLog()
    /// `proj_create` results by definition, owned here (destroyed with the context).
    private var crsObjects: [CRS: OpaquePointer] = [:]
    private var equivalences: [OperationKey: Bool] = [:]
    /// Normalised operations by (source, target); nil for equivalent CRSs. Owned here.
    private var operations: [OperationKey: OpaquePointer?] = [:]
    /// Contexts for other threads, made on first need and reused.
    private var helpers: [ProjContext] = []

    private struct OperationKey: Hashable {
        var source: CRS
        var target: CRS
    }

    public init() throws {
        guard let ctx = proj_context_create() else {
            throw GISError(.operation, operation: "proj_context_create", message: "PROJ could not start")
        }
        pointer = ctx
        proj_log_level(ctx, PJ_LOG_ERROR)
        proj_log_func(
            ctx, Unmanaged.passUnretained(log).toOpaque(),
            { userdata, _, message in
                guard let userdata, let message else { return }
                Unmanaged<ProjLog>.fromOpaque(userdata).takeUnretainedValue().messages.append(
                    String(cString: message))
            })
    }

    deinit {
        for case let pj? in operations.values { proj_destroy(pj) }
        for pj in crsObjects.values { proj_destroy(pj) }
        proj_context_destroy(pointer)
    }

    /// PROJ's last logged message (cleared), or the errno text as a fallback.
    func takeMessage() -> String {
        defer { log.messages.removeAll() }
        if let last = log.messages.last { return last }
        let errno = proj_context_errno(pointer)
        if errno != 0, let s = proj_context_errno_string(pointer, errno) { return String(cString: s) }
        return "PROJ gave no reason"
    }

    /// The PROJ object for a CRS definition (`proj_create`), made once per context and owned
    /// by it: callers must not destroy it.
    func crsObject(_ crs: CRS) throws -> OpaquePointer {
        if let pj = crsObjects[crs] { return pj }
        guard let pj = proj_create(pointer, crs.definition) else {
            throw GISError(.usage, operation: "read CRS '\(crs)'", message: takeMessage())
        }
        guard proj_is_crs(pj) != 0 else {
            proj_destroy(pj)
            throw GISError(.usage, operation: "read CRS '\(crs)'", message: "not a coordinate reference system")
        }
        crsObjects[crs] = pj
        return pj
    }

    /// Name, identifier, kind and unit of a CRS (`proj_get_name`, `proj_identify`,
    /// `proj_cs_get_axis_info`, `proj_as_wkt`).
    public func describe(_ crs: CRS) throws -> CRSInfo {
        try describe(crs, identifying: true)
    }

    /// `describe`; without `identifying`, the authority code is not looked up in PROJ's
    /// database (`proj_identify` scans it: tens of milliseconds for an ESRI .prj) and the ESRI
    /// WKT is not made — enough to validate a CRS and know whether it is geographic.
    public func describe(_ crs: CRS, identifying: Bool) throws -> CRSInfo {
        let key = CRSDescriptions.Key(crs: crs, identifying: identifying)
        if let known = CRSDescriptions.shared.lookup(key) { return known }
        let pj = try crsObject(crs)
        let name = proj_get_name(pj).map { String(cString: $0) } ?? "unnamed"
        let type = proj_get_type(pj)
        let geographic = [PJ_TYPE_GEOGRAPHIC_2D_CRS, PJ_TYPE_GEOGRAPHIC_3D_CRS, PJ_TYPE_GEOGRAPHIC_CRS]
            .contains(type)
        let info = CRSInfo(
            name: name, identifier: identifying ? identify(pj) : nil, isGeographic: geographic, unit: axisUnit(pj),
            esriWKT: identifying ? proj_as_wkt(pointer, pj, PJ_WKT1_ESRI, nil).map { String(cString: $0) } : nil,
            ogcWKT: identifying ? proj_as_wkt(pointer, pj, PJ_WKT1_GDAL, nil).map { String(cString: $0) } : nil)
        CRSDescriptions.shared.store(info, for: key)
        return info
    }

    /// Whether two definitions denote the same CRS, ignoring the axis order of geographic
    /// CRSs (`proj_is_equivalent_to_with_ctx`).
    public func equivalent(_ a: CRS, _ b: CRS) throws -> Bool {
        if a == b { return true }
        let key = OperationKey(source: a, target: b)
        if let known = equivalences[key] { return known }
        let pa = try crsObject(a)
        let pb = try crsObject(b)
        let verdict =
            proj_is_equivalent_to_with_ctx(pointer, pa, pb, PJ_COMP_EQUIVALENT_EXCEPT_AXIS_ORDER_GEOGCRS) != 0
        equivalences[key] = verdict
        return verdict
    }

    /// The normalised operation from `source` to `target` (`proj_create_crs_to_crs_from_pj`,
    /// which `proj_create_crs_to_crs` itself calls after parsing both definitions, then
    /// `proj_normalize_for_visualization`), made once per context and owned by it; nil when
    /// the CRSs are equivalent. Both definitions are validated first so a bad one gets its
    /// own message.
    func operation(from source: CRS, to target: CRS) throws -> OpaquePointer? {
        let key = OperationKey(source: source, target: target)
        if let known = operations[key] { return known }
        let from = try crsObject(source)
        let to = try crsObject(target)
        if try equivalent(source, target) {
            operations[key] = .some(nil)
            return nil
        }
        guard let raw = proj_create_crs_to_crs_from_pj(pointer, from, to, nil, nil) else {
            throw GISError(.usage, operation: "transform \(source) → \(target)", message: takeMessage())
        }
        defer { proj_destroy(raw) }
        guard let normalized = proj_normalize_for_visualization(pointer, raw) else {
            throw GISError(.usage, operation: "transform \(source) → \(target)", message: takeMessage())
        }
        operations[key] = .some(normalized)
        return normalized
    }

    /// `count` contexts for other threads (one each), kept and reused across calls.
    func helperContexts(_ count: Int) throws -> [ProjContext] {
        while helpers.count < count { helpers.append(try ProjContext()) }
        return Array(helpers.prefix(count))
    }

    private func identify(_ pj: OpaquePointer) -> String? {
        if let auth = proj_get_id_auth_name(pj, 0), let code = proj_get_id_code(pj, 0) {
            return "\(String(cString: auth)):\(String(cString: code))"
        }
        var confidence: UnsafeMutablePointer<Int32>?
        guard let list = proj_identify(pointer, pj, "EPSG", nil, &confidence) else { return nil }
        defer {
            proj_list_destroy(list)
            proj_int_list_destroy(confidence)
        }
        guard proj_list_get_count(list) > 0, let confidence, confidence[0] >= 70,
            let best = proj_list_get(pointer, list, 0)
        else { return nil }
        defer { proj_destroy(best) }
        guard let code = proj_get_id_code(best, 0) else { return nil }
        return "EPSG:\(String(cString: code))"
    }

    private func axisUnit(_ pj: OpaquePointer) -> String? {
        guard let cs = proj_crs_get_coordinate_system(pointer, pj) else { return nil }
        defer { proj_destroy(cs) }
        var unit: UnsafePointer<CChar>?
        guard proj_cs_get_axis_info(pointer, cs, 0, nil, nil, nil, nil, &unit, nil, nil) != 0 else { return nil }
        return unit.map { String(cString: $0) }
    }

    /// A transform between two CRSs with x = longitude/easting on both sides.
    public func transform(from source: CRS, to target: CRS) throws -> CoordinateTransform {
        try CoordinateTransform(context: self, from: source, to: target)
    }
}

@available(*, unavailable, message: "PROJ contexts are single-threaded; make one per task")
extension ProjContext: Sendable {}
