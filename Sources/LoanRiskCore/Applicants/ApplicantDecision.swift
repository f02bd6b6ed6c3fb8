import Foundation

/// One applicant decided through the form (`applicant_decision`): what was entered, by which
/// model version, and what it decided. Its page (`/applicants/{id}`) is shown from this record
/// on every reload — nothing is scored or audited again — and no entered value is ever put in
/// an address. It holds an applicant's data, so it is deleted with the uploads
/// (`RETENTION_DAYS`); its audit record (`requestID`) stays as long as the audit log.
package struct ApplicantDecision: Codable, Sendable, Equatable {
    /// Random and unguessable, like a batch id: the page's address.
    package var id: String
    package var createdAt: Date
    package var requestID: String
    package var modelName: String
    package var modelVersion: String
    /// The values entered, by input column (missing ones absent or empty).
    package var cells: [String: String]
    package var probability: Double
    package var decision: String
    package var score: Int?
    /// The team of whoever decided it: nobody outside it can open its page.
    package var teamID = "default"

    package init(
        id: String, createdAt: Date, requestID: String, modelName: String, modelVersion: String, cells: [String: String],
        probability: Double, decision: String, score: Int?
    ) {
        self.id = id
        self.createdAt = createdAt
        self.requestID = requestID
        self.modelName = modelName
        self.modelVersion = modelVersion
        self.cells = cells
        self.probability = probability
        self.decision = decision
        self.score = score
    }

    package enum CodingKeys: String, CodingKey {
        case id, cells, probability, decision, score
        case createdAt = "created_at", requestID = "request_id", modelName = "model_name", modelVersion = "model_version"
        case teamID = "team_id"
    }
}
