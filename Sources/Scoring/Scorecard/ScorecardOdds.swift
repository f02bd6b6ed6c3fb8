import Foundation

/// How a scorecard's points map to odds: `score` points at good:bad odds of `odds`, and every
/// `pdo` points multiply those odds by `pdoMultiplier` (2: "points to double the odds").
/// With `higherIsSafer` false, more points mean more risk.
///
/// The log-odds of default a total implies is
/// `−ln(odds) − direction · (total − score) / factor`, with `factor = pdo / ln(pdoMultiplier)`
/// and `direction` +1 when higher is safer: that is the scorecard's raw score, so its
/// probability of default is the logistic of it, as `toad`'s `score_to_proba` computes.
public struct ScorecardOdds: Decodable, Sendable, Equatable {
    public let pdo: Double
    public let pdoMultiplier: Double
    public let score: Double
    public let odds: Double
    public let higherIsSafer: Bool

    enum CodingKeys: String, CodingKey {
        case pdo, score, odds
        case pdoMultiplier = "pdo_multiplier"
        case higherIsSafer = "higher_is_safer"
    }

    public init(pdo: Double, pdoMultiplier: Double = 2, score: Double, odds: Double, higherIsSafer: Bool = true) {
        self.pdo = pdo
        self.pdoMultiplier = pdoMultiplier
        self.score = score
        self.odds = odds
        self.higherIsSafer = higherIsSafer
    }

    /// Points per unit of log-odds.
    public var factor: Double { pdo / log(pdoMultiplier) }

    /// +1 when more points mean a safer applicant, −1 otherwise.
    var direction: Double { higherIsSafer ? 1 : -1 }

    /// The log-odds of default that `points` imply.
    public func logOdds(points: Double) -> Double {
        -log(odds) - direction * (points - score) / factor
    }

    func validated() throws(ModelLoadError) -> ScorecardOdds {
        guard pdo.isFinite, pdo > 0 else { throw ModelLoadError("Scorecard odds: pdo must be a positive number of points; it is \(pdo).") }
        guard pdoMultiplier.isFinite, pdoMultiplier > 1 else {
            throw ModelLoadError("Scorecard odds: pdo_multiplier must be above 1 (2 doubles the odds); it is \(pdoMultiplier).")
        }
        guard odds.isFinite, odds > 0 else { throw ModelLoadError("Scorecard odds: odds must be positive good:bad odds; they are \(odds).") }
        guard score.isFinite else { throw ModelLoadError("Scorecard odds: score must be a number; it is \(score).") }
        return self
    }
}
