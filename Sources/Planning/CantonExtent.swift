extension Territory {
    /// Each cantón's own extent, in metres: the distance from its seat (its most populous unit,
    /// ties to the smaller id, as distritos are seated) to its farthest unit with people — how
    /// far the cantón reaches on its own. The distance bounds' exception rests on it: "max
    /// ≤ 120 km unless a single cantón alone exceeds it", so a distrito whose farthest
    /// parroquia lies no farther than one of its cantones reaches alone breaks nothing a plan of
    /// whole cantones could mend. O(units) distances.
    public func cantonExtents(metric: some DistanceMetric) -> [String: Double] {
        var members: [String: [Int]] = [:]
        for (i, u) in units.enumerated() { members[u.canton, default: []].append(i) }
        let seats = members.compactMapValues { mostPopulous(of: $0) }
        var extents: [String: Double] = [:]
        for u in units where u.population > 0 {
            guard let s = seats[u.canton] else { continue }
            extents[u.canton] = max(extents[u.canton] ?? 0, metric.metres(u.location, units[s].location))
        }
        return extents
    }

    /// The most populous of `members`, ties to the smaller id: how distritos and circuitos are
    /// seated, and where a group of units is located. Nil for none. O(members).
    public func mostPopulous(of members: some Sequence<Int>) -> Int? {
        members.max { (units[$0].population, units[$1].id) < (units[$1].population, units[$0].id) }
    }
}
