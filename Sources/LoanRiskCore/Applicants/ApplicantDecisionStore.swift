import Foundation
import LoanRiskStorage

/// The form's stored decisions.
package struct ApplicantDecisionStore: Sendable {
    package let database: any SQLDatabase
    package static let table = "applicant_decision"

    /// The stored form of a record: its cells as one JSON text column.
    private struct Row: Codable {
        package var id: String
        package var createdAt: Date
        package var requestID: String
        package var modelName: String
        package var modelVersion: String
        package var cells: String
        package var probability: Double
        package var decision: String
        package var score: Int?
        package var teamId: String

        package enum CodingKeys: String, CodingKey {
            case id, cells, probability, decision, score
            case createdAt = "created_at", requestID = "request_id", modelName = "model_name", modelVersion = "model_version"
            case teamId = "team_id"
        }
    }

    package func save(_ decision: ApplicantDecision) async throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let cells = String(decoding: try encoder.encode(decision.cells), as: UTF8.self)
        let row = Row(
            id: decision.id, createdAt: decision.createdAt, requestID: decision.requestID, modelName: decision.modelName,
            modelVersion: decision.modelVersion, cells: cells, probability: decision.probability, decision: decision.decision, score: decision.score,
            teamId: decision.teamID)
        try await database.write { db in try await db.insert(row, into: Self.table) }
    }

    /// The decision with this id made by `team`; nil when there is none (never was, deleted by
    /// retention, or another team's).
    package func find(id: String, team: String) async throws -> ApplicantDecision? {
        guard let row = try await database.read({ db in
            try await db.queryOne("SELECT * FROM \(Self.table) WHERE id = ? AND team_id = ?", [id, team])?.decode(Row.self)
        }) else { return nil }
        let cells = try JSONDecoder().decode([String: String].self, from: Data(row.cells.utf8))
        var decision = ApplicantDecision(
            id: row.id, createdAt: row.createdAt, requestID: row.requestID, modelName: row.modelName, modelVersion: row.modelVersion,
            cells: cells, probability: row.probability, decision: row.decision, score: row.score)
        decision.teamID = row.teamId
        return decision
    }

    /// Deletes the decisions made before `date` (the uploads' retention rule); returns how many.
    @discardableResult
    package func deleteCreated(before date: Date) async throws -> Int {
        try await database.write { db in
            try await db.query("DELETE FROM \(Self.table) WHERE created_at < ? RETURNING id", [date]).count
        }
    }
}
