import CShapelib
import Foundation

/// shapelib file hooks whose `Error` records the message for the calling thread instead of
/// printing it to stderr (`SASetupDefaultHooks`, then `Error` replaced). shapelib's `Error`
/// has no `userdata`, so the message goes through thread-local storage.
enum ShapelibHooks {
    private static let key = "territorio.shapelib.error"

    static func make() -> SAHooks {
        var hooks = SAHooks()
        SASetupDefaultHooks(&hooks)
        hooks.Error = { message in
            guard let message else { return }
            Thread.current.threadDictionary[ShapelibHooks.key] = String(cString: message)
        }
        return hooks
    }

    /// The last message shapelib reported on this thread (cleared), if any.
    static func takeMessage() -> String? {
        let dict = Thread.current.threadDictionary
        defer { dict.removeObject(forKey: key) }
        return dict[key] as? String
    }
}
