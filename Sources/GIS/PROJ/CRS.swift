import Foundation

/// A coordinate reference system, as the user or a file gave it: an authority code
/// (`EPSG:32717`), WKT (from a `.prj`, ESRI or OGC flavour) or a PROJ string. PROJ
/// interprets it; ``ProjContext/describe(_:)`` tells what it is.
public struct CRS: Sendable, Hashable, CustomStringConvertible {
    public var definition: String

    public init(_ definition: String) {
        self.definition = definition
    }

    /// WGS 84 longitude/latitude, the CRS of GeoJSON (RFC 7946 §4) and of CSV registries.
    public static let wgs84 = CRS("EPSG:4326")
    /// WGS 84 / UTM zone 17S, INEC's CRS for continental Ecuador.
    public static let utm17S = CRS("EPSG:32717")
    /// WGS 84 / UTM zone 15S, the UTM zone of most of Galápagos (89°–91° W).
    public static let utm15S = CRS("EPSG:32715")

    /// `EPSG:n` for a bare number, otherwise the text unchanged (so `--to-crs 32717` works).
    public static func parse(_ text: String) -> CRS {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if !trimmed.isEmpty, trimmed.allSatisfy(\.isNumber) { return CRS("EPSG:\(trimmed)") }
        return CRS(trimmed)
    }

    public var description: String {
        definition.count > 60 ? String(definition.prefix(57)) + "..." : definition
    }

    /// The UTM zone (south hemisphere, as all of Ecuador but a strip of the north is
    /// conventionally mapped) whose central meridian is closest to `longitude`.
    public static func utmSouth(forLongitude longitude: Double) -> CRS {
        let zone = min(60, max(1, Int(((longitude + 180) / 6).rounded(.down)) + 1))
        return CRS("EPSG:\(32700 + zone)")
    }
}

/// What PROJ says a CRS is.
public struct CRSInfo: Sendable, Hashable {
    public var name: String
    /// `AUTHORITY:CODE` when PROJ identifies the CRS with ≥ 70 % confidence.
    public var identifier: String?
    public var isGeographic: Bool
    /// Name of the first axis unit (`metre`, `degree`...).
    public var unit: String?
    /// ESRI WKT, the dialect `.prj` files use.
    public var esriWKT: String?
    /// OGC WKT 1 as GDAL writes it (`PJ_WKT1_GDAL`), for GeoPackage's `gpkg_spatial_ref_sys`.
    public var ogcWKT: String? = nil
}
