/// The bookkeeping of subgradient optimisation for a Lagrangian lower bound (Held, Wolfe &
/// Crowder 1974): the best value seen, and the step's factor μ of the Polyak step
/// μ (target − value) / ‖g‖², halved after 30 iterations without a better value. Shared by
/// ``MedianLagrangian`` and ``CapacitatedSpreadBound``. O(1) per iteration.
struct SubgradientSchedule {
    /// The best value recorded (−∞ before any).
    private(set) var best = -Double.infinity
    /// The step's factor: 2, halved on each stall.
    private(set) var mu = 2.0
    private var sinceBest = 0

    /// Records one iteration's value; true when it is the best so far (the caller keeps its
    /// multipliers), else counts a stall.
    mutating func record(_ value: Double) -> Bool {
        if !best.isFinite || value > best + 1e-12 * max(1, abs(best)) {
            best = value
            sinceBest = 0
            return true
        }
        sinceBest += 1
        if sinceBest >= 30 {
            mu /= 2
            sinceBest = 0
        }
        return false
    }

    /// Whether to stop: the best value within a relative 10⁻⁹ of `target` (the incumbent's:
    /// no bound can pass it), or the step too small to move.
    func finished(target: Double) -> Bool {
        target - best <= 1e-9 * max(1, abs(target)) || mu < 1e-4
    }
}
