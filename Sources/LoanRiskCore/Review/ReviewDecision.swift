import Foundation

/// An analyst's decision on a case the model referred for review (`review_decision`). A
/// credit decision, so it is kept as long as the audit log (`AUDIT_RETENTION_DAYS`), not with
/// the upload it came from: it copies the facts a reader needs once the batch's rows are
/// gone — which case, the applicant's id, the model and what it said — beside the analyst's
/// decision, note, time and, once accounts exist, who.
public struct ReviewDecision: Codable, Sendable, Equatable {
    /// Where the case came from: a row of an upload (`requestID` is the batch id), or an
    /// applicant decided through the form (`requestID` is the stored decision's id, the
    /// address of its page; `rowNumber` 1).
    public enum Channel: String, Codable, Sendable, CaseIterable {
        case batch, form
    }

    /// Its row in `review_decision`; nil until stored.
    public var id: Int64?
    public var channel: Channel
    /// The batch's id, or the form decision's.
    public var requestID: String
    /// The row in the file, from 1 (1 for the form).
    public var rowNumber: Int
    /// The file's applicant id, when it has an id column.
    public var applicantID: String?
    /// When the case was referred (the upload's or the form decision's time).
    public var referredAt: Date
    public var modelName: String
    public var modelVersion: String
    /// What the model's policy decided (review).
    public var modelDecision: String
    public var probability: Double?
    public var score: Int?
    /// The analyst's: approve or decline.
    public var decision: String
    /// Free text; empty when none.
    public var note: String
    public var decidedAt: Date
    /// Who decided; nil until accounts exist.
    public var decidedBy: String?

    public enum CodingKeys: String, CodingKey {
        case id, channel, probability, score, decision, note
        case requestID = "request_id", rowNumber = "row_number", applicantID = "applicant_id", referredAt = "referred_at"
        case modelName = "model_name", modelVersion = "model_version", modelDecision = "model_decision"
        case decidedAt = "decided_at", decidedBy = "decided_by"
    }

    public init(
        channel: Channel, requestID: String, rowNumber: Int, applicantID: String?, referredAt: Date, modelName: String, modelVersion: String,
        modelDecision: String, probability: Double?, score: Int?, decision: String, note: String, decidedAt: Date, decidedBy: String? = nil,
        id: Int64? = nil
    ) {
        self.id = id
        self.channel = channel
        self.requestID = requestID
        self.rowNumber = rowNumber
        self.applicantID = applicantID
        self.referredAt = referredAt
        self.modelName = modelName
        self.modelVersion = modelVersion
        self.modelDecision = modelDecision
        self.probability = probability
        self.score = score
        self.decision = decision
        self.note = note
        self.decidedAt = decidedAt
        self.decidedBy = decidedBy
    }
}
