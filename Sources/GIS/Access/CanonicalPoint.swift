/// An element of ``Demand``'s canonical order: sorted by longitude (radix), ties broken by
/// ``precedes(_:_:)`` over the whole key, so equal keys are equal values and the order never
/// depends on the input's.
protocol CanonicalPoint: Sendable {
    var location: Coordinate { get }
    /// Whether `b` goes strictly before `a`.
    static func precedes(_ b: Self, _ a: Self) -> Bool
}

/// A population point to be located: (x, y, weight).
struct WeightedLocation: CanonicalPoint, Equatable {
    var location: Coordinate
    var weight: Double

    @inline(__always)
    static func precedes(_ b: Self, _ a: Self) -> Bool {
        (b.location.x, b.location.y, b.weight) < (a.location.x, a.location.y, a.weight)
    }
}

/// A population point whose unit the input names: (x, y, weight, unit index).
struct AssignedLocation: CanonicalPoint, Equatable {
    var location: Coordinate
    var weight: Double
    var unit: Int32

    @inline(__always)
    static func precedes(_ b: Self, _ a: Self) -> Bool {
        (b.location.x, b.location.y, b.weight, b.unit) < (a.location.x, a.location.y, a.weight, a.unit)
    }
}
