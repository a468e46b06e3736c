import CZlib
import Foundation

/// The bytes of an input file, read at disk speed: a plain file is memory-mapped read-only
/// (`mmap(2)`, so the operating system pages it in as it is parsed and nothing is copied); a
/// file ending in `.gz` is inflated into memory with zlib (`inflateInit2` with window bits
/// 15 + 32: gzip or zlib headers, RFC 1952; concatenated members are all read, as `gzip -d`
/// does). Inputs are never modified.
///
/// The bytes live as long as the value; a class so the mapping is released exactly once.
public final class FileBytes: @unchecked Sendable {
    public let path: String
    /// Whether the file was gzip-compressed.
    public let compressed: Bool
    private let base: UnsafeRawPointer?
    public let count: Int
    private let release: () -> Void

    /// Largest inflated size accepted (4 GiB): memory stays bounded by what the input holds,
    /// and a gzip bomb is refused with a clear error instead of exhausting memory.
    public static let maximumInflatedBytes = 1 << 32

    public init(path: String) throws {
        self.path = path
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else {
            throw GISError(
                .input, operation: "open", file: path,
                message: FileManager.default.fileExists(atPath: path) ? "unreadable" : "file not found")
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else {
            throw GISError(.input, operation: "open", file: path, message: "not a regular file")
        }
        let size = Int(info.st_size)
        compressed = path.lowercased().hasSuffix(".gz")
        if size == 0 {
            base = nil
            count = 0
            release = {}
            return
        }
        guard let mapped = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0), mapped != MAP_FAILED else {
            throw GISError(.input, operation: "map", file: path, message: String(cString: strerror(errno)))
        }
        if !compressed {
            madvise(mapped, size, MADV_SEQUENTIAL)
            base = UnsafeRawPointer(mapped)
            count = size
            release = { munmap(mapped, size) }
            return
        }
        defer { munmap(mapped, size) }
        let inflated = try Self.inflate(UnsafeRawBufferPointer(start: mapped, count: size), path: path)
        count = inflated.count
        base = inflated.count > 0 ? UnsafeRawPointer(inflated.baseAddress) : nil
        release = { inflated.deallocate() }
    }

    deinit { release() }

    /// Runs `body` on the bytes.
    public func withBytes<R>(_ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        guard let base else { return try body(UnsafeBufferPointer(start: nil, count: 0)) }
        return try body(UnsafeBufferPointer(start: base.assumingMemoryBound(to: UInt8.self), count: count))
    }

    /// Inflates gzip (or zlib) data with zlib's streaming `inflate`, growing the output
    /// buffer geometrically.
    static func inflate(_ input: UnsafeRawBufferPointer, path: String) throws -> UnsafeMutableRawBufferPointer {
        var stream = z_stream()
        guard inflateInit2_(&stream, 15 + 32, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw GISError(.input, operation: "inflate", file: path, message: "zlib could not start")
        }
        defer { inflateEnd(&stream) }
        var capacity = max(1 << 16, min(input.count * 4, maximumInflatedBytes))
        var output = UnsafeMutableRawBufferPointer.allocate(byteCount: capacity, alignment: 16)
        var produced = 0
        var consumed = 0
        while true {
            if produced == capacity {
                guard capacity < maximumInflatedBytes else {
                    output.deallocate()
                    throw GISError(
                        .input, operation: "inflate", file: path,
                        message: "inflates to more than \(maximumInflatedBytes >> 30) GiB; decompress it first")
                }
                let larger = min(capacity * 2, maximumInflatedBytes)
                let grown = UnsafeMutableRawBufferPointer.allocate(byteCount: larger, alignment: 16)
                grown.copyMemory(from: UnsafeRawBufferPointer(rebasing: output[0..<produced]))
                output.deallocate()
                output = grown
                capacity = larger
            }
            let inputLeft = input.count - consumed
            stream.next_in = UnsafeMutablePointer(
                mutating: input.baseAddress?.advanced(by: consumed).assumingMemoryBound(to: Bytef.self))
            stream.avail_in = UInt32(min(inputLeft, Int(UInt32.max)))
            stream.next_out = output.baseAddress?.advanced(by: produced).assumingMemoryBound(to: Bytef.self)
            stream.avail_out = UInt32(min(capacity - produced, Int(UInt32.max)))
            let before = (Int(stream.avail_in), Int(stream.avail_out))
            let status = CZlib.inflate(&stream, Z_NO_FLUSH)
            consumed += before.0 - Int(stream.avail_in)
            produced += before.1 - Int(stream.avail_out)
            if status == Z_STREAM_END {
                // Another gzip member may follow (as `cat a.gz b.gz` makes).
                if consumed < input.count && inflateReset(&stream) == Z_OK { continue }
                break
            }
            let outputFull = produced == capacity
            if (status == Z_OK || status == Z_BUF_ERROR) && outputFull { continue }
            if status == Z_OK && consumed < input.count { continue }
            output.deallocate()
            if status == Z_OK || status == Z_BUF_ERROR {
                // All input read, room left for output, and still no end of stream.
                throw GISError(.input, operation: "inflate", file: path, message: "the compressed data is truncated")
            }
            let reason = stream.msg.map { String(cString: $0) } ?? "zlib status \(status)"
            throw GISError(.input, operation: "inflate", file: path, message: "not valid gzip data: \(reason)")
        }
        return UnsafeMutableRawBufferPointer(rebasing: output[0..<produced])
    }
}
