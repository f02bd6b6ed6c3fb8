import Scoring

/// Why a decision was not given, as a value the surfaces map to their own answers (a
/// problem+json status, an OIP error, a page): the core never speaks HTTP.
package enum DecisionError: Error, Sendable {
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
    package static let notRecordedMessage = "The decision could not be recorded in the audit log, so none was given. Try again shortly."
}

/// One value of one applicant that stopped the request's decisions.
package struct ApplicantProblem: Sendable, Equatable {
    /// The applicant's position in the request, from 0.
    package var applicant: Int
    /// The input (column) it concerns; empty for the applicant as a whole.
    package var field: String
    /// The value as given, when there was one.
    package var value: String?
    package var message: String

    package init(applicant: Int, field: String, value: String?, message: String) {
        self.applicant = applicant
        self.field = field
        self.value = value
        self.message = message
    }
}
