import Foundation

/// One applicant decided through the form (`applicant_decision`): what was entered, by which
/// model version, and what it decided. Its page (`/applicants/{id}`) is shown from this record
/// on every reload — nothing is scored or audited again — and no entered value is ever put in
/// an address. It holds an applicant's data, so it is deleted with the uploads
/// (`RETENTION_DAYS`); its audit record (`requestID`) stays as long as the audit log.
struct ApplicantDecision: Codable, Sendable, Equatable {
    /// Random and unguessable, like a batch id: the page's address.
    var id: String
    var createdAt: Date
    var requestID: String
    var modelName: String
    var modelVersion: String
    /// The values entered, by input column (missing ones absent or empty).
    var cells: [String: String]
    var probability: Double
    var decision: String
    var score: Int?

    enum CodingKeys: String, CodingKey {
        case id, cells, probability, decision, score
        case createdAt = "created_at", requestID = "request_id", modelName = "model_name", modelVersion = "model_version"
    }
}
