extension ScorecardModel {
    /// The card's own scale, so that LoanRisk's score is the card's total (rounded as scores
    /// are shown) rather than the standard scale's: `score` points at good:bad odds `odds`,
    /// `pdo` more each time they double. A card whose points grow with risk, or that
    /// multiplies the odds by other than 2 every `pdo` points, has no such scale and keeps
    /// the bundle's.
    public var scoreScaling: ScoreScaling? {
        guard odds.higherIsSafer, odds.pdoMultiplier == 2 else { return nil }
        return ScoreScaling(basePoints: odds.score, baseOdds: odds.odds, pdo: odds.pdo)
    }
}
