import Dispatch
import Foundation
import GIS

/// The files of one run, written all together or not at all.
///
/// A run writes into a staging folder beside its `--out` folder (same parent, so renames stay
/// on one file system). ``commit()`` moves the whole set into place at the end: a new folder
/// is one `rename(2)`; into an existing folder each file is renamed over its old version and
/// the files the previous run wrote that this one did not are removed (they are listed in the
/// folder's `.territorio-run` manifest; files territorio did not write are never touched).
/// Until then `--out` is untouched: on an error, SIGINT or SIGTERM the staging folder is
/// removed and nothing of the new run is left.
///
/// A lock (`flock(2)` on a file named by the folder's path in the temporary folder, released
/// by the kernel when the process ends) refuses a second concurrent run into the same folder.
public final class OutputSet: @unchecked Sendable {
    /// The folder the outputs end in (absolute).
    public let destination: String
    /// The folder as the user named it, for messages and reports.
    public let requested: String
    /// Where this run writes; renamed into `destination` by ``commit()``.
    public let staging: String
    /// How the run's tables are written: converted at ``commit()`` (``TableConversion``).
    public var tables = TableFormat()
    private var lockDescriptor: Int32 = -1
    private var finished = false

    static let manifestName = ".territorio-run"

    /// Creates the staging folder and takes the lock of `folder`.
    public init(folder: String) throws {
        let url = URL(fileURLWithPath: folder).standardized
        destination = url.path
        requested = folder
        let parent = url.deletingLastPathComponent().path
        let name = url.lastPathComponent
        guard !name.isEmpty, name != "/", name != ".", name != ".." else {
            throw WorkflowError("--out must name a folder, got '\(folder)'")
        }
        do {
            try FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true)
        } catch {
            throw GISError(.output, operation: "create folder", file: parent, message: error.localizedDescription)
        }
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: destination, isDirectory: &isDirectory), !isDirectory.boolValue {
            throw GISError(
                .output, operation: "write outputs", file: destination, message: "exists and is not a folder")
        }
        let lockPath = try Self.lockPath(for: destination)
        lockDescriptor = open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard lockDescriptor >= 0 else {
            throw GISError(.output, operation: "lock", file: lockPath, message: String(cString: strerror(errno)))
        }
        guard flock(lockDescriptor, LOCK_EX | LOCK_NB) == 0 else {
            close(lockDescriptor)
            lockDescriptor = -1
            throw GISError(
                .output, operation: "lock", file: destination,
                message: "another territorio run is writing into this folder; wait for it to end")
        }
        staging = parent + "/.\(name).staging-\(getpid())"
        try? FileManager.default.removeItem(atPath: staging)
        do {
            try FileManager.default.createDirectory(atPath: staging, withIntermediateDirectories: false)
        } catch {
            releaseLock()
            throw GISError(.output, operation: "create folder", file: staging, message: error.localizedDescription)
        }
        OutputSetRegistry.shared.add(self)
    }

    deinit {
        if !finished { abandon() }
    }

    /// The staging path of an output file (`name` may hold sub-folders).
    public func path(_ name: String) -> String {
        return staging + "/" + name
    }

    /// Writes a text file of the set.
    public func write(_ text: String, to name: String) throws {
        try AtomicFile.write(text, to: path(name))
    }

    /// Writes bytes (an image) as `name`, creating its sub-folder.
    public func write(_ data: Data, to name: String) throws {
        try AtomicFile.write(data, to: path(name))
    }

    /// Moves the set into place. Signals are held off while files move, so a set is never half
    /// committed by SIGINT/SIGTERM.
    public func commit() throws {
        guard !finished else { return }
        try TableConversion.apply(tables, toFolder: staging)
        try OutputSetRegistry.shared.whileCommitting {
            let fm = FileManager.default
            let written = (try? fm.subpathsOfDirectory(atPath: staging)) ?? []
            let files = written.filter { name in
                var dir: ObjCBool = false
                return fm.fileExists(atPath: staging + "/" + name, isDirectory: &dir) && !dir.boolValue
            }.sorted()
            try (files.joined(separator: "\n") + "\n").write(
                toFile: staging + "/" + Self.manifestName, atomically: false, encoding: .utf8)
            if !fm.fileExists(atPath: destination) {
                guard rename(staging, destination) == 0 else {
                    throw GISError(
                        .output, operation: "write outputs", file: destination,
                        message: String(cString: strerror(errno)))
                }
            } else {
                let previous =
                    ((try? String(contentsOfFile: destination + "/" + Self.manifestName, encoding: .utf8)) ?? "")
                    .split(separator: "\n").map(String.init)
                for name in files + [Self.manifestName] {
                    let target = destination + "/" + name
                    try AtomicFile.ensureFolder(of: target)
                    guard rename(staging + "/" + name, target) == 0 else {
                        throw GISError(
                            .output, operation: "write outputs", file: target, message: String(cString: strerror(errno))
                        )
                    }
                }
                let kept = Set(files)
                for stale in previous where !kept.contains(stale) && !stale.contains("..") {
                    unlink(destination + "/" + stale)
                }
                try? fm.removeItem(atPath: staging)
            }
            finished = true
            releaseLock()
        }
        OutputSetRegistry.shared.remove(self)
    }

    /// Removes the staging folder and releases the lock; `destination` is left as it was.
    public func abandon() {
        guard !finished else { return }
        finished = true
        try? FileManager.default.removeItem(atPath: staging)
        releaseLock()
        OutputSetRegistry.shared.remove(self)
    }

    /// The lock file of a destination: in the system's temporary folder, named by an FNV-1a
    /// hash of the absolute path, so the output folder's parent holds nothing but the outputs.
    static func lockPath(for destination: String) throws -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in destination.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("territorio-locks").path
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        } catch {
            throw GISError(.output, operation: "lock", file: folder, message: error.localizedDescription)
        }
        return folder + "/" + String(hash, radix: 16) + ".lock"
    }

    /// Called by the signal handler: no allocation-heavy work beyond removing the folder.
    fileprivate func abandonOnSignal() {
        guard !finished else { return }
        try? FileManager.default.removeItem(atPath: staging)
    }

    private func releaseLock() {
        guard lockDescriptor >= 0 else { return }
        flock(lockDescriptor, LOCK_UN)
        close(lockDescriptor)
        lockDescriptor = -1
    }

    /// Runs `body` with a new output set for `folder`: commits when it returns (its tables
    /// in `tables`), abandons the set when it throws.
    public static func run<T>(into folder: String, tables: TableFormat = TableFormat(), _ body: (OutputSet) throws -> T)
        throws -> T
    {
        let set = try OutputSet(folder: folder)
        set.tables = tables
        do {
            let value = try body(set)
            try set.commit()
            return value
        } catch {
            set.abandon()
            throw error
        }
    }
}

