import Foundation
import LoanRiskStorage
import NIOCore
import Scoring

/// An upload's audit records, stored together (`audit_batch`): one row per batch, written in
/// the batch's own transaction, its records a compressed CSV the export expands one
/// `AuditRecord` per scored applicant.
package struct AuditBatch: Sendable {
    package var id: Int64?
    package var at: Date
    package var batchID: String
    package var modelName: String
    package var modelVersion: String
    package var modelSha256: String
    package var recordCount: Int
    /// gzip of `row_number,applicant_id,probability,decision,score` lines.
    package var records: Data
    /// gzip of `row_number,reason_codes` lines, once computed.
    package var reasonCodes: Data?
    /// Who uploaded the batch (`Principal.caller`); nil on older sets.
    package var caller: String? = nil

    /// The scored rows of a batch as its audit record set.
    package init(summary s: BatchSummary, rows: [StoredRow], modelSha256: String, caller: String? = nil) throws {
        var text: [UInt8] = []
        text.reserveCapacity(rows.count * 48)
        var count = 0
        for row in rows {
            guard let probability = row.probability else { continue }
            count += 1
            CSVEncoder.appendField(String(row.rowNumber), to: &text)
            CSVEncoder.appendDelimiter(to: &text)
            CSVEncoder.appendField(row.applicantID ?? "", to: &text)
            CSVEncoder.appendDelimiter(to: &text)
            CSVEncoder.appendNumber(probability, to: &text)
            CSVEncoder.appendDelimiter(to: &text)
            CSVEncoder.appendField(row.decision ?? "", to: &text)
            CSVEncoder.appendDelimiter(to: &text)
            CSVEncoder.appendField(row.score.map(String.init) ?? "", to: &text)
            CSVEncoder.appendRecordEnd(to: &text)
        }
        self.init(
            id: nil, at: s.createdAt, batchID: s.id, modelName: s.modelName, modelVersion: s.modelVersion, modelSha256: modelSha256,
            recordCount: count, records: try Gzip.compress(ByteBuffer(bytes: text)), reasonCodes: nil)
        self.caller = caller
    }

    package init(id: Int64?, at: Date, batchID: String, modelName: String, modelVersion: String, modelSha256: String,
         recordCount: Int, records: Data, reasonCodes: Data?) {
        self.id = id
        self.at = at
        self.batchID = batchID
        self.modelName = modelName
        self.modelVersion = modelVersion
        self.modelSha256 = modelSha256
        self.recordCount = recordCount
        self.records = records
        self.reasonCodes = reasonCodes
    }

    package init(row: SQLRow) throws {
        self.init(
            id: try row.get("id"), at: try row.get("at"), batchID: try row.get("batch_id"), modelName: try row.get("model_name"),
            modelVersion: try row.get("model_version"), modelSha256: try row.get("model_sha256"), recordCount: try row.get("record_count"),
            records: try row.get("records"), reasonCodes: try row.get("reason_codes"))
        caller = try row.get("caller")
    }

    /// Inserted inside the batch's transaction.
    package func insert(_ db: any SQLConnection) async throws {
        try await db.execute(
            """
            INSERT INTO audit_batch (at, batch_id, model_name, model_version, model_sha256, record_count, records, reason_codes, caller)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """,
            [at, batchID, modelName, modelVersion, modelSha256, recordCount, records, reasonCodes, caller])
    }

    /// The reason codes as stored: `row_number,codes` lines, gzip.
    package static func encodeReasonCodes(_ codes: [(row: Int, codes: String)]) throws -> Data {
        var text: [UInt8] = []
        for (row, value) in codes.sorted(by: { $0.row < $1.row }) {
            CSVEncoder.appendRecord([String(row), value], to: &text)
        }
        return try Gzip.compress(ByteBuffer(bytes: text))
    }

    /// One `AuditRecord` per scored applicant, in row order.
    package func expanded() throws -> [AuditRecord] {
        var codes: [Int: String] = [:]
        if let reasonCodes {
            let reader = CSVReader(data: Data(try Gzip.decompress(reasonCodes).readableBytesView))
            var record = CSVRecord()
            while try reader.read(into: &record) {
                if let row = Int(record[0]) { codes[row] = record.count > 1 ? record[1] : "" }
            }
        }
        let reader = CSVReader(data: Data(try Gzip.decompress(records).readableBytesView))
        var result: [AuditRecord] = []
        result.reserveCapacity(recordCount)
        var record = CSVRecord()
        while try reader.read(into: &record) {
            let row = Int(record[0])
            result.append(AuditRecord(
                at: at, requestID: batchID, channel: .batch, rowNumber: row, applicantID: record[1].isEmpty ? nil : record[1],
                modelName: modelName, modelVersion: modelVersion, modelSha256: modelSha256,
                probability: Double(record[2]), decision: record[3].isEmpty ? nil : record[3], score: Int(record[4]),
                reasonCodes: row.flatMap { codes[$0] }, caller: caller))
        }
        return result
    }
}
