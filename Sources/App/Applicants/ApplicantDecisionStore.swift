import Foundation

/// The form's stored decisions.
struct ApplicantDecisionStore: Sendable {
    let database: any SQLDatabase
    static let table = "applicant_decision"

    /// The stored form of a record: its cells as one JSON text column.
    private struct Row: Codable {
        var id: String
        var createdAt: Date
        var requestID: String
        var modelName: String
        var modelVersion: String
        var cells: String
        var probability: Double
        var decision: String
        var score: Int?

        enum CodingKeys: String, CodingKey {
            case id, cells, probability, decision, score
            case createdAt = "created_at", requestID = "request_id", modelName = "model_name", modelVersion = "model_version"
        }
    }

    func save(_ decision: ApplicantDecision) async throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let cells = String(decoding: try encoder.encode(decision.cells), as: UTF8.self)
        let row = Row(
            id: decision.id, createdAt: decision.createdAt, requestID: decision.requestID, modelName: decision.modelName,
            modelVersion: decision.modelVersion, cells: cells, probability: decision.probability, decision: decision.decision, score: decision.score)
        try await database.write { db in try await db.insert(row, into: Self.table) }
    }

    /// The decision with this id; nil when there is none (never was, or deleted by retention).
    func find(id: String) async throws -> ApplicantDecision? {
        guard let row = try await database.read({ db in
            try await db.queryOne("SELECT * FROM \(Self.table) WHERE id = ?", [id])?.decode(Row.self)
        }) else { return nil }
        let cells = try JSONDecoder().decode([String: String].self, from: Data(row.cells.utf8))
        return ApplicantDecision(
            id: row.id, createdAt: row.createdAt, requestID: row.requestID, modelName: row.modelName, modelVersion: row.modelVersion,
            cells: cells, probability: row.probability, decision: row.decision, score: row.score)
    }

    /// Deletes the decisions made before `date` (the uploads' retention rule); returns how many.
    @discardableResult
    func deleteCreated(before date: Date) async throws -> Int {
        try await database.write { db in
            try await db.query("DELETE FROM \(Self.table) WHERE created_at < ? RETURNING id", [date]).count
        }
    }
}
