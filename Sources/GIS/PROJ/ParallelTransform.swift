import Foundation

extension CoordinateTransform {
    /// Transforms many coordinates in place on all cores: the array is cut into contiguous
    /// pieces, each transformed with `proj_trans_generic` by its own PROJ context (contexts are
    /// single-threaded: the first piece uses `context`, the others `context`'s kept helper
    /// contexts, while the caller waits), so results equal a single-threaded run. Below
    /// `grain` coordinates the calling thread does it with `context`. A coordinate PROJ cannot transform is an
    /// error naming `file` and `record(index)` of the first such coordinate.
    public static func applyInParallel(
        _ coordinates: inout [Coordinate], from source: CRS, to target: CRS, context: ProjContext,
        file: String? = nil, record: (Int) -> Int = { $0 + 1 }, grain: Int = 65_536
    ) throws {
        let n = coordinates.count
        // Checked once on this thread, so a bad CRS gets its usual message.
        let probe = try context.transform(from: source, to: target)
        if probe.isIdentity || n == 0 { return }
        let pieces = max(1, min(ProcessInfo.processInfo.activeProcessorCount, n / max(1, grain)))
        let size = (n + pieces - 1) / pieces
        let errors = TaskSlots<(Int, GISError)>(count: pieces)
        func describe(_ bad: Int, _ error: Error) -> (Int, GISError) {
            let message = (error as? GISError)?.message ?? "\(error)"
            return (
                bad,
                GISError(
                    .operation, operation: "transform \(source) → \(target)", file: file, record: record(bad),
                    message: message.replacingOccurrences(
                        of: #"coordinate \d+ could not"#, with: "the coordinate could not", options: .regularExpression)
                )
            )
        }
        if pieces == 1 {
            do {
                try probe.apply(&coordinates)
            } catch {
                throw describe(coordinates.firstIndex { !$0.isFinite } ?? 0, error).1
            }
            return
        }
        // Each piece's context is used by that piece's task alone; the caller's is idle meanwhile.
        nonisolated(unsafe) let contexts = [context] + (try context.helperContexts(pieces - 1))
        coordinates.withUnsafeMutableBufferPointer { all in
            nonisolated(unsafe) let buffer = all
            DispatchQueue.concurrentPerform(iterations: pieces) { p in
                let lo = p * size, hi = min(n, lo + size)
                guard lo < hi else { return }
                var slice = Array(buffer[lo..<hi])
                do {
                    try contexts[p].transform(from: source, to: target).apply(&slice)
                    for k in lo..<hi { buffer[k] = slice[k - lo] }
                } catch {
                    errors.set(
                        p,
                        (
                            lo + (slice.firstIndex { !$0.isFinite } ?? 0),
                            error as? GISError ?? GISError(.operation, operation: "transform", message: "\(error)")
                        ))
                }
            }
        }
        if let first = errors.values.lazy.compactMap({ $0 }).first { throw describe(first.0, first.1).1 }
    }
}
