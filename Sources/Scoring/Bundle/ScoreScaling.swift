import Foundation

/// Scorecard points from a probability of default:
/// points = offset − factor · ln(p / (1 − p)), with factor = PDO / ln 2 and
/// offset = base points − factor · ln(base odds), base odds being good:bad.
/// So `basePoints` is scored at `baseOdds`, and every `pdo` points double the good:bad odds.
public struct ScoreScaling: Codable, Sendable, Equatable {
    public var basePoints: Double
    public var baseOdds: Double
    public var pdo: Double

    public init(basePoints: Double = 600, baseOdds: Double = 50, pdo: Double = 20) {
        self.basePoints = basePoints
        self.baseOdds = baseOdds
        self.pdo = pdo
    }

    /// The usual scale when a model brings none: 600 points at 50:1, 20 points to double the odds.
    public static let standard = ScoreScaling()

    public var factor: Double { pdo / log(2.0) }
    public var offset: Double { basePoints - factor * log(baseOdds) }

    /// Points for probability of default `p`, rounded to a whole number as scorecards are shown.
    public func points(probability p: Double) -> Int {
        let clamped = min(max(p, 1e-12), 1 - 1e-12)
        return Int((offset - factor * log(clamped / (1 - clamped))).rounded())
    }

    private enum CodingKeys: String, CodingKey { case basePoints, baseOdds, pdo }
}
