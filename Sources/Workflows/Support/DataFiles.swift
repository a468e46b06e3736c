import Foundation

/// The tables the project ships in `Data/` (zonas, standards catalogue, scenarios), found
/// next to the installed tool rather than relative to the working folder.
///
/// Search order: `$TERRITORIO_DATA`; `<tool>/../share/territorio/Data` (an installed layout);
/// the first `Data/` holding the file in the tool's folder or one of its parents (a build in
/// `.build/<config>/` of a checkout); finally `Data/` under the working folder.
public enum DataFiles {
    public static let zonas = "zonas.csv"
    public static let catalogue = "standards/catalogue.csv"
    public static let scenarios = "scenarios.csv"
    public static let divisibleCantons = "rules/divisible_cantones.csv"

    /// How reports name a table: a shipped one as `Data/<relative>` (the same on every
    /// machine, wherever the tool is installed), any other as given.
    public static func display(_ path: String) -> String {
        for relative in [zonas, catalogue, scenarios] where path == self.path(relative) {
            return "Data/" + relative
        }
        return path
    }

    /// The path of a shipped table, e.g. `DataFiles.path(DataFiles.zonas)`.
    public static func path(_ relative: String) -> String {
        let fm = FileManager.default
        var roots: [String] = []
        if let env = ProcessInfo.processInfo.environment["TERRITORIO_DATA"], !env.isEmpty { roots.append(env) }
        let tool = URL(fileURLWithPath: CommandLine.arguments.first ?? ".").resolvingSymlinksInPath()
        var folder = tool.deletingLastPathComponent()
        roots.append(folder.appendingPathComponent("../share/territorio/Data").standardized.path)
        for _ in 0..<6 {
            roots.append(folder.appendingPathComponent("Data").path)
            folder = folder.deletingLastPathComponent()
        }
        roots.append(fm.currentDirectoryPath + "/Data")
        for root in roots where fm.fileExists(atPath: root + "/" + relative) {
            return root + "/" + relative
        }
        return "Data/" + relative
    }
}
