import Foundation

/// A sample of applicants read against a model's features, as `BundleDraft` needs it: the
/// records, which column holds each model feature, the decimal mark, and every model input
/// read as the model will get it (so the bins, ranges and golden probabilities written from
/// it are exactly what LoanRisk later computes from the same cells).
struct BundleDraftSample {
    let header: [String]
    let records: [CSVRecord]
    let delimiter: UInt8
    let decimalMark: DecimalMark
    let mapping: ColumnMapping
    /// `values[feature][row]`: the cell as the encoder read it (NaN missing,
    /// `FeatureValue.unseenCategory` for a label the model does not know).
    let values: [[Double]]
    /// Per categorical feature, the labels the model does not know: label → (rows, first row).
    let unknownLabels: [Int: [(label: String, rows: Int, firstRow: Int)]]

    var rowCount: Int { records.count }

    /// Reads `data` against `schema` (the model's features in model order, numeric ones
    /// without ranges). Refuses a sample that cannot be read, has no rows, lacks a model
    /// feature's column, holds a value that is not a number where the model reads numbers, or
    /// whose labels for a categorical feature are all unknown to the model.
    init(data: Data, schema: FeatureSchema) throws(BundleDraftError) {
        let reader = CSVReader(data: data)
        var records: [CSVRecord] = []
        do {
            header = try reader.readHeader()
            var record = CSVRecord()
            while try reader.read(into: &record) { records.append(record) }
        } catch let error as CSVError {
            throw BundleDraftError(error.kind == .empty ? "The sample is empty: it needs a header and applicants' rows." : "The sample could not be read: \(error)")
        } catch {
            throw BundleDraftError("The sample could not be read: \(error)")
        }
        guard !records.isEmpty else {
            throw BundleDraftError("The sample has a header but no rows: it needs applicants' rows, as the model will score them.")
        }
        self.records = records
        delimiter = reader.delimiter
        do {
            mapping = try ColumnMapping(header: header, schema: schema)
        } catch {
            guard !error.missingColumns.isEmpty else { throw BundleDraftError("The sample's header: \(error.message)") }
            let missing = error.missingColumns.map { "'\($0)'" }.joined(separator: ", ")
            throw BundleDraftError(
                "The sample has no column for the model feature\(error.missingColumns.count > 1 ? "s" : "") \(missing). Every feature "
                    + "the model reads must be a column of the sample, as applicants will send it; a model that reads computed features "
                    + "(ratios, ranks) needs them computed in the sample. The model's features are: "
                    + schema.requiredColumns.joined(separator: ","))
        }
        do {
            decimalMark = try DecimalMarkDetector(schema: schema, mapping: mapping).decide(records[...], delimiter: delimiter)
        } catch {
            throw BundleDraftError("The sample: \(error.message)")
        }
        (values, unknownLabels) = try Self.read(records, mapping: mapping, schema: schema, decimalMark: decimalMark)
    }

    private static func read(
        _ records: [CSVRecord], mapping: ColumnMapping, schema: FeatureSchema, decimalMark: DecimalMark
    ) throws(BundleDraftError) -> ([[Double]], [Int: [(label: String, rows: Int, firstRow: Int)]]) {
        let encoder = FeatureEncoder(schema: schema, decimalMark: decimalMark)
        let features = schema.features.count
        var values = [[Double]](repeating: [Double](repeating: .nan, count: records.count), count: features)
        var unreadable: [String] = []
        var unreadableCount = 0
        var unknown: [Int: [String: (rows: Int, firstRow: Int)]] = [:]
        var known = [Int](repeating: 0, count: features)
        for (row, record) in records.enumerated() {
            for feature in 0..<features {
                let (value, issue) = record.withFieldBytes(mapping.featureColumns[feature]) { encoder.encode($0, feature: feature) }
                values[feature][row] = value
                guard let issue else {
                    if !value.isNaN { known[feature] += 1 }
                    continue
                }
                if issue.severity == .error {
                    unreadableCount += 1
                    if unreadable.count < 5 { unreadable.append("row \(row + 1) (line \(record.line)): \(issue.message)") }
                } else if issue.kind == .unseenCategory {
                    var seen = unknown[feature, default: [:]][issue.value] ?? (0, row + 1)
                    seen.rows += 1
                    unknown[feature, default: [:]][issue.value] = seen
                } else if !value.isNaN {
                    known[feature] += 1
                }
            }
        }
        if !unreadable.isEmpty {
            throw BundleDraftError(
                "The sample has \(unreadableCount) value\(unreadableCount > 1 ? "s" : "") the model cannot read: "
                    + unreadable.joined(separator: "; ") + (unreadableCount > unreadable.count ? "; …" : "")
                    + ". The sample must hold values as applicants send them (\(decimalMark.description)).")
        }
        var unknownLabels: [Int: [(label: String, rows: Int, firstRow: Int)]] = [:]
        for (feature, labels) in unknown {
            let listed = labels.map { (label: $0.key, rows: $0.value.rows, firstRow: $0.value.firstRow) }.sorted { $0.firstRow < $1.firstRow }
            let spec = schema.features[feature]
            if known[feature] == 0 {
                let shown = listed.prefix(5).map { "'\($0.label)' (row \($0.firstRow))" }.joined(separator: ", ")
                throw BundleDraftError(
                    "The sample's column '\(spec.name)' holds none of the model's labels for it: \(shown)\(listed.count > 5 ? " and \(listed.count - 5) more" : ""). "
                        + "The model knows: \((spec.categories ?? []).prefix(20).joined(separator: ", "))\((spec.categories ?? []).count > 20 ? ", …" : ""). "
                        + "Write the labels as the model was trained on them.")
            }
            unknownLabels[feature] = listed
        }
        return (values, unknownLabels)
    }
}
