import Foundation

/// CSV output helpers (RFC 4180).
public enum CSVText {
    /// The field, quoted when it holds a comma, a quote or a line break. Checked on UTF-8
    /// bytes: a Character comparison would miss "\r\n" (one grapheme, equal to neither) and
    /// a comma carrying a combining mark.
    public static func field(_ s: String) -> String {
        guard s.utf8.contains(where: needsQuoting) else { return s }
        return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// `field(s)` appended to a byte buffer, without intermediate strings; with another
    /// `delimiter` (`;` for spreadsheets), a field is quoted when it holds that one instead.
    public static func append(field s: String, to out: inout [UInt8], delimiter: UInt8 = UInt8(ascii: ",")) {
        guard s.utf8.contains(where: { needsQuoting($0, delimiter) }) else {
            out.append(contentsOf: s.utf8)
            return
        }
        out.append(UInt8(ascii: "\""))
        for b in s.utf8 {
            if b == UInt8(ascii: "\"") { out.append(b) }
            out.append(b)
        }
        out.append(UInt8(ascii: "\""))
    }

    @inline(__always)
    private static func needsQuoting(_ b: UInt8) -> Bool { needsQuoting(b, UInt8(ascii: ",")) }

    @inline(__always)
    private static func needsQuoting(_ b: UInt8, _ delimiter: UInt8) -> Bool {
        b == delimiter || b == UInt8(ascii: "\"") || b == UInt8(ascii: "\n") || b == UInt8(ascii: "\r")
    }
}
