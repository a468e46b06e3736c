import Foundation

/// Text encodings met in DBF and CSV files. Decoding and encoding use the tables below rather
/// than Foundation's converters, so results are the same on every platform (Foundation only
/// trims labels).
public enum TextEncoding: String, Sendable, Hashable, CaseIterable {
    case utf8 = "UTF-8"
    /// Windows-1252: Latin-1 plus typographic quotes, dashes and € in 0x80–0x9F. The safe
    /// reading of INEC's DBFs (`CAÑAR`, `GALÁPAGOS`).
    case windows1252 = "1252"
    case latin1 = "ISO-8859-1"

    /// Parses a `.cpg` file's content or a user's `--encoding` value; nil if unknown.
    public init?(label: String) {
        let l = label.trimmingCharacters(in: .whitespacesAndNewlines).uppercased()
            .replacingOccurrences(of: "_", with: "-")
        switch l {
        case "UTF-8", "UTF8", "65001": self = .utf8
        case "1252", "CP1252", "WINDOWS-1252", "ANSI 1252", "ANSI": self = .windows1252
        case "ISO-8859-1", "ISO8859-1", "88591", "8859-1", "LATIN1", "LATIN-1", "28591": self = .latin1
        default: return nil
        }
    }

    /// The encoding a DBF language-driver byte (LDID) denotes, for the Western code pages
    /// this project meets; nil for others.
    public init?(dbfLanguageDriver ldid: Int) {
        switch ldid {
        case 0x03, 0x57, 0x58, 0x59: self = .windows1252  // Windows ANSI (Western, Spanish)
        default: return nil
        }
    }

    /// 0x80–0x9F of Windows-1252 (0 = undefined byte, decoded as the C1 control).
    private static let cp1252High: [UInt32] = [
        0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039,
        0x0152, 0, 0x017D, 0, 0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC,
        0x2122, 0x0161, 0x203A, 0x0153, 0, 0x017E, 0x0178,
    ]

    /// Decodes bytes; `nil` only for UTF-8 that is not valid UTF-8.
    public func decode<C: Collection<UInt8>>(_ bytes: C) -> String? {
        switch self {
        case .utf8:
            return String(validating: bytes, as: UTF8.self)
        case .latin1:
            var s = String.UnicodeScalarView()
            for b in bytes { s.append(Unicode.Scalar(b)) }
            return String(s)
        case .windows1252:
            var s = String.UnicodeScalarView()
            for b in bytes {
                if b >= 0x80 && b <= 0x9F, Self.cp1252High[Int(b - 0x80)] != 0,
                    let scalar = Unicode.Scalar(Self.cp1252High[Int(b - 0x80)])
                {
                    s.append(scalar)
                } else {
                    s.append(Unicode.Scalar(b))
                }
            }
            return String(s)
        }
    }

    /// Encodes a string; characters the encoding lacks become `?` and are counted.
    public func encode(_ text: String) -> (bytes: [UInt8], unencodable: Int) {
        switch self {
        case .utf8:
            return (Array(text.utf8), 0)
        case .latin1, .windows1252:
            var out: [UInt8] = []
            var missing = 0
            out.reserveCapacity(text.unicodeScalars.count)
            for scalar in text.unicodeScalars {
                let v = scalar.value
                if v < 0x80 || (v >= 0xA0 && v <= 0xFF) || (self == .latin1 && v <= 0xFF) {
                    out.append(UInt8(v))
                } else if self == .windows1252, let i = Self.cp1252High.firstIndex(of: v), v != 0 {
                    out.append(UInt8(0x80 + i))
                } else {
                    out.append(UInt8(ascii: "?"))
                    missing += 1
                }
            }
            return (out, missing)
        }
    }
}
