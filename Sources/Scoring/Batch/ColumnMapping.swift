import Foundation

/// Where each of the model's features is in an uploaded file's columns. Column order does not
/// matter and extra columns are allowed (they are passed through); missing or duplicate
/// columns reject the file, naming every problem at once.
public struct ColumnMapping: Sendable, Equatable {
    /// The file's header, as given.
    public let header: [String]
    /// For each feature (schema order), its column index in the file.
    public let featureColumns: [Int]
    /// The column that identifies applicants: the schema's id column when the file has it,
    /// else the first column named like an id (`id`, `loan_id`, `LoanID`, `customer_id`…)
    /// that is not a model input. Passed through, never scored.
    public let idColumn: Int?

    /// The id column's name as the file writes it.
    public var idColumnName: String? { idColumn.map { header[$0].trimmingCharacters(in: .whitespaces) } }

    public init(header: [String], schema: FeatureSchema) throws(InputFileError) {
        self.header = header
        let names = header.map { $0.trimmingCharacters(in: .whitespaces) }
        var positions: [String: Int] = [:]
        var duplicates: [String] = []
        for (index, name) in names.enumerated() {
            if positions[name] != nil {
                if !duplicates.contains(name) { duplicates.append(name) }
            } else {
                positions[name] = index
            }
        }
        let expected = schema.requiredColumns
        if !duplicates.isEmpty {
            throw InputFileError(
                "The header repeats the column\(duplicates.count > 1 ? "s" : "") \(Self.quoted(duplicates)): each column name may appear only once.",
                expectedHeader: expected)
        }
        let missing = expected.filter { positions[$0] == nil }
        if !missing.isEmpty {
            var message = "The file is missing \(missing.count) required column\(missing.count > 1 ? "s" : ""): \(Self.quoted(missing))."
            let lowered = Dictionary(names.map { ($0.lowercased(), $0) }, uniquingKeysWith: { first, _ in first })
            let nearMisses = missing.compactMap { name in lowered[name.lowercased()].map { "'\($0)' should be '\(name)'" } }
            if !nearMisses.isEmpty { message += " Column names are case-sensitive: \(nearMisses.joined(separator: ", "))." }
            message += " The expected header is: \(expected.joined(separator: ","))"
            throw InputFileError(message, missingColumns: missing, expectedHeader: expected)
        }
        featureColumns = expected.compactMap { positions[$0] }
        let inputs = Set(featureColumns)
        idColumn = schema.idColumn.flatMap { positions[$0] }
            ?? names.indices.first { !inputs.contains($0) && Self.looksLikeID(names[$0]) }
    }

    /// `id`, `ID`, `loan_id`, `applicant-id`, `LoanID`, `customerId`: a name whose last word is "id".
    static func looksLikeID(_ name: String) -> Bool {
        let lowered = name.lowercased()
        if lowered == "id" { return true }
        if ["_id", "-id", " id", ".id"].contains(where: lowered.hasSuffix) { return true }
        // camelCase or PascalCase: a lower-case letter, then "ID" or "Id".
        guard name.hasSuffix("ID") || name.hasSuffix("Id"), let before = name.dropLast(2).last else { return false }
        return before.isLowercase
    }

    private static func quoted(_ names: [String]) -> String {
        names.map { "'\($0)'" }.joined(separator: ", ")
    }
}
