extension BundleDraft {
    /// Cut-offs at the sample's probability quantiles: the lowest-risk `approveShare` of the
    /// rows are approved (p < approve_below, the probability of the first row not approved),
    /// the next `reviewShare` reviewed, the rest declined; ties at a cut-off fall to the
    /// riskier side. The rates are those the cut-offs give on the sample; with outcomes also
    /// the bad rate among the approved and the share of bads declined outright.
    static func policy(_ probabilities: [Double], bad: [Bool?]?, options: BundleDraftOptions) -> BundleDocument.Policy {
        let sorted = probabilities.sorted()
        let n = sorted.count
        func cut(_ share: Double) -> Double {
            let index = Int((share * Double(n)).rounded())
            if index >= n { return (sorted.last ?? 1).nextUp }
            return sorted[index]
        }
        let approveBelow = cut(options.approveShare)
        let declineAtOrAbove = max(approveBelow, cut(options.approveShare + options.reviewShare))
        let rule = DecisionPolicy(approveBelow: approveBelow, declineAtOrAbove: declineAtOrAbove)
        let decisions = probabilities.map { rule.decide(probability: $0) }
        func share(_ decision: Decision) -> Double { Double(decisions.filter { $0 == decision }.count) / Double(max(n, 1)) }
        var badRateAmongApproved: Double?
        var recallOfDefaulters: Double?
        if let bad {
            let known = decisions.indices.filter { bad[$0] != nil }
            let approved = known.filter { decisions[$0] == .approve }
            let bads = known.filter { bad[$0] == true }
            badRateAmongApproved = approved.isEmpty ? 0 : Double(approved.filter { bad[$0] == true }.count) / Double(approved.count)
            recallOfDefaulters = bads.isEmpty ? 0 : Double(bads.filter { decisions[$0] == .decline }.count) / Double(bads.count)
        }
        let percent = { (x: Double) in "\(Int((x * 100).rounded())) %" }
        return BundleDocument.Policy(
            approveBelow: approveBelow, declineAtOrAbove: declineAtOrAbove, keyInputs: [], holdOnDrift: true,
            basis: "Default cut-offs of loanrisk bundle init: at the sample's probability quantiles, approving the lowest-risk "
                + "\(percent(options.approveShare)) of the sample, reviewing the next \(percent(options.reviewShare)) and declining the rest. "
                + "Not chosen by cost: set them to the lender's risk appetite.",
            approvalRate: share(.approve), reviewRate: share(.review), declineRate: share(.decline),
            badRateAmongApproved: badRateAmongApproved, recallOfDefaulters: recallOfDefaulters,
            ratesFrom: "the \(n) sample rows scored by this model")
    }
}
