/// The orientation of a point relative to a directed segment, decided exactly for any finite
/// doubles: +1 when `q` lies to the left of `p1 → p2`, −1 to the right, 0 on the line.
///
/// The same predicate as GEOS's `CGAlgorithmsDD::orientationIndex`, the sign of
/// (p2 − p1) × (q − p2): a floating-point evaluation with a forward error bound decides almost
/// every case (the filter of Shewchuk 1997, "Adaptive precision floating-point arithmetic and
/// fast robust geometric predicates", doi:10.1007/PL00009321); near-collinear cases are
/// decided on the exact value, computed as an expansion of non-overlapping doubles (TwoSum,
/// TwoProduct with a fused multiply–add, Grow-Expansion). O(1) per call.
public enum ExactOrientation {
    @inline(__always)
    public static func index(_ p1: Coordinate, _ p2: Coordinate, _ q: Coordinate) -> Int {
        let dx1 = p2.x - p1.x, dy1 = p2.y - p1.y
        let dx2 = q.x - p2.x, dy2 = q.y - p2.y
        let left = dx1 * dy2, right = dy1 * dx2
        let det = left - right
        // Error bound of the rounded differences and products (Shewchuk's ccwerrboundA with
        // a margin for the differences being rounded too).
        let bound = 1e-15 * (abs(left) + abs(right))
        if det > bound { return 1 }
        if det < -bound { return -1 }
        return exactSign(p1, p2, q)
    }

    /// The exact sign of (p2.x − p1.x)(q.y − p2.y) − (p2.y − p1.y)(q.x − p2.x).
    static func exactSign(_ p1: Coordinate, _ p2: Coordinate, _ q: Coordinate) -> Int {
        let a = twoSum(p2.x, -p1.x), b = twoSum(q.y, -p2.y)
        let c = twoSum(p2.y, -p1.y), d = twoSum(q.x, -p2.x)
        var expansion: [Double] = []
        expansion.reserveCapacity(16)
        for (u, v, sign) in [(a, b, 1.0), (c, d, -1.0)] {
            for x in [u.hi, u.lo] {
                for y in [v.hi, v.lo] {
                    let (hi, lo) = twoProduct(x, y)
                    grow(&expansion, sign * lo)
                    grow(&expansion, sign * hi)
                }
            }
        }
        // The most significant non-zero component carries the sign.
        for e in expansion.reversed() where e != 0 { return e > 0 ? 1 : -1 }
        return 0
    }

    /// Knuth's TwoSum: a + b = hi + lo exactly.
    @inline(__always)
    static func twoSum(_ a: Double, _ b: Double) -> (hi: Double, lo: Double) {
        let s = a + b
        let bb = s - a
        let err = (a - (s - bb)) + (b - bb)
        return (s, err)
    }

    /// a × b = hi + lo exactly (the low part from a fused multiply–add).
    @inline(__always)
    static func twoProduct(_ a: Double, _ b: Double) -> (hi: Double, lo: Double) {
        let p = a * b
        return (p, (-p).addingProduct(a, b))
    }

    /// Shewchuk's Grow-Expansion with zero elimination: adds `b` to a non-overlapping
    /// expansion kept in increasing magnitude.
    static func grow(_ e: inout [Double], _ b: Double) {
        var q = b
        var out: [Double] = []
        out.reserveCapacity(e.count + 1)
        for x in e {
            let (s, err) = twoSum(q, x)
            if err != 0 { out.append(err) }
            q = s
        }
        if q != 0 { out.append(q) }
        e = out
    }
}
