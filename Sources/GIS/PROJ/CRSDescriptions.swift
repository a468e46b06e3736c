import Foundation

/// What ``ProjContext/describe(_:identifying:)`` found for each CRS definition, shared by
/// every context of the process. A description depends on the definition and PROJ's database
/// only, and making it can scan that database (`proj_identify` on an ESRI `.prj`: tens of
/// milliseconds), while a run describes the same few CRSs many times from fresh contexts
/// (each reader, writer and task makes its own). Guarded by a lock; entries are never evicted
/// (a run meets a handful of CRSs).
final class CRSDescriptions: @unchecked Sendable {
    struct Key: Hashable {
        var crs: CRS
        var identifying: Bool
    }

    static let shared = CRSDescriptions()

    private var known: [Key: CRSInfo] = [:]
    private let lock = NSLock()

    func lookup(_ key: Key) -> CRSInfo? {
        lock.lock()
        defer { lock.unlock() }
        return known[key]
    }

    func store(_ info: CRSInfo, for key: Key) {
        lock.lock()
        known[key] = info
        lock.unlock()
    }
}
