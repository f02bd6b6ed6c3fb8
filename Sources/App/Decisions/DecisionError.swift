import Scoring

/// Why a decision was not given, as a value the surfaces map to their own answers (a
/// problem+json status, an OIP error, a page): the core never speaks HTTP.
enum DecisionError: Error, Sendable {
    /// More applicants in one request than the operator allows (`API_BATCH_LIMIT`).
    case tooManyApplicants(limit: Int, count: Int)
    /// Some applicants could not be read or scored; none was decided, so none was recorded.
    /// Every problem is listed, in applicant order.
    case invalid([ApplicantProblem])
    /// A whole file could not be read (its header, its shape, its columns).
    case unreadableFile(InputFileError)
    /// The audit log could not take the decisions' records, so they were not given.
    case notRecorded

    /// The sentence every surface shows for `notRecorded`.
    static let notRecordedMessage = "The decision could not be recorded in the audit log, so none was given. Try again shortly."
}

/// One value of one applicant that stopped the request's decisions.
struct ApplicantProblem: Sendable, Equatable {
    /// The applicant's position in the request, from 0.
    var applicant: Int
    /// The input (column) it concerns; empty for the applicant as a whole.
    var field: String
    /// The value as given, when there was one.
    var value: String?
    var message: String
}
