/// Scores applicants: reads their cells through the schema, evaluates the model on the
/// valid rows and applies the decision policy. The one scoring path behind the CLI, the web
/// upload and the JSON API, so all three give the same numbers.
public struct BatchScorer: Sendable {
    public let model: LightGBMModel
    public let schema: FeatureSchema
    public let policy: DecisionPolicy
    public let encoder: FeatureEncoder

    public init(model: LightGBMModel, schema: FeatureSchema, policy: DecisionPolicy = .even) {
        precondition(schema.features.count == model.featureCount, "schema and model disagree on the feature count")
        self.model = model
        self.schema = schema
        self.policy = policy
        self.encoder = FeatureEncoder(schema: schema)
    }

    /// Scores `rowCount` rows on the calling thread; `cell(row, feature, body)` hands the raw
    /// bytes of a row's feature cell to `body`. Callers split big batches across workers.
    public func score(
        rowCount: Int,
        cell: (_ row: Int, _ feature: Int, _ body: (UnsafeBufferPointer<UInt8>) -> Void) -> Void
    ) -> [RowOutcome] {
        let (matrix, issues) = encode(rowCount: rowCount, cell: cell)
        let raw = model.rawScores(matrix, threads: 1)
        return (0..<rowCount).map { row in
            if issues[row].contains(where: { $0.severity == .error }) {
                return RowOutcome(probability: nil, decision: nil, issues: issues[row])
            }
            let p = model.probability(rawScore: raw[row])
            return RowOutcome(probability: p, decision: policy.decide(probability: p), issues: issues[row])
        }
    }

    /// Reads every feature cell of `rowCount` rows into a feature matrix (NaN where missing
    /// or invalid), collecting each row's issues.
    public func encode(
        rowCount: Int,
        cell: (_ row: Int, _ feature: Int, _ body: (UnsafeBufferPointer<UInt8>) -> Void) -> Void
    ) -> (FeatureMatrix, [[FieldIssue]]) {
        let featureCount = model.featureCount
        var matrix = FeatureMatrix(featureCount: featureCount, rowCount: rowCount)
        var issues = [[FieldIssue]](repeating: [], count: rowCount)
        for row in 0..<rowCount {
            for feature in 0..<featureCount {
                cell(row, feature) { bytes in
                    let (value, issue) = encoder.encode(bytes, feature: feature)
                    matrix[row, feature] = value
                    if let issue { issues[row].append(issue) }
                }
            }
        }
        return (matrix, issues)
    }

    /// Scores CSV records whose columns are laid out as `mapping` says.
    public func score(records: ArraySlice<CSVRecord>, mapping: ColumnMapping) -> [RowOutcome] {
        let base = records.startIndex
        return score(rowCount: records.count) { row, feature, body in
            records[base + row].withFieldBytes(mapping.featureColumns[feature], body)
        }
    }

    /// Scores applicants given as text cells keyed by column name (forms, JSON); an absent
    /// key is a missing value.
    public func score(applicants: [[String: String]]) -> [RowOutcome] {
        let names = schema.requiredColumns
        return score(rowCount: applicants.count) { row, feature, body in
            var text = applicants[row][names[feature]] ?? ""
            text.withUTF8(body)
        }
    }
}
