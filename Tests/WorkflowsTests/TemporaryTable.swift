import Foundation

/// Writes `text` to a new file in the temporary folder and returns its path (tables written
/// by hand for a test).
func temporaryTable(_ text: String, prefix: String) throws -> String {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString).csv").path
    try text.write(toFile: path, atomically: true, encoding: .utf8)
    return path
}
