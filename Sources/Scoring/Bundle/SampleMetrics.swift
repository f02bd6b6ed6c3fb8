/// How well a model ranks and calibrates on the rows of a sample whose outcomes are known,
/// with the training pipeline's definitions (`training/loanrisk_training/metrics.py`). Measured
/// on the sample as it is, not cross-validated: a model's own training rows flatter it, and a
/// few hundred rows leave a wide margin of error.
public struct SampleMetrics: Codable, Sendable, Equatable {
    /// Rows with an outcome, and how many of them were bad.
    public var rows: Int
    public var bads: Int
    public var badRate: Double
    /// Area under the ROC curve (ties counted half, as scikit-learn's `roc_auc_score`); nil
    /// when the rows are all good or all bad.
    public var rocAuc: Double?
    public var gini: Double?
    /// Kolmogorov–Smirnov: the largest gap between the bads' and the goods' cumulative shares.
    public var ks: Double?
    /// Mean squared error of the probability.
    public var brier: Double
    /// Expected calibration error over 10 equal-width bins of [0, 1].
    public var ece: Double
    /// Says where the figures come from, for whoever reads bundle.json.
    public var note: String

    /// `probabilities[i]` with outcome `bad[i]`.
    public init(probabilities: [Double], bad: [Bool]) {
        precondition(probabilities.count == bad.count, "one outcome a probability")
        rows = bad.count
        bads = bad.filter { $0 }.count
        badRate = rows == 0 ? 0 : Double(bads) / Double(rows)
        brier = rows == 0 ? 0 : zip(probabilities, bad).map { ($0 - ($1 ? 1 : 0)) * ($0 - ($1 ? 1 : 0)) }.reduce(0, +) / Double(rows)
        ece = Self.ece(probabilities, bad)
        note = "measured on the \(rows) sample rows with an outcome, not cross-validated"
        let goods = rows - bads
        guard bads > 0, goods > 0 else { return }
        // Walk the probabilities from the highest down, a group of ties at a time: each good
        // is outranked by the bads above it, and ties with the bads beside it count half.
        let order = probabilities.indices.sorted { probabilities[$0] > probabilities[$1] }
        var badsAbove = 0, goodsAbove = 0
        var pairs = 0.0
        var largestGap = 0.0
        var start = 0
        while start < order.count {
            var end = start
            var groupBads = 0, groupGoods = 0
            while end < order.count, probabilities[order[end]] == probabilities[order[start]] {
                if bad[order[end]] { groupBads += 1 } else { groupGoods += 1 }
                end += 1
            }
            pairs += Double(groupGoods) * (Double(badsAbove) + Double(groupBads) / 2)
            badsAbove += groupBads
            goodsAbove += groupGoods
            largestGap = max(largestGap, Double(badsAbove) / Double(bads) - Double(goodsAbove) / Double(goods))
            start = end
        }
        let auc = pairs / (Double(bads) * Double(goods))
        rocAuc = auc
        gini = 2 * auc - 1
        ks = largestGap
    }

    private static func ece(_ p: [Double], _ bad: [Bool]) -> Double {
        var count = [Int](repeating: 0, count: 10)
        var predicted = [Double](repeating: 0, count: 10)
        var observed = [Double](repeating: 0, count: 10)
        for (probability, isBad) in zip(p, bad) {
            let bin = min(Int(probability * 10), 9)
            count[bin] += 1
            predicted[bin] += probability
            observed[bin] += isBad ? 1 : 0
        }
        var total = 0.0
        for bin in 0..<10 where count[bin] > 0 {
            let n = Double(count[bin])
            total += n / Double(p.count) * abs(predicted[bin] / n - observed[bin] / n)
        }
        return total
    }

    enum CodingKeys: String, CodingKey {
        case rows, bads, badRate = "bad_rate", rocAuc = "roc_auc", gini, ks, brier, ece, note
    }
}