/// The open output sets of the process, so SIGINT/SIGTERM can remove their staging folders.
/// Signals are received on a dispatch queue (`DispatchSource.makeSignalSource`), not in signal
/// context, and wait for a commit in progress to finish.
final class OutputSetRegistry: @unchecked Sendable {
    static let shared = OutputSetRegistry()

    private let lock = NSRecursiveLock()
    private var open: [ObjectIdentifier: OutputSet] = [:]
    private var sources: [DispatchSourceSignal] = []

    private init() {
        for (number, code) in [(SIGINT, Int32(130)), (SIGTERM, Int32(143))] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { [weak self] in
                self?.lock.lock()
                for set in self?.open.values.map({ $0 }) ?? [] { set.abandonOnSignal() }
                FileHandle.standardError.write(Data("territorio: interrupted; no output was written\n".utf8))
                _exit(code)
            }
            source.resume()
            sources.append(source)
        }
    }

    func add(_ set: OutputSet) {
        lock.lock()
        open[ObjectIdentifier(set)] = set
        lock.unlock()
    }

    func remove(_ set: OutputSet) {
        lock.lock()
        open[ObjectIdentifier(set)] = nil
        lock.unlock()
    }

    func whileCommitting<T>(_ body: () throws -> T) rethrows -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body()
    }
}
