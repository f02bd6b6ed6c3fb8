/// What the lender should do with an application.
public enum Decision: String, Codable, Sendable, CaseIterable {
    case approve, review, decline
}

/// Cut-offs on the probability of default: approve below `approveBelow`, decline at or above
/// `declineAtOrAbove`, refer to a person in between.
public struct DecisionPolicy: Codable, Sendable, Equatable {
    public var approveBelow: Double
    public var declineAtOrAbove: Double

    public init(approveBelow: Double, declineAtOrAbove: Double) {
        precondition(approveBelow <= declineAtOrAbove, "approve cut-off above decline cut-off")
        self.approveBelow = approveBelow
        self.declineAtOrAbove = declineAtOrAbove
    }

    /// The policy of a model without one: decline at p ≥ 0.5, approve otherwise.
    public static let even = DecisionPolicy(approveBelow: 0.5, declineAtOrAbove: 0.5)

    public func decide(probability: Double) -> Decision {
        if probability >= declineAtOrAbove { return .decline }
        return probability < approveBelow ? .approve : .review
    }

    /// `decide(probability:)` for an applicant whose `issues` may hold an approval for review
    /// (a key input missing: `FieldIssue.Kind.holdsApproval`). A decline stays a decline.
    public func decide(probability: Double, issues: [FieldIssue]) -> Decision {
        let decision = decide(probability: probability)
        guard decision == .approve, issues.contains(where: { $0.kind?.holdsApproval == true }) else { return decision }
        return .review
    }

    /// Whether an applicant with this probability was held for review rather than decided by
    /// the cut-offs alone: the cut-offs approve it, its decision is review.
    public func wasHeld(probability: Double, decision: Decision) -> Bool {
        decision == .review && probability < approveBelow
    }
}
