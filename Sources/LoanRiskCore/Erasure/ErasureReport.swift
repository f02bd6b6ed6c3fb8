import Foundation

/// What an erasure by applicant id did: what was erased where (counts per kind, and per
/// batch), and what was kept, why, and until when. The answer of
/// `DELETE /admin/v1/applicants/{id}` and `POST /admin/v1/erasures`, and the admin page's.
package struct ErasureReport: Codable, Sendable, Equatable {
    /// How many records of each kind went, over every batch and table.
    package struct Erased: Codable, Sendable, Equatable {
        /// Batches the applicant was in.
        package var batches = 0
        /// Result rows (`batch_row`).
        package var rows = 0
        /// Their uploaded cells (`batch_row_cells`).
        package var cells = 0
        /// Rows' stored features (what reasons are computed from).
        package var featureRows = 0
        /// Records taken out of stored uploads (rewritten, compressed again).
        package var uploadRecords = 0
        /// Results-with-reasons files deleted (made again on request, without the applicant).
        package var reasonsFiles = 0
        /// Champion/challenger pairs.
        package var shadowPairs = 0
        /// Decisions of the applicant form.
        package var applicantDecisions = 0
        /// Analysts' decisions on the applicant's review cases.
        package var reviewDecisions = 0

        package init() {}

        package enum CodingKeys: String, CodingKey {
            case batches, rows, cells
            case featureRows = "feature_rows", uploadRecords = "upload_records", reasonsFiles = "reasons_files"
            case shadowPairs = "shadow_pairs", applicantDecisions = "applicant_decisions", reviewDecisions = "review_decisions"
        }
    }

    /// One batch the applicant was erased from.
    package struct Batch: Codable, Sendable, Equatable {
        package var batchID: String
        package var rowNumbers: [Int]
        package var uploadRecords: Int
        package var featureRows: Int
        package var reasonsFileDeleted: Bool
        package var shadowPairs: Int
        package var reviewDecisions: Int

        package enum CodingKeys: String, CodingKey {
            case batchID = "batch_id", rowNumbers = "row_numbers", uploadRecords = "upload_records", featureRows = "feature_rows"
            case reasonsFileDeleted = "reasons_file_deleted", shadowPairs = "shadow_pairs", reviewDecisions = "review_decisions"
        }
    }

    /// Records kept on purpose: what, how many, on what legal basis, and when they go.
    package struct Retained: Codable, Sendable, Equatable {
        package var kind: String
        package var count: Int
        package var legalBasis: String
        /// When the last of them is erased by retention (nil when there are none).
        package var expires: Date?
        /// What erases them then.
        package var erasedBy: String

        package enum CodingKeys: String, CodingKey {
            case kind, count, expires
            case legalBasis = "legal_basis", erasedBy = "erased_by"
        }
    }

    package var applicantID: String
    package var erasedAt: Date
    package var erased: Erased
    package var batches: [Batch]
    package var retained: [Retained]

    package enum CodingKeys: String, CodingKey {
        case erased, batches, retained
        case applicantID = "applicant_id", erasedAt = "erased_at"
    }

    /// Regulation B's record retention, why audit records outlive an erasure.
    package static let auditLegalBasis =
        "Regulation B, 12 CFR 1002.12(b): a creditor keeps the records of a credit decision for 25 months after notifying the applicant; "
        + "the audit log keeps each decision's time, model, probability, decision, score and reason codes, no applicant fields besides the id"
    package static let accessLogLegalBasis =
        "Security of processing (GDPR Art. 32, GLBA Safeguards Rule): the access log records who read, changed or erased applicants' data, "
        + "this erasure included; admins only"
}

/// Everything stored about one applicant (GDPR Art. 15): the answer of
/// `POST /admin/v1/applicant-exports`.
package struct ApplicantExport: Codable, Sendable, Equatable {
    /// One row of an upload, with its cells by column and its reasons.
    package struct Row: Codable, Sendable, Equatable {
        package var batchID: String
        package var fileName: String
        package var uploadedAt: Date
        package var modelName: String
        package var modelVersion: String
        package var rowNumber: Int
        /// The row's uploaded values by column (empty when its cells are not stored yet).
        package var cells: [String: String]
        package var probability: Double?
        package var decision: String?
        package var score: Int?
        package var status: String
        /// The principal reasons, most important first; nil when they cannot be computed
        /// (unscored row, model version gone, features not stored).
        package var reasons: [String]?

        package enum CodingKeys: String, CodingKey {
            case cells, probability, decision, score, status, reasons
            case batchID = "batch_id", fileName = "file_name", uploadedAt = "uploaded_at", modelName = "model_name"
            case modelVersion = "model_version", rowNumber = "row_number"
        }
    }

    package var applicantID: String
    package var exportedAt: Date
    package var rows: [Row]
    package var applicantDecisions: [ApplicantDecision]
    package var reviewDecisions: [ReviewDecision]
    package var shadowPairs: [ShadowPair]
    package var auditRecords: [AuditRecord]

    package enum CodingKeys: String, CodingKey {
        case rows
        case applicantID = "applicant_id", exportedAt = "exported_at", applicantDecisions = "applicant_decisions"
        case reviewDecisions = "review_decisions", shadowPairs = "shadow_pairs", auditRecords = "audit_records"
    }
}
