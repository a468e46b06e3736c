extension Territory {
    /// Each cantón's own extent, in metres: the distance from its seat (its most populous unit,
    /// ties to the smaller id, as distritos are seated) to its farthest unit with people — how
    /// far the cantón reaches on its own. The distance bounds' exception rests on it: "max
    /// ≤ 120 km unless a single cantón alone exceeds it", so a distrito whose farthest
    /// parroquia lies no farther than one of its cantones reaches alone breaks nothing a plan of
    /// whole cantones could mend. O(units) distances.
    public func cantonExtents(metric: some DistanceMetric) -> [String: Double] {
        var seats: [String: Int] = [:]
        for (i, u) in units.enumerated() {
            guard let s = seats[u.canton] else {
                seats[u.canton] = i
                continue
            }
            if (u.population, units[s].id) > (units[s].population, u.id) { seats[u.canton] = i }
        }
        var extents: [String: Double] = [:]
        for u in units where u.population > 0 {
            guard let s = seats[u.canton] else { continue }
            extents[u.canton] = max(extents[u.canton] ?? 0, metric.metres(u.location, units[s].location))
        }
        return extents
    }
}
