// The text helpers (JSONText, CSVText) live in the dependency-free TextFormat module, which the
// Planning module shares; users of GIS get them with `import GIS`.
@_exported import TextFormat
