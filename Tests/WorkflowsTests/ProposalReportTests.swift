import Testing

@testable import Planning
@testable import Workflows

/// report.md's method table groups the subproblems by how they were solved, whatever the
/// column, round and node counts.
@Suite("Proposal report")
struct ProposalReportTests {
    @Test func methodsAreCountedByKind() {
        func record(_ method: String, optimal: Bool = true) -> SubproblemRecord {
            SubproblemRecord(
                level: "circuitos", scope: "x", units: 10, parts: 2, optimal: optimal, cost: 1, lowerBound: 1, gap: 0,
                method: method)
        }
        let md = ProposalWorkflow.solvedMarkdown(
            [
                record("set partitioning (CBC, 812 columns)"), record("set partitioning (CBC, 19 columns)"),
                record("set partitioning (CBC, 38 of 335015 columns after 6 rounds of column generation)"),
                record("set partitioning (GLPK, 1381 of 76017 columns after 7 rounds of column generation)"),
                record(
                    "region growing + local search; bound: column generation (7 LP rounds, 76017 columns)",
                    optimal: false),
                record("enumeration"),
            ], seed: 1)
        #expect(md.contains("5 of 6 subproblems solved to optimality"))
        #expect(md.contains("| set partitioning (CBC) | 2 |"))
        #expect(md.contains("| set partitioning (CBC, after column generation) | 1 |"))
        #expect(md.contains("| set partitioning (GLPK, after column generation) | 1 |"))
        #expect(md.contains("| region growing + local search; bound: column generation | 1 |"))
        #expect(md.contains("| enumeration | 1 |"))
    }
}
