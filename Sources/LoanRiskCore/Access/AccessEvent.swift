import Foundation
import LoanRiskStorage

/// One entry of the access log (`access_event`): who (`caller`, `Principal.caller`, or
/// `anonymous` for a refused attempt) did what (`action`) to which object (`objectKind`,
/// `objectID`), when, from where, in which request, and whether it was let through.
///
/// The object id may be an applicant's id (an erasure, an access export): the log is personal
/// data, read only by admins, and never copied into the application's log lines, addresses or
/// metric labels.
package struct AccessEvent: Codable, Sendable, Equatable {
    /// What was done. New actions are added here, never renamed: stored rows hold the raw value.
    package enum Action: String, Codable, Sendable, CaseIterable {
        case read, download, upload, delete, decide, review, erase, export
        case signIn = "sign_in", signInFailed = "sign_in_failed", signOut = "sign_out"
        case keyCreated = "key_created", keyRevoked = "key_revoked", accountChanged = "account_changed"
    }

    /// What kind of object `objectID` names.
    package enum ObjectKind: String, Codable, Sendable, CaseIterable {
        /// A stored upload (its id).
        case batch
        /// One row of a batch (`{batch id}/{row number}`).
        case row
        /// One applicant decided through the form (its stored decision's id).
        case applicantDecision = "applicant_decision"
        /// An applicant by the id their files carry (erasure, access export).
        case applicant
        case accessLog = "access_log"
        /// The audit log's export, analysts' decisions' export (both name applicants).
        case auditLog = "audit_log"
        case reviewDecisions = "review_decisions"
        case account, key, session
    }

    package enum Outcome: String, Codable, Sendable, CaseIterable {
        case ok, refused
        case notFound = "not_found"
    }

    package var id: Int64?
    package var at: Date
    package var caller: String
    package var action: Action
    package var objectKind: ObjectKind
    package var objectID: String?
    /// The client's address as the server saw it.
    package var address: String?
    package var requestID: String?
    package var outcome: Outcome

    package init(
        at: Date = Date(), caller: String, action: Action, objectKind: ObjectKind, objectID: String?, address: String?, requestID: String?,
        outcome: Outcome = .ok
    ) {
        self.at = at
        self.caller = caller
        self.action = action
        self.objectKind = objectKind
        self.objectID = objectID
        self.address = address
        self.requestID = requestID
        self.outcome = outcome
    }

    package enum CodingKeys: String, CodingKey {
        case id, at, caller, action, address, outcome
        case objectKind = "object_kind", objectID = "object_id", requestID = "request_id"
    }

    /// The caller of a request nobody was let in for.
    package static let anonymous = "anonymous"

    package static let table = "access_event"
    /// The columns `insertValues` fills, in order (all but `id`).
    package static let insertColumns = ["at", "caller", "action", "object_kind", "object_id", "address", "request_id", "outcome"]
    /// The columns of the CSV export, in order.
    package static let csvColumns = ["id"] + insertColumns

    package var insertValues: [SQLValue] {
        [.date(at), .text(caller), .text(action.rawValue), .text(objectKind.rawValue), objectID.map { .text($0) } ?? .null,
         address.map { .text($0) } ?? .null, requestID.map { .text($0) } ?? .null, .text(outcome.rawValue)]
    }
}
