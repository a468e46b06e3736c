import Foundation

/// Writes outputs atomically: content goes to a temporary file in the destination folder,
/// then `rename(2)` puts it in place, so a reader never sees half a file and a failed run
/// leaves the previous output intact.
public enum AtomicFile {
    /// A temporary path beside `path` (same folder, so the rename stays on one file system).
    static func temporaryPath(for path: String) -> String {
        let url = URL(fileURLWithPath: path)
        let name = ".\(url.lastPathComponent).tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        return url.deletingLastPathComponent().appendingPathComponent(name).path
    }

    /// Creates the folder that will hold `path`, if needed.
    public static func ensureFolder(of path: String) throws { try ensureParent(of: path) }

    static func ensureParent(of path: String) throws {
        let dir = URL(fileURLWithPath: path).deletingLastPathComponent().path
        do {
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        } catch {
            throw GISError(.output, operation: "create folder", file: dir, message: "\(error.localizedDescription)")
        }
    }

    /// Renames `temporary` onto `path` (`rename(2)`).
    static func commit(_ temporary: String, to path: String) throws {
        guard rename(temporary, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw GISError(.output, operation: "write", file: path, message: reason)
        }
    }

    /// Writes `data` to `path` atomically.
    public static func write(_ data: Data, to path: String) throws {
        try ensureParent(of: path)
        let tmp = temporaryPath(for: path)
        guard FileManager.default.createFile(atPath: tmp, contents: data) else {
            throw GISError(.output, operation: "write", file: path, message: "cannot create file")
        }
        try commit(tmp, to: path)
    }

    public static func write(_ text: String, to path: String) throws {
        try write(Data(text.utf8), to: path)
    }

    /// Streams into a temporary file through `body`, then renames it onto `path`; on error
    /// the temporary file is removed and `path` is untouched.
    public static func stream(to path: String, _ body: (BufferedWriter) throws -> Void) throws {
        try ensureParent(of: path)
        let tmp = temporaryPath(for: path)
        guard let writer = BufferedWriter(path: tmp) else {
            throw GISError(.output, operation: "write", file: path, message: "cannot create file")
        }
        do {
            try body(writer)
            try writer.close()
        } catch {
            try? writer.close()
            unlink(tmp)
            throw error
        }
        try commit(tmp, to: path)
    }
}

/// A byte buffer flushed to a file descriptor in large chunks.
public final class BufferedWriter {
    private var fd: Int32
    private var buffer: [UInt8] = []
    private let path: String

    init?(path: String) {
        fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else { return nil }
        self.path = path
        buffer.reserveCapacity(1 << 20)
    }

    public func write(_ s: String) throws {
        buffer.append(contentsOf: s.utf8)
        if buffer.count >= 1 << 20 { try flush() }
    }

    public func write(bytes: [UInt8]) throws {
        buffer.append(contentsOf: bytes)
        if buffer.count >= 1 << 20 { try flush() }
    }

    func flush() throws {
        var offset = 0
        while offset < buffer.count {
            let n = buffer.withUnsafeBytes { Foundation.write(fd, $0.baseAddress! + offset, buffer.count - offset) }
            guard n > 0 else {
                throw GISError(.output, operation: "write", file: path, message: String(cString: strerror(errno)))
            }
            offset += n
        }
        buffer.removeAll(keepingCapacity: true)
    }

    func close() throws {
        guard fd >= 0 else { return }
        defer {
            Foundation.close(fd)
            fd = -1
        }
        try flush()
    }
}
