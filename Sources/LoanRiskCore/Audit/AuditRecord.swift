import Foundation
import LoanRiskStorage
import Scoring

/// One scored applicant's audit record (`audit_record`): when, through which channel, which
/// exact model (name, version, sha256), and what it decided and why. No applicant fields —
/// only the applicant id when the file or request has one — so the record can be kept for
/// the years a regulator asks while the uploads themselves are deleted within days.
public struct AuditRecord: Codable, Sendable, Equatable {
    package static let table = "audit_record"

    /// How a decision was asked for; `review` is an analyst's decision on a case the model
    /// referred (its `decision` is the analyst's; probability and score are the model's).
    public enum Channel: String, Codable, Sendable, CaseIterable {
        case api, oip, batch, form, review
    }

    public var id: Int64?
    public var at: Date
    /// The API request's id (the `X-Request-Id` answer header), or the batch's id.
    public var requestID: String
    public var channel: Channel
    /// A batch's row number, or the applicant's position in an API request (both from 1).
    public var rowNumber: Int?
    public var applicantID: String?
    public var modelName: String
    public var modelVersion: String
    public var modelSha256: String
    /// nil for a row that could not be scored (its decision is nil too).
    public var probability: Double?
    public var decision: String?
    public var score: Int?
    /// The reasons' features, most important first, `;`-separated; empty when none raised
    /// the risk; nil when no reasons were computed for the answer.
    public var reasonCodes: String?
    /// Who asked for the decision (`key:origination`, `account:ana`, `admin-token:ops`); nil
    /// on records made before callers were recorded, and in journal lines written then.
    public var caller: String?

    package enum CodingKeys: String, CodingKey {
        case id, at, channel, probability, decision, score, caller
        case requestID = "request_id", rowNumber = "row_number", applicantID = "applicant_id"
        case modelName = "model_name", modelVersion = "model_version", modelSha256 = "model_sha256"
        case reasonCodes = "reason_codes"
    }

    public init(
        id: Int64? = nil, at: Date, requestID: String, channel: Channel, rowNumber: Int?, applicantID: String?, modelName: String,
        modelVersion: String, modelSha256: String, probability: Double?, decision: String?, score: Int?, reasonCodes: String?,
        caller: String? = nil
    ) {
        self.id = id
        self.at = at
        self.requestID = requestID
        self.channel = channel
        self.rowNumber = rowNumber
        self.applicantID = applicantID
        self.modelName = modelName
        self.modelVersion = modelVersion
        self.modelSha256 = modelSha256
        self.probability = probability
        self.decision = decision
        self.score = score
        self.reasonCodes = reasonCodes
        self.caller = caller
    }

    /// The record of one outcome scored by `bundle`.
    public init(
        at: Date, requestID: String, channel: Channel, rowNumber: Int?, applicantID: String?, bundle: ModelBundle, outcome: RowOutcome,
        caller: String? = nil
    ) {
        self.at = at
        self.requestID = requestID
        self.channel = channel
        self.rowNumber = rowNumber
        self.applicantID = applicantID
        modelName = bundle.name
        modelVersion = bundle.version
        modelSha256 = bundle.sha256
        probability = outcome.probability
        decision = outcome.decision?.rawValue
        score = outcome.score
        reasonCodes = outcome.explanation.map { Self.codes($0.reasons) }
        self.caller = caller
    }

    /// The columns `insertValues` fills, as `CodingKeys` names them (all but `id`).
    package static let insertColumns = [
        "at", "request_id", "channel", "row_number", "applicant_id", "model_name", "model_version", "model_sha256",
        "probability", "decision", "score", "reason_codes", "caller",
    ]

    /// The record's values for `insertColumns`, as the Codable path binds them: the API's
    /// records are written at the rate answers go out, and encoding each through
    /// `SQLRecordEncoder` cost more than SQLite's insert of it.
    package var insertValues: [SQLValue] {
        [
            .date(at), .text(requestID), .text(channel.rawValue), rowNumber.map { .integer(Int64($0)) } ?? .null,
            applicantID.map { .text($0) } ?? .null, .text(modelName), .text(modelVersion), .text(modelSha256),
            probability.map { .real($0) } ?? .null, decision.map { .text($0) } ?? .null, score.map { .integer(Int64($0)) } ?? .null,
            reasonCodes.map { .text($0) } ?? .null, caller.map { .text($0) } ?? .null,
        ]
    }

    /// Reason codes as stored: the features, in order.
    package static func codes(_ reasons: [Reason]) -> String {
        var codes = ""
        for (index, reason) in reasons.enumerated() {
            if index > 0 { codes += ";" }
            codes += reason.feature
        }
        return codes
    }

    /// The columns of the CSV export, in order.
    package static let csvColumns = ["id", "at", "request_id", "channel", "row_number", "applicant_id", "model_name", "model_version",
                             "model_sha256", "probability", "decision", "score", "reason_codes", "caller"]
}
