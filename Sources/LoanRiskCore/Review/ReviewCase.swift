import Foundation

/// A case waiting in the review queue: a batch row or a form decision the policy referred
/// that no analyst has decided, with what the queue page shows of it.
public struct ReviewCase: Sendable, Equatable {
    public var channel: ReviewDecision.Channel
    /// The batch's id, or the form decision's.
    public var requestID: String
    /// The uploaded file's name; empty for the form.
    public var fileName: String
    public var rowNumber: Int
    public var applicantID: String?
    /// When it was referred (the upload's time): the queue is oldest first.
    public var referredAt: Date
    public var modelName: String
    public var modelVersion: String
    public var probability: Double?
    public var score: Int?
    /// The row's status: `ok`, or the warnings that may have held it for review (`ok` for
    /// the form, which keeps none).
    public var status: String
}
