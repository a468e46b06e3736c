// Benchmarks on the real national data (../shared/data), run through the Scripts/bench-*.sh
// wrappers, which build in release mode first.
//
//   territorio-bench foundation [--data DIR] [--runs N] [--out DIR]
//   territorio-bench access [--data DIR] [--runs N] [--points N] [--seed N] [--demo DIR]
//   territorio-bench sample-points [--data DIR] [--points N] [--seed N] [--out FILE]
//   territorio-bench verify-locate [--data DIR] --points P.csv --located L.csv
//   territorio-bench nearest-phases [--data DIR] [--points P.csv] [--runs N]
//   territorio-bench plan-roads [--data DIR] [--runs N] [--spacing METRES] [--grid-out FILE]
//
// Each prints wall time per step (median of N runs, with min and max) and peak memory.
import Foundation

let arguments = Array(CommandLine.arguments.dropFirst())
let options = BenchOptions(arguments: Array(arguments.dropFirst()))
switch arguments.first {
case "foundation": foundationBenchmark(options)
case "access": accessBenchmark(options)
case "sample-points": samplePointsCommand(options)
case "verify-locate": verifyLocateCommand(options)
case "nearest-phases": nearestPhasesCommand(options)
case "plan-roads": planRoadsBenchmark(options)
default:
    fail(
        "usage: territorio-bench foundation|access|sample-points|verify-locate|nearest-phases|plan-roads [--data DIR] [--runs N]"
    )
}
