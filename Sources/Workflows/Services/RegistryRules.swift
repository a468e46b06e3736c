import Foundation
import GIS
import Planning

/// How registry rows become offer when the registry has no column naming the catalogue's
/// typologies: rules on its text fields (a school's name says the levels it teaches, its
/// funding says who runs it). Data, not code: `Data/standards/registry_amie.csv` for the
/// Ministry of Education's AMIE registry, documented in `Data/standards/README.md` as a proxy.
///
/// One rule per row: `rule,field,match,pattern,value,note`.
/// - `exclude`: a matching row is no offer of any typology; `note` says why.
/// - `typology`: the first matching rule gives the row's typologies (`value`, `;`-separated:
///   a unidad educativa teaches several levels and counts once in each).
/// - `provider`: the first matching rule gives `public` or `private` (default public).
///
/// `match` is `equals`, `prefix` (whole words), `contains` (whole words) or `any` (every row:
/// a last, fallback rule; no pattern), compared after
/// ``normalized(_:)``: upper case, accents and punctuation dropped, spaces collapsed, so
/// "Escuela de Educación Básica" and "ESCUELA DE EDUCACION BASICA" are the same.
public struct RegistryRules: Sendable {
    public enum Kind: String, Sendable { case exclude, typology, provider }
    public enum Match: String, Sendable { case equals, prefix, contains, any }

    public struct Rule: Sendable {
        public var kind: Kind
        public var field: String
        public var match: Match
        /// Normalized.
        public var pattern: String
        public var typologies: [String]
        public var provider: Provider?
        public var note: String
        public var line: Int

        func matches(_ normalizedText: String) -> Bool {
            switch match {
            case .equals: return normalizedText == pattern
            case .prefix: return normalizedText == pattern || normalizedText.hasPrefix(pattern + " ")
            case .contains: return (" " + normalizedText + " ").contains(" " + pattern + " ")
            case .any: return true
            }
        }
    }

    /// What the rules say of one registry row.
    public struct Verdict: Sendable, Equatable {
        /// Empty when excluded or when no typology rule matches.
        public var typologies: [String]
        public var provider: Provider
        /// The exclusion's note, when an exclude rule matched.
        public var excludedBecause: String?
    }

    public var rules: [Rule]
    public var source: String
    /// Every field the rules read.
    public var fields: [String] { Array(Set(rules.map(\.field))).sorted() }

    public static let columns = ["rule", "field", "match", "pattern", "value", "note"]

    /// Upper case without accents (Ñ is N), every run of characters other than A–Z and 0–9
    /// one space (so º, ª and quotes separate words), trimmed. O(length).
    public static func normalized(_ text: String) -> String {
        let folded = text.folding(options: [.diacriticInsensitive, .caseInsensitive], locale: nil).uppercased()
        var out = ""
        var space = false
        for ch in folded.unicodeScalars {
            if ("A"..."Z").contains(ch) || ("0"..."9").contains(ch) {
                if space && !out.isEmpty { out.append(" ") }
                out.unicodeScalars.append(ch)
                space = false
            } else {
                space = true
            }
        }
        return out
    }

    /// Reads and checks the rules: a known kind and match, a non-empty pattern and field, a
    /// typology the catalogue has, a provider `public` or `private`; errors name the line.
    public static func read(_ path: String, catalogue: StandardsCatalogue) throws -> RegistryRules {
        let table = try CSVTable.read(path)
        let header = table.header.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        let missing = columns.filter { !header.contains($0) }
        guard missing.isEmpty else {
            throw PlanningError(source: path, "the registry rules lack columns", units: missing)
        }
        let known = Dictionary(
            catalogue.standards.map { ($0.typology.lowercased(), $0.typology) }, uniquingKeysWith: { a, _ in a })
        var rules: [Rule] = []
        for (r, row) in table.rows.enumerated() {
            let line = table.lines[r]
            func cell(_ name: String) -> String {
                guard let i = header.firstIndex(of: name), i < row.count else { return "" }
                return row[i].trimmingCharacters(in: .whitespaces)
            }
            func fail(_ why: String) -> PlanningError { PlanningError(source: path, "line \(line): \(why)") }
            guard let kind = Kind(rawValue: cell("rule").lowercased()) else {
                throw fail("rule must be exclude, typology or provider, not '\(cell("rule"))'")
            }
            guard let match = Match(rawValue: cell("match").lowercased()) else {
                throw fail("match must be equals, prefix, contains or any, not '\(cell("match"))'")
            }
            let pattern = normalized(cell("pattern"))
            guard !cell("field").isEmpty else { throw fail("field is needed") }
            guard pattern.isEmpty == (match == .any) else {
                throw fail(match == .any ? "an 'any' rule has no pattern" : "pattern is needed (letters or digits)")
            }
            var rule = Rule(
                kind: kind, field: cell("field"), match: match, pattern: pattern, typologies: [], provider: nil,
                note: cell("note"), line: line)
            switch kind {
            case .exclude:
                guard !rule.note.isEmpty else { throw fail("an exclude rule needs a note saying why") }
            case .typology:
                let names = cell("value").split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
                    .filter { !$0.isEmpty }
                guard !names.isEmpty else { throw fail("a typology rule names one or more typologies in value") }
                let unknown = names.filter { known[$0.lowercased()] == nil }
                guard unknown.isEmpty else {
                    throw fail("the catalogue has no typology \(unknown.map { "'\($0)'" }.joined(separator: ", "))")
                }
                rule.typologies = names.compactMap { known[$0.lowercased()] }
            case .provider:
                guard let p = Provider(rawValue: cell("value").lowercased()) else {
                    throw fail("a provider rule's value is public or private, not '\(cell("value"))'")
                }
                rule.provider = p
            }
            rules.append(rule)
        }
        guard rules.contains(where: { $0.kind == .typology }) else {
            throw PlanningError(source: path, "the registry rules have no typology rule")
        }
        return RegistryRules(rules: rules, source: path)
    }

    /// The verdict on one row; `value(field)` gives the row's text in a field ("" if absent).
    /// O(rules).
    public func classify(_ value: (String) -> String) -> Verdict {
        var cache: [String: String] = [:]
        func text(_ field: String) -> String {
            if let t = cache[field] { return t }
            let t = Self.normalized(value(field))
            cache[field] = t
            return t
        }
        var provider: Provider?
        var typologies: [String]?
        for rule in rules where rule.matches(text(rule.field)) {
            switch rule.kind {
            case .exclude:
                return Verdict(typologies: [], provider: provider ?? .public, excludedBecause: rule.note)
            case .typology:
                if typologies == nil { typologies = rule.typologies }
            case .provider:
                if provider == nil { provider = rule.provider }
            }
        }
        return Verdict(typologies: typologies ?? [], provider: provider ?? .public, excludedBecause: nil)
    }
}
