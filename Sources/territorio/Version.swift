import GIS

/// The tool's version: bumped with each release of the command-line interface; printed by
/// `territorio --version` with the C libraries it runs on.
enum ToolVersion {
    static let number = "0.15.0"
    static var text: String { "territorio \(number) (\(LibraryVersions.summary))" }
}
