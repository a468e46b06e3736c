import Cartography
import Testing

@Suite("Class breaks")
struct ClassBreaksTests {
    @Test func quantileAndEqualIntervalOnOneToTen() throws {
        let values = (1...10).map(Double.init)
        let q = try #require(ClassBreaks(values, classes: 5, method: .quantile))
        #expect(q.upperBounds == [2, 4, 6, 8, 10])
        let e = try #require(ClassBreaks(values.map { $0 - 1 } + [10], classes: 5, method: .equalInterval))
        #expect(e.upperBounds == [2, 4, 6, 8, 10])
        // A value on a limit belongs to the lower class; the minimum to the first.
        #expect(q.classIndex(2) == 0)
        #expect(q.classIndex(2.5) == 1)
        #expect(q.classIndex(1) == 0)
        #expect(q.classIndex(10) == 4)
        #expect(q.classIndex(nil) == nil)
        #expect(q.classIndex(.nan) == nil)
    }

    @Test func tiesCollapseClassesInsteadOfSplittingEqualValues() throws {
        let values = [Double](repeating: 0, count: 80) + (1...20).map(Double.init)
        let q = try #require(ClassBreaks(values, classes: 5, method: .quantile))
        // 80 % zeros: the first four quantiles are 0 and merge into one class.
        #expect(q.upperBounds == [0, 20])
        #expect(ClassBreaks([.nan, .infinity], classes: 3, method: .quantile) == nil)
    }

    @Test func naturalBreaksFindObviousClusters() throws {
        let values: [Double] = [21, 1, 2, 3, 10, 11, 12, 20, 22]
        let b = try #require(ClassBreaks(values, classes: 3, method: .naturalBreaks))
        #expect(b.upperBounds == [3, 12, 22])
    }

    /// Fisher's partition is the optimum: compared with every 3-class cut of random samples.
    @Test func naturalBreaksAreOptimalAgainstBruteForce() throws {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next() -> Double {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Double(state >> 33) / Double(1 << 31) * 100
        }
        func sse(_ x: ArraySlice<Double>) -> Double {
            let m = x.reduce(0, +) / Double(x.count)
            return x.reduce(0) { $0 + ($1 - m) * ($1 - m) }
        }
        for _ in 0..<30 {
            let x = (0..<11).map { _ in next().rounded() }.sorted()
            let b = try #require(ClassBreaks(x, classes: 3, method: .naturalBreaks))
            var classes = [[Double]](repeating: [], count: 3)
            for v in x { classes[try #require(b.classIndex(v))].append(v) }
            let found = classes.filter { !$0.isEmpty }.reduce(0) { $0 + sse($1[...]) }
            var best = Double.infinity
            for i in 1..<(x.count - 1) {
                for j in (i + 1)..<x.count {
                    best = min(best, sse(x[0..<i]) + sse(x[i..<j]) + sse(x[j...]))
                }
            }
            #expect(abs(found - best) < 1e-6, "found \(found), optimum \(best) for \(x)")
        }
    }

    @Test func largeInputsAreSampledDeterministically() throws {
        let values = (0..<20_000).map { Double(($0 * 7919) % 20_000) }
        let a = try #require(ClassBreaks(values, classes: 5, method: .naturalBreaks))
        let b = try #require(ClassBreaks(values.reversed(), classes: 5, method: .naturalBreaks))
        #expect(a == b)
        #expect(a.classCount == 5)
        #expect(a.upperBounds.last == 19_999)
    }
}

@Suite("Map colouring")
struct MapColouringTests {
    @Test func oddCycleNeedsThreeEvenCycleTwo() {
        func cycle(_ n: Int) -> [[Int]] { (0..<n).map { [($0 + 1) % n] } }
        let odd = MapColouring.dsatur(cycle(5))
        #expect(Set(odd).count == 3)
        #expect(MapColouring.conflicts(cycle(5), colours: odd).isEmpty)
        #expect(Set(MapColouring.dsatur(cycle(6))).count == 2)
    }

    @Test func wheelNeedsFourAndGridTwo() {
        // Hub 0 joined to a 5-cycle 1...5: chromatic number 4.
        var wheel: [[Int]] = [[1, 2, 3, 4, 5]]
        for i in 1...5 { wheel.append([i % 5 + 1]) }
        let w = MapColouring.dsatur(wheel)
        #expect(Set(w).count == 4)
        #expect(MapColouring.conflicts(wheel, colours: w).isEmpty)
        // A 6×6 rook grid is bipartite: DSatur finds the 2-colouring.
        let n = 6
        let grid = (0..<(n * n)).map { i in
            [i % n < n - 1 ? i + 1 : nil, i / n < n - 1 ? i + n : nil].compactMap { $0 }
        }
        #expect(Set(MapColouring.dsatur(grid)).count == 2)
    }

    @Test func ignoresSelfLoopsAndBadIndices() {
        let c = MapColouring.dsatur([[0, 1, 7, -1], []])
        #expect(c == [0, 1])
    }
}

@Suite("Map text and scale")
struct MapTextTests {
    @Test func numbersFollowTheLanguage() {
        #expect(MapLanguage.spanish.number(1_234_567.891, decimals: 2) == "1.234.567,89")
        #expect(MapLanguage.english.number(1_234_567.891, decimals: 2) == "1,234,567.89")
        #expect(MapLanguage.spanish.number(-0.5, decimals: 1) == "−0,5")
        #expect(MapLanguage.spanish.number(-0.001, decimals: 1) == "0,0")
        #expect(MapLanguage.english.number(999, decimals: 0) == "999")
        #expect(MapLanguage.english.number(.nan, decimals: 0) == "–")
        #expect(MapLanguage.decimals(forRange: 0.8) == 3)
        #expect(MapLanguage.decimals(forRange: 250_000) == 0)
    }

    @Test func scaleBarLengthsAreNice() {
        #expect(ScaleBar.niceLength(atMost: 37_000) == 20_000)
        #expect(ScaleBar.niceLength(atMost: 9) == 5)
        #expect(ScaleBar.niceLength(atMost: 1) == 1)
        #expect(ScaleBar.niceLength(atMost: 100_000) == 100_000)
        #expect(ScaleBar.niceLength(atMost: 0.5) == nil)
        #expect(ScaleBar.niceLength(atMost: .infinity) == nil)
    }
}
