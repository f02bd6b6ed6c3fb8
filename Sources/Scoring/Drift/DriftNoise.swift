import Foundation

/// How large a PSI sampling noise alone gives for a given number of rows, so that a small
/// file is judged against what its size allows: 20 clean rows over ten decile bins leave
/// about three bins empty, each counting as 0.0001 against 0.1, and give a PSI near 1.1 on
/// average where 5,000 rows give 0.002. The fixed bands (0.1 / 0.25) stay the floor: a big
/// file is judged exactly as before.
///
/// The level is a high quantile of the PSI of `rows` draws from the reference proportions
/// themselves, computed, not simulated (deterministic, a few milliseconds a report):
/// - each bin's count is binomial, so the mean and variance of its term for the bins it
///   fills are exact sums over the binomial's mass (the variance scaled by
///   (k − 1) / (k − 2 + Σ e²), the multinomial's correction of a chi-square's variance for
///   counts that sum to `rows`); their sum is read as a scaled chi-square (mean and variance
///   matched; Wilson–Hilferty's cube-root normal for its tail) — the classic χ²/n view of PSI;
/// - an empty bin's term, the floor's jump e · ln(e / 0.0001), comes apart: a bin is empty with
///   probability (1 − e)ⁿ, and the jumps' sum is an exact distribution on a fine grid
///   (bins taken as independent, which overstates the chance of several empty at once).
/// Against 100,000 multinomial draws per case (18 inputs of the three bundles, 20 to 3,000
/// rows) the computed level is 0.86–1.33 times the simulated one, median 1.04; where it
/// exceeds 0.25 (where it decides) at most 8 % below (`python3 bench/drift_noise.py --simulate`).
public enum DriftNoise {
    /// The share of clean files allowed above `major`, per measure: with ~20 inputs and the
    /// score, about 0.2 % of clean files get a banner (measured: `bench/drift_noise.py`).
    public static let majorQuantile = 0.9999
    /// The share allowed above `moderate`, per measure.
    public static let moderateQuantile = 0.999
    /// Above this many rows noise is far below the fixed bands for any usual binning
    /// (k ≤ 100 bins: χ²₉₉ at 99.99 % is 160, 0.008 at 20,000 rows): the fixed bands apply.
    public static let largeFile = 20_000
    /// The grid the empty-bin jumps are summed on (rounded up: the level errs high).
    static let step = 0.002

    /// The bands for `rows` rows of an input (or score) whose reference proportions are
    /// `expected`: the noise levels at `majorQuantile` and `moderateQuantile`, never below `floor`.
    public static func bands(expected: [Double], rows: Int, floor: DriftBands) -> DriftBands {
        guard rows > 0, rows < largeFile else { return floor }
        let noise = Noise(expected: expected, rows: rows)
        let major = max(floor.major, noise.level(majorQuantile))
        let moderate = min(major, max(floor.moderate, noise.level(moderateQuantile)))
        return DriftBands(moderate: moderate, major: major)
    }

    /// The noise of one set of bins at one size.
    struct Noise {
        /// Mean and variance of the terms of filled bins.
        var mean = 0.0
        var variance = 0.0
        /// Probability of each total of empty-bin jumps, by multiples of `step`.
        var jumps: [Double] = [1]
        /// The jumps' totals that matter (probability above 1e-14), as (multiple of `step`, probability).
        var likely: [(steps: Int, probability: Double)] = []

        init(expected: [Double], rows: Int) {
            let n = Double(rows)
            // What an empty bin of the file counts as (`PopulationStability.emptyBinShare`): a
            // filled bin holds at least 1/n, so 0.0001 unless 1/n is that small.
            let fill = 1 / n <= PopulationStability.floor ? 1 / n / 1e6 : PopulationStability.floor
            // ln k! for k ≤ rows, summed once: the binomial's mass below needs three a count.
            var logFactorial = [Double](repeating: 0, count: rows + 1)
            for k in stride(from: 2, through: rows, by: 1) { logFactorial[k] = logFactorial[k - 1] + log(Double(k)) }
            var filled = 0, sumOfSquares = 0.0
            for e in expected where e > 0 && e < 1 {
                filled += 1
                sumOfSquares += e * e
                // The count's mass within 12 standard deviations of its mean (the rest is < 1e-30).
                let sd = (n * e * (1 - e)).squareRoot()
                let low = max(1, Int((n * e - 12 * sd).rounded(.down)) - 2), high = min(rows, Int((n * e + 12 * sd).rounded(.up)) + 2)
                var m1 = 0.0, m2 = 0.0
                if low <= high {
                    for c in low...high {
                        let count = Double(c)
                        let mass = exp(logFactorial[rows] - logFactorial[c] - logFactorial[rows - c] + count * log(e) + (n - count) * log1p(-e))
                        let share = count / n
                        let term = (share - e) * log(share / e)
                        m1 += mass * term
                        m2 += mass * term * term
                    }
                }
                mean += m1
                variance += max(0, m2 - m1 * m1)
                let empty = exp(n * log1p(-e))
                guard empty > 1e-12 else { continue }
                let jump = Int(((fill - e) * log(fill / e) / DriftNoise.step).rounded(.up))
                var next = [Double](repeating: 0, count: jumps.count + jump)
                for (i, p) in jumps.enumerated() where p > 0 {
                    next[i] += p * (1 - empty)
                    next[i + jump] += p * empty
                }
                jumps = next
            }
            if filled > 1 { variance *= Double(filled - 1) / (Double(filled) - 2 + sumOfSquares) }
            // A bin that is always filled (e == 1) adds nothing; nor does one never filled.
            likely = jumps.enumerated().filter { $0.element > 1e-14 }.map { (steps: $0.offset, probability: $0.element) }
        }

        /// The PSI that noise exceeds with probability 1 − `quantile`.
        func level(_ quantile: Double) -> Double {
            let alpha = 1 - quantile
            var low = 0.0, high = Double(jumps.count) * DriftNoise.step + mean + 50 * variance.squareRoot() + 1
            // 30 halvings leave the level within a millionth of its bracket (a few units of PSI).
            for _ in 0..<30 {
                let middle = (low + high) / 2
                if tail(middle) > alpha { low = middle } else { high = middle }
            }
            return high
        }

        /// P(PSI > x): the jumps' distribution convolved with the filled bins' scaled chi-square.
        func tail(_ x: Double) -> Double {
            var total = 0.0
            for (steps, p) in likely {
                total += p * chiSquareTail(x - Double(steps) * DriftNoise.step)
            }
            return total
        }

        /// P(a · χ²_ν > x) for the a and ν whose mean and variance are `mean` and `variance`.
        func chiSquareTail(_ x: Double) -> Double {
            guard x > 0 else { return 1 }
            guard mean > 0, variance > 0 else { return 0 }
            let scale = variance / (2 * mean), degrees = 2 * mean * mean / variance
            let spread = 2 / (9 * degrees)
            let z = (pow(x / scale / degrees, 1.0 / 3) - (1 - spread)) / spread.squareRoot()
            return 0.5 * erfc(z / 2.0.squareRoot())
        }
    }
}
