import Foundation
import LoanRiskStorage
import Scoring

/// One applicant scored by both the champion and the challenger (`shadow_pair`).
package struct ShadowPair: Codable, Sendable, Equatable {
    package var at: Date
    package var name: String
    package var championVersion: String
    package var challengerVersion: String
    package var channel: AuditRecord.Channel
    /// The API request's id, or the batch's id.
    package var requestID: String
    package var rowNumber: Int
    package var championProbability: Double
    package var challengerProbability: Double
    package var championDecision: String
    package var challengerDecision: String
    /// The file's (or request's) applicant id; nil when it had none, or for pairs stored before
    /// v13 (`ShadowStore.comparison` looks those up where the row still is).
    package var applicantID: String?

    package enum CodingKeys: String, CodingKey {
        case at, name, channel
        case applicantID = "applicant_id"
        case championVersion = "champion_version", challengerVersion = "challenger_version"
        case requestID = "request_id", rowNumber = "row_number"
        case championProbability = "champion_probability", challengerProbability = "challenger_probability"
        case championDecision = "champion_decision", challengerDecision = "challenger_decision"
    }

    package init(at: Date, name: String, championVersion: String, challengerVersion: String, channel: AuditRecord.Channel, requestID: String,
         rowNumber: Int, championProbability: Double, challengerProbability: Double, championDecision: String, challengerDecision: String,
         applicantID: String? = nil) {
        self.at = at
        self.name = name
        self.championVersion = championVersion
        self.challengerVersion = challengerVersion
        self.channel = channel
        self.requestID = requestID
        self.rowNumber = rowNumber
        self.championProbability = championProbability
        self.challengerProbability = challengerProbability
        self.championDecision = championDecision
        self.challengerDecision = challengerDecision
        self.applicantID = applicantID
    }
}

/// The pairs of shadow scoring, and what they say about a champion and its challenger.
package struct ShadowStore: Sendable {
    package let database: any SQLDatabase

    package func append(_ pairs: [ShadowPair]) async throws {
        guard !pairs.isEmpty else { return }
        try await database.write { db in try await db.insert(pairs, into: "shadow_pair") }
    }

    /// Deletes pairs scored before `date` (`SHADOW_RETENTION_DAYS`): they name applicants and
    /// what two models made of them, so they go like the uploads do. Returns how many.
    @discardableResult
    package func deleteOlder(than date: Date) async throws -> Int {
        try await database.write { db in
            try await db.query("DELETE FROM shadow_pair WHERE at < ? RETURNING id", [date]).count
        }
    }

    /// Everything the challenger page and its JSON show, for one champion/challenger pair of versions.
    package struct Comparison: Codable, Sendable, Equatable {
        package var name: String
        package var champion: String
        package var challenger: String
        package var pairs: Int
        /// Share of pairs with the same decision; nil without pairs.
        package var agreement: Double?
        /// `flips[champion decision][challenger decision]`: counts, decisions in approve, review, decline order.
        package var flips: [[Int]]
        /// PSI of the challenger's probabilities against the champion's, on the champion's deciles.
        package var scorePSI: Double?
        package var largestDifferences: [ShadowPair]
        /// Pairs decided differently: how many, and the first `flippedShown` of them, the
        /// largest change first — across two steps (approve ↔ decline) before one, then by
        /// the difference in probability.
        package var flippedCount: Int
        package var flipped: [ShadowPair]

        package enum CodingKeys: String, CodingKey {
            case name, champion, challenger, pairs, agreement, flips, flipped
            case scorePSI = "score_psi", largestDifferences = "largest_differences", flippedCount = "flipped_count"
        }

        package static let decisions = ["approve", "review", "decline"]
    }

    /// The comparison over every pair of these two versions (the PSI over the latest
    /// `psiSample` pairs, which is plenty for ten bins).
    package func comparison(
        name: String, champion: String, challenger: String, psiSample: Int = 200_000, flippedShown: Int = 50
    ) async throws -> Comparison {
        try await database.read { db in
            let filter = "name = ? AND champion_version = ? AND challenger_version = ?"
            let arguments: [any SQLBindable] = [name, champion, challenger]
            var flips = [[Int]](repeating: [0, 0, 0], count: 3)
            var total = 0
            for row in try await db.query("SELECT champion_decision, challenger_decision, COUNT(*) AS n FROM shadow_pair WHERE \(filter) GROUP BY 1, 2", arguments) {
                let n: Int = try row.get("n")
                total += n
                guard let a = Comparison.decisions.firstIndex(of: try row.get("champion_decision")),
                      let b = Comparison.decisions.firstIndex(of: try row.get("challenger_decision")) else { continue }
                flips[a][b] += n
            }
            let same = (0..<3).reduce(0) { $0 + flips[$1][$1] }
            let differences = try await Self.named(db, try await db.query("""
                SELECT * FROM shadow_pair WHERE \(filter)
                ORDER BY ABS(challenger_probability - champion_probability) DESC, id LIMIT 10
                """, arguments).map { try $0.decode(ShadowPair.self) })
            func rank(_ column: String) -> String { "(CASE \(column) WHEN 'approve' THEN 0 WHEN 'review' THEN 1 ELSE 2 END)" }
            let flipped = try await Self.named(db, try await db.query("""
                SELECT * FROM shadow_pair WHERE \(filter) AND champion_decision <> challenger_decision
                ORDER BY ABS(\(rank("challenger_decision")) - \(rank("champion_decision"))) DESC,
                  ABS(challenger_probability - champion_probability) DESC, id
                LIMIT ?
                """, arguments + [flippedShown]).map { try $0.decode(ShadowPair.self) })
            var championScores: [Double] = []
            var challengerScores: [Double] = []
            for row in try await db.query("SELECT champion_probability, challenger_probability FROM shadow_pair WHERE \(filter) ORDER BY id DESC LIMIT ?", arguments + [psiSample]) {
                championScores.append(try row.get("champion_probability"))
                challengerScores.append(try row.get("challenger_probability"))
            }
            return Comparison(
                name: name, champion: champion, challenger: challenger, pairs: total,
                agreement: total == 0 ? nil : Double(same) / Double(total), flips: flips,
                scorePSI: total == 0 ? nil : PopulationStability.index(expectedValues: championScores, actualValues: challengerScores),
                largestDifferences: differences, flippedCount: total - same, flipped: flipped)
        }
    }

    /// `pairs` with their applicant ids: pairs stored before the id was kept are looked up in
    /// the batch's rows (while the batch is stored) or the answer's audit record.
    private static func named(_ db: any SQLConnection, _ pairs: [ShadowPair]) async throws -> [ShadowPair] {
        var named = pairs
        for index in named.indices where named[index].applicantID == nil {
            let pair = named[index]
            named[index].applicantID = pair.channel == .batch
                ? try await db.scalar(
                    "SELECT r.applicant_id FROM batch b JOIN batch_row r ON r.batch_key = b.key WHERE b.id = ? AND r.row_number = ?",
                    [pair.requestID, pair.rowNumber])
                : try await db.scalar(
                    "SELECT applicant_id FROM audit_record WHERE request_id = ? AND row_number = ? AND channel = ? ORDER BY id LIMIT 1",
                    [pair.requestID, pair.rowNumber, pair.channel.rawValue])
        }
        return named
    }
}
