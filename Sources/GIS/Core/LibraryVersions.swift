import CGEOS
import CPROJ
import CZlib

/// The versions of the C libraries this build runs on, as they report themselves at run time
/// (`GEOSversion`, `proj_info().version`, `zlibVersion`): part of `territorio --version`, so
/// a result can name what computed it.
public enum LibraryVersions {
    public static var geos: String { String(cString: GEOSversion()) }
    public static var proj: String { proj_info().version.map { String(cString: $0) } ?? "unknown" }
    public static var zlib: String { String(cString: zlibVersion()) }

    /// `GEOS 3.11.1-CAPI-1.17.1, PROJ 9.1.1, zlib 1.2.13`.
    public static var summary: String { "GEOS \(geos), PROJ \(proj), zlib \(zlib)" }
}
