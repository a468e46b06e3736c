import CGEOS

/// Collects GEOS messages for one context; reached from C through the handler's `userdata`.
final class GEOSMessages {
    var lastError: String?
    var lastNotice: String?
}

/// A GEOS context (`GEOS_init_r`), the factory of ``Geometry`` values.
///
/// GEOS contexts are single-threaded: a context and every geometry made in it must stay on
/// one task. To move geometries between tasks, pass their ``GeometryValue`` or WKB and
/// rebuild them in that task's own context. The context lives at least as long as its
/// geometries (each geometry keeps a strong reference to it).
public final class GeometryContext {
    let handle: OpaquePointer
    let messages = GEOSMessages()

    /// Creates a context with error and notice handlers that record GEOS's messages
    /// (`GEOS_init_r`, `GEOSContext_setErrorMessageHandler_r`).
    public init() {
        // GEOS_init_r only fails when malloc fails; there is no recovery from that.
        guard let handle = GEOS_init_r() else { preconditionFailure("GEOS_init_r: out of memory") }
        self.handle = handle
        let box = Unmanaged.passUnretained(messages).toOpaque()
        GEOSContext_setErrorMessageHandler_r(
            handle,
            { message, userdata in
                guard let message, let userdata else { return }
                Unmanaged<GEOSMessages>.fromOpaque(userdata).takeUnretainedValue().lastError =
                    String(cString: message)
            }, box)
        GEOSContext_setNoticeMessageHandler_r(
            handle,
            { message, userdata in
                guard let message, let userdata else { return }
                Unmanaged<GEOSMessages>.fromOpaque(userdata).takeUnretainedValue().lastNotice =
                    String(cString: message)
            }, box)
    }

    deinit {
        GEOS_finish_r(handle)
    }

    /// Takes and clears the last error GEOS reported.
    func takeError() -> String {
        defer { messages.lastError = nil }
        return messages.lastError ?? "GEOS reported no message"
    }

    /// Wraps an owned GEOS pointer, or throws the recorded GEOS error when it is NULL.
    func own(_ pointer: OpaquePointer?, _ operation: String) throws -> Geometry {
        guard let pointer else { throw GISError(.operation, operation: operation, message: takeError()) }
        return Geometry(owning: pointer, in: self)
    }

    /// Interprets a GEOS predicate result (0 false, 1 true, 2 exception).
    func predicate(_ result: CChar, _ operation: String) throws -> Bool {
        switch result {
        case 0: return false
        case 1: return true
        default: throw GISError(.operation, operation: operation, message: takeError())
        }
    }

    /// Interprets a GEOS status-returning measure (0 = exception).
    func measure(
        _ operation: String, _ body: (UnsafeMutablePointer<Double>) -> Int32
    ) throws -> Double {
        var value = 0.0
        guard body(&value) != 0 else {
            throw GISError(.operation, operation: operation, message: takeError())
        }
        return value
    }
}

@available(*, unavailable, message: "GEOS contexts are single-threaded; pass GeometryValue or WKB")
extension GeometryContext: Sendable {}
