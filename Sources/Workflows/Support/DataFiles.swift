import Foundation

/// The tables the project ships in `Data/` (zonas, standards catalogue, scenarios), found
/// next to the installed tool rather than relative to the working folder.
///
/// Search order: `$TERRITORIO_DATA`; `<tool>/../share/territorio/Data` (an installed layout);
/// the first `Data/` holding the file in the tool's folder or one of its parents (a build in
/// `.build/<config>/` of a checkout); finally `Data/` under the folder the tool was started in
/// (``launchFolder``: `territorio run` enters the project's folder).
public enum DataFiles {
    public static let zonas = "zonas.csv"
    public static let catalogue = "standards/catalogue.csv"
    public static let scenarios = "scenarios.csv"
    public static let divisibleCantons = "rules/divisible_cantones.csv"
    /// Where oversized parroquias may be divided into circuito pieces (``DivisibleParroquias``).
    public static let divisibleParroquias = "rules/divisible_parroquias.csv"
    /// Rules for the Ministry of Education's AMIE schools registry (``RegistryRules``).
    public static let registryAMIE = "standards/registry_amie.csv"

    /// The working folder when first asked (``RunCommand`` asks before entering a project's folder).
    public static let launchFolder = FileManager.default.currentDirectoryPath

    /// How reports name a table: a shipped one as `Data/<relative>` (the same on every
    /// machine, wherever the tool is installed), any other as given.
    public static func display(_ path: String) -> String {
        for relative in [zonas, catalogue, scenarios, registryAMIE] where path == self.path(relative) {
            return "Data/" + relative
        }
        return path
    }

    /// The path of a shipped table, e.g. `DataFiles.path(DataFiles.zonas)`.
    public static func path(_ relative: String) -> String {
        let fm = FileManager.default
        var roots: [String] = []
        if let env = ProcessInfo.processInfo.environment["TERRITORIO_DATA"], !env.isEmpty { roots.append(env) }
        // The running executable (/proc/self/exe through Foundation), not argv[0]: a tool found
        // through PATH has a bare name there.
        let executable = Bundle.main.executablePath ?? CommandLine.arguments.first ?? "."
        let tool = URL(fileURLWithPath: executable, relativeTo: URL(fileURLWithPath: launchFolder))
            .resolvingSymlinksInPath()
        var folder = tool.deletingLastPathComponent()
        roots.append(folder.appendingPathComponent("../share/territorio/Data").standardized.path)
        for _ in 0..<6 {
            roots.append(folder.appendingPathComponent("Data").path)
            folder = folder.deletingLastPathComponent()
        }
        roots.append(launchFolder + "/Data")
        for root in roots where fm.fileExists(atPath: root + "/" + relative) {
            return root + "/" + relative
        }
        return "Data/" + relative
    }
}
