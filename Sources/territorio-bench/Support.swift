import Foundation
import GIS

struct Step {
    let name: String
    var times: [Double] = []
    var detail = ""
}

func median(_ xs: [Double]) -> Double {
    let s = xs.sorted()
    return s.isEmpty ? .nan : (s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2)
}

func peakMemoryMiB() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_maxrss) / 1024  // ru_maxrss is in KiB on Linux
}

func time<T>(_ body: () throws -> T) rethrows -> (T, Double) {
    let start = DispatchTime.now().uptimeNanoseconds
    let value = try body()
    return (value, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
}

func padded(_ s: String) -> String { s.padding(toLength: 30, withPad: " ", startingAt: 0) }

/// Prints one step line: median [min … max] and a detail.
func report(_ s: Step) {
    let figures = String(format: "%7.3f  [%.3f … %.3f]", median(s.times), s.times.min() ?? 0, s.times.max() ?? 0)
    print("  \(padded(s.name)) \(figures)  \(s.detail)")
}

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("territorio-bench: \(message)\n".utf8))
    exit(2)
}

/// Command-line options: `--name value`.
struct BenchOptions {
    let arguments: [String]
    func value(_ name: String, _ fallback: String) -> String {
        guard let i = arguments.firstIndex(of: name), i + 1 < arguments.count else { return fallback }
        return arguments[i + 1]
    }
}

/// The national schools (AMIE registry) as one "education" type, every funding kind
/// (fiscal, particular, fiscomisional, municipal), located in `parishes`.
func nationalSchools(data: String, parishes: Layer, context: GeometryContext, proj: ProjContext) throws -> Supply {
    let schools = try CSVPointReader.read(data + "/establishments/escuelas_amie.csv").layer
    return try Supply.build(
        schools,
        options: .init(
            typeField: "sostenimiento",
            mapping: [
                "FISCAL": "education", "PARTICULAR": "education", "FISCOMISIONAL": "education",
                "MUNICIPAL": "education",
            ], idField: "amie"),
        units: parishes, context: context, proj: proj)
}
