import Foundation

/// The population stability index between an expected and an actual distribution over the
/// same bins: PSI = Σ (aᵢ − eᵢ) · ln(aᵢ / eᵢ). An empty bin would make it infinite, so — as
/// Evidently does, to give the same values — each side's empty bins count as 0.0001, or as a
/// millionth of that side's smallest non-empty share when that is 0.0001 or less. Read it as:
/// < 0.1 stable, 0.1–0.25 a moderate shift, > 0.25 a major one.
public enum PopulationStability {
    /// What an empty bin counts as, unless a side has a smaller share than this.
    public static let floor = 0.0001

    /// PSI from two lists of proportions (each summing to 1, same bins, same order).
    public static func index(expected: [Double], actual: [Double]) -> Double {
        precondition(expected.count == actual.count, "PSI needs the same bins on both sides")
        let fillExpected = emptyBinShare(expected), fillActual = emptyBinShare(actual)
        var total = 0.0
        // A bin empty on both sides says nothing (Evidently has no such bin).
        for (e, a) in zip(expected, actual) where e > 0 || a > 0 {
            let e = e == 0 ? fillExpected : e, a = a == 0 ? fillActual : a
            total += (a - e) * log(a / e)
        }
        return total
    }

    /// The share an empty bin counts as on one side.
    static func emptyBinShare(_ shares: [Double]) -> Double {
        var smallest = Double.infinity
        for share in shares where share > 0 && share < smallest { smallest = share }
        return smallest <= floor ? smallest / 1e6 : floor
    }

    /// Proportions of `values` in the bins `edges` makes: bin i holds `edges[i] ≤ x < edges[i+1]`,
    /// the first bin also everything below, the last everything above. Empty input: all zero.
    public static func proportions(_ values: [Double], edges: [Double]) -> [Double] {
        let binCount = max(1, edges.count - 1)
        var counts = [Int](repeating: 0, count: binCount)
        for value in values where !value.isNaN {
            // The first edge above the value, minus one: its bin.
            var low = 1, high = edges.count - 1
            while low < high {
                let middle = (low + high) / 2
                if value < edges[middle] { high = middle } else { low = middle + 1 }
            }
            counts[min(binCount - 1, max(0, low - 1))] += 1
        }
        let total = counts.reduce(0, +)
        return counts.map { total == 0 ? 0 : Double($0) / Double(total) }
    }

    /// Edges of `binCount` bins holding about equal shares of `values` (its quantiles), the
    /// usual binning when there is no reference of its own; repeated quantiles merge, so
    /// heavily tied data gets fewer bins.
    public static func quantileEdges(_ values: [Double], binCount: Int = 10) -> [Double] {
        let sorted = values.filter { !$0.isNaN }.sorted()
        guard let first = sorted.first, let last = sorted.last, binCount > 0 else { return [] }
        var edges = [first]
        for i in 1..<binCount {
            let q = sorted[min(sorted.count - 1, i * sorted.count / binCount)]
            if q > edges[edges.count - 1] { edges.append(q) }
        }
        if last > edges[edges.count - 1] { edges.append(last) } else if edges.count == 1 { edges.append(first) }
        return edges
    }

    /// PSI of `actual` against `expected`, binned at `expected`'s quantiles.
    public static func index(expectedValues: [Double], actualValues: [Double], binCount: Int = 10) -> Double {
        let edges = quantileEdges(expectedValues, binCount: binCount)
        guard edges.count >= 2 else { return 0 }
        return index(expected: proportions(expectedValues, edges: edges), actual: proportions(actualValues, edges: edges))
    }
}
