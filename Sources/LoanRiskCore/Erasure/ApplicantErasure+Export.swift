import Foundation
import LoanRiskStorage
import Scoring

/// The access export by applicant id (GDPR Art. 15): found as an erasure finds them.
extension ApplicantErasure {
    /// Everything stored about `id`: rows with their cells and reasons, form decisions,
    /// analysts' decisions, shadow pairs and audit records.
    package func export(applicantID id: String, now: Date = Date()) async throws -> ApplicantExport {
        let store = BatchStore(database: database)
        var rows: [ApplicantExport.Row] = []
        for (key, batchID) in try await storedBatches(holding: id) {
            let found = try await database.read { db in
                try await db.query(
                    "SELECT \(BatchStore.rowSelection(dialect: db.dialect)), \(BatchStore.cellsLookup) AS cells FROM batch_row WHERE batch_key = ? AND applicant_id = ? ORDER BY row_number",
                    [key, id]
                ).map { (try BatchStore.storedRow($0), try $0.get("cells", as: String?.self)) }
            }
            guard !found.isEmpty, let summary = try await store.summary(id: batchID) else { continue }
            var reasons: [Int: [String]] = [:]
            if case .success(let explainer) = await StoredRowExplainer.make(for: summary, registry: registry) {
                let features = try await store.features(batch: batchID, rows: found.map { $0.0.rowNumber })
                let pairs = found.compactMap { found -> (row: StoredRow, features: RowFeatures)? in
                    found.0.probability == nil ? nil : features[found.0.rowNumber].map { (row: found.0, features: $0) }
                }
                let explained = explainer.explain(pairs, options: ExplainOptions(reasons: ExplainOptions.defaultReasonCount), threads: 1)
                reasons = explained.explanations.mapValues { $0.reasons.map(\.text) }
            }
            for (row, cellsJSON) in found {
                let values = cellsJSON.flatMap { try? JSONDecoder().decode([String].self, from: Data($0.utf8)) } ?? []
                let cells = Dictionary(zip(summary.header, values), uniquingKeysWith: { first, _ in first })
                rows.append(ApplicantExport.Row(
                    batchID: batchID, fileName: summary.fileName, uploadedAt: summary.createdAt, modelName: summary.modelName,
                    modelVersion: summary.modelVersion, rowNumber: row.rowNumber, cells: cells, probability: row.probability,
                    decision: row.decision, score: row.score, status: row.status, reasons: reasons[row.rowNumber]))
            }
        }
        let forms = try await formDecisions(of: id)
        let formIDs = forms.map(\.id), formRequests = forms.map(\.requestID)
        let shadow = try await database.read { db -> [ShadowPair] in
            var pairs = try await db.query("SELECT * FROM shadow_pair WHERE applicant_id = ? ORDER BY id", [id]).map { try $0.decode(ShadowPair.self) }
            if !formRequests.isEmpty {
                pairs += try await db.query(
                    "SELECT * FROM shadow_pair WHERE channel = 'form' AND request_id IN \(db.placeholders(formRequests.count)) ORDER BY id", formRequests
                ).map { try $0.decode(ShadowPair.self) }
            }
            return pairs
        }
        let reviewStore = ReviewStore(database: database)
        var decisions = try await reviewStore.decisions(applicant: id)
        for formID in formIDs {
            if let d = try await reviewStore.decision(channel: .form, requestID: formID, rowNumber: 1) { decisions.append(d) }
        }
        return ApplicantExport(
            applicantID: id, exportedAt: now, rows: rows, applicantDecisions: forms, reviewDecisions: decisions, shadowPairs: shadow,
            auditRecords: try await auditRecords(of: id))
    }
}
