import Foundation

extension BundleDraft {
    /// Each row's outcome from the target column (true: bad), nil where the cell is missing;
    /// nil without a target. Refuses a target that is no column, is a model feature, or never
    /// holds the positive label.
    static func outcomes(_ target: BundleDraftOptions.Target?, sample: BundleDraftSample, features: Set<String>) throws(BundleDraftError) -> [Bool?]? {
        guard let target else { return nil }
        let names = sample.header.map { $0.trimmingCharacters(in: .whitespaces) }
        guard let column = names.firstIndex(of: target.column) else {
            throw BundleDraftError("The sample has no column '\(target.column)' (--target). Its columns are: \(names.joined(separator: ","))")
        }
        guard !features.contains(target.column) else {
            throw BundleDraftError("'\(target.column)' (--target) is one of the model's features: the outcome cannot be an input.")
        }
        var labels: [String] = []
        let outcomes: [Bool?] = sample.records.map { record in
            let cell = record[column].trimmingCharacters(in: .whitespaces)
            if MissingValue.isMissing(cell) { return nil }
            if !labels.contains(cell), labels.count < 10 { labels.append(cell) }
            return cell == target.positiveLabel
        }
        guard outcomes.contains(true) else {
            throw BundleDraftError(
                "No sample row has '\(target.column)' equal to '\(target.positiveLabel)' (--positive); the column holds "
                    + (labels.isEmpty ? "no values." : "\(labels.map { "'\($0)'" }.joined(separator: ", ")).")
                    + " Name the label that means default, as the file writes it.")
        }
        return outcomes
    }

    /// The id column: the one given (which must be a column, and not a model feature or the
    /// target), else the first column outside `excluding` that is present and unique in every
    /// row — one named like an id (`applicant_id`, `LoanID`) first, then any holding text or
    /// whole numbers. nil when there is none.
    static func idColumn(_ given: String?, sample: BundleDraftSample, excluding: Set<String>) throws(BundleDraftError) -> String? {
        let names = sample.header.map { $0.trimmingCharacters(in: .whitespaces) }
        if let given {
            guard names.contains(given) else {
                throw BundleDraftError("The sample has no column '\(given)' (--id-column). Its columns are: \(names.joined(separator: ","))")
            }
            guard !excluding.contains(given) else {
                throw BundleDraftError("'\(given)' (--id-column) is a model feature or the target: an id is passed through, never scored.")
            }
            return given
        }
        let candidates = names.indices.filter { !excluding.contains(names[$0]) }
        func unique(_ column: Int, textOrWhole: Bool) -> Bool {
            var seen = Set<String>()
            for record in sample.records {
                let cell = record[column].trimmingCharacters(in: .whitespaces)
                if MissingValue.isMissing(cell) || !seen.insert(cell).inserted { return false }
                if textOrWhole, let number = Double(cell), number != number.rounded() { return false }
            }
            return true
        }
        if let named = candidates.first(where: { ColumnMapping.looksLikeID(names[$0]) && unique($0, textOrWhole: false) }) { return names[named] }
        return candidates.first { unique($0, textOrWhole: true) }.map { names[$0] }
    }
}
