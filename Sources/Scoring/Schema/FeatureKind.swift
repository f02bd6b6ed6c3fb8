/// How a feature's values are read from a CSV cell or a JSON field.
public enum FeatureKind: String, Codable, Sendable {
    /// Any real number.
    case numeric
    /// A whole number (counts, months, years).
    case integer
    /// One of a set of labels (or, for integer-coded models, category codes).
    case categorical
}
