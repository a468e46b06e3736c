import Foundation
import Testing
@testable import GIS

/// Counts live instances, to see results released with their array.
final class Tracked: @unchecked Sendable {
    nonisolated(unsafe) static var live = 0
    static let lock = NSLock()
    let value: Int
    init(_ value: Int) {
        self.value = value
        Self.lock.lock()
        Self.live += 1
        Self.lock.unlock()
    }
    deinit {
        Self.lock.lock()
        Self.live -= 1
        Self.lock.unlock()
    }
}

@Suite("parallelMap", .serialized)
struct ParallelMapTests {
    @Test func keepsOrderAndReleasesEveryResult() {
        let before = Tracked.live
        do {
            let out = parallelMap(Array(0..<50_000)) { [Tracked($0)] }
            #expect(out.count == 50_000)
            #expect(out.enumerated().allSatisfy { $0.offset == $0.element[0].value })
            #expect(Tracked.live - before == 50_000)
        }
        // The leak this catches: results kept in a raw buffer deallocated without deinitializing.
        #expect(Tracked.live == before, "\(Tracked.live - before) results leaked")
    }
}
