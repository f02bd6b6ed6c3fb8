import Foundation
import Scoring

/// The one path every decision takes, whatever channel asked for it — the upload page, the
/// applicant form, the JSON and CSV API, the Open Inference Protocol over REST or gRPC:
/// validate → score → explain (as asked) → record in the audit log → count and watch
/// (metrics, the traffic monitor) → hand to the challenger's shadow scoring. A surface only
/// reads its wire form into applicants, calls one entry here, and renders what comes back;
/// no step can be forgotten by one surface, as the form once forgot the challenger.
///
/// Entries: `decide` for applicants already read into cells (JSON, OIP, the form),
/// `decideCSV` for a CSV body answered with the results file, `decideUpload` for a stored
/// batch (its records are written in the batch's own transaction).
package struct DecisionService: Sendable {
    package let trail: AuditTrail
    package let shadow: ShadowScorer
    package let batches: BatchStore
    package let reasonCodes: BatchReasonCodes
    package let settings: Settings

    /// What the decision path reads from the configuration, and nothing else.
    package struct Settings: Sendable {
        /// Threads scoring one request or file.
        package var threads: Int
        /// Most applicants in one request (`API_BATCH_LIMIT`).
        package var applicantLimit: Int
        /// How many of the newest applicants of a file join the traffic window.
        package var monitorWindowApplicants: Int

        package init(threads: Int, applicantLimit: Int, monitorWindowApplicants: Int) {
            self.threads = threads
            self.applicantLimit = applicantLimit
            self.monitorWindowApplicants = monitorWindowApplicants
        }
    }

    /// Applicants as the scorer reads them: text cells by column name, each with its id when
    /// the request carried one, and the problems the surface met while reading them (a field
    /// that was an array, say), which refuse the request like any unreadable value.
    package struct Applicants: Sendable {
        package var cells: [[String: String]]
        package var ids: [String?]
        package var readProblems: [ApplicantProblem] = []

        package init(cells: [[String: String]], ids: [String?]? = nil, readProblems: [ApplicantProblem] = []) {
            self.cells = cells
            self.ids = ids ?? Array(repeating: nil, count: cells.count)
            self.readProblems = readProblems
        }
    }

    /// What was decided: by which exact model, under which request id (the audit records'
    /// `request_id`, answered as `X-Request-Id`), one outcome per applicant in order.
    package struct Decided: Sendable {
        package var requestID: String
        package var bundle: ModelBundle
        package var outcomes: [RowOutcome]
    }

    /// Decides every applicant, or none: an applicant that cannot be read or scored refuses
    /// the whole request (`.invalid`, listing every problem), and nothing is recorded.
    /// `caller` (`Principal.caller`) is who asked, recorded with every decision.
    package func decide(
        _ applicants: Applicants, serving: ModelRegistry.Serving, channel: AuditRecord.Channel, explain: ExplainOptions, caller: String?
    ) async throws(DecisionError) -> Decided {
        let count = applicants.cells.count
        guard count <= settings.applicantLimit else { throw .tooManyApplicants(limit: settings.applicantLimit, count: count) }
        let bundle = serving.champion
        let scorer = BatchScorer(bundle: bundle)
        let (outcomes, samples) = scorer.scoreSampling(
            applicants: applicants.cells, explain: scorer.canExplain ? explain : .none, threads: settings.threads)
        var problems = applicants.readProblems
        for (index, outcome) in outcomes.enumerated() {
            for issue in outcome.issues where issue.severity == .error {
                problems.append(.init(applicant: index, field: issue.column, value: issue.value, message: issue.message))
            }
        }
        guard problems.isEmpty else {
            problems.sort { $0.applicant < $1.applicant }
            throw .invalid(problems)
        }
        let requestID = AuditTrail.newRequestID()
        try await trail.record(outcomes, applicantIDs: applicants.ids, bundle: bundle, channel: channel, requestID: requestID, samples: samples, caller: caller)
        if let challenger = serving.challenger {
            shadow.submit(.applicants(.init(champion: bundle, challenger: challenger, channel: channel, requestID: requestID), cells: applicants.cells, champion: outcomes))
        }
        return Decided(requestID: requestID, bundle: bundle, outcomes: outcomes)
    }
}
