import Foundation

/// One category label from the `pandas_categorical:` line the LightGBM Python package
/// appends to a model: pandas gives each label a code (its position in the list), and the
/// model splits on those codes.
public enum PandasCategory: Hashable, Sendable, CustomStringConvertible {
    case string(String)
    case number(Double)

    public var description: String {
        switch self {
        case .string(let s): return s
        case .number(let n): return n == n.rounded() && abs(n) < 1e15 ? String(Int64(n)) : String(n)
        }
    }

    /// Parses the JSON after `pandas_categorical:`: `null`, or one array of labels per column.
    static func parseList(_ json: String, line: Int) throws(ModelLoadError) -> [[PandasCategory]]? {
        let trimmed = json.trimmingCharacters(in: .whitespaces)
        if trimmed == "null" || trimmed.isEmpty { return nil }
        guard let data = trimmed.data(using: .utf8),
              let columns = try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]) as? [[Any]] else {
            throw ModelLoadError(line: line, "pandas_categorical is not a JSON list of category lists.")
        }
        var result: [[PandasCategory]] = []
        for column in columns {
            var labels: [PandasCategory] = []
            for value in column {
                if let s = value as? String {
                    labels.append(.string(s))
                } else if let n = value as? NSNumber {
                    labels.append(.number(n.doubleValue))
                } else {
                    throw ModelLoadError(line: line, "pandas_categorical holds a label that is neither text nor a number.")
                }
            }
            result.append(labels)
        }
        return result
    }
}
