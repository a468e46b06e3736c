/// The seed of one subproblem's search: the plan's seed plus a level constant plus a 64-bit
/// FNV-1a hash (Fowler–Noll–Vo) of the subproblem's unit codes in code order. A subproblem's
/// search then depends on its own units and the plan's seed alone, not on how many groups or
/// distritos come before it, so a change in one province leaves every other province's
/// searches as they were. Before, the seed was the plan's plus the subproblem's index: when
/// Ambato became two distritos, every later distrito's index moved, and the circuitos of one
/// (31 parroquias, six circuitos tried) took 10.3 s to prove optimal instead of 6.0 s, for the
/// same answer. O(n log n + the codes' total length).
enum SubproblemSeed {
    /// The level constants: distritos 0, circuitos 1,000,003 (as the index-based seeds had).
    static let distritos: UInt64 = 0
    static let circuitos: UInt64 = 1_000_003

    static func of(_ codes: [String], level: UInt64, seed: UInt64) -> UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for code in codes.sorted() {
            for byte in code.utf8 {
                hash ^= UInt64(byte)
                hash &*= 0x0000_0100_0000_01B3
            }
            // The ASCII unit separator after each code, so ["ab", "c"] and ["a", "bc"] hash
            // apart (a collision would only share a seed, never change a result's validity).
            hash ^= 0x1F
            hash &*= 0x0000_0100_0000_01B3
        }
        return seed &+ level &+ hash
    }
}
