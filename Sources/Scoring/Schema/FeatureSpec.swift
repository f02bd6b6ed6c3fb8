/// One input feature of a model: what the user supplies, how it is read, and what the
/// training data looked like (so unusual values can be flagged).
public struct FeatureSpec: Codable, Sendable, Equatable {
    public var name: String
    public var kind: FeatureKind
    /// Allowed labels of a categorical feature. For a model trained from pandas these map to
    /// codes by position; for an integer-coded model they are the codes seen in training.
    public var categories: [String]?
    /// Whether a categorical feature takes integer codes as they are (no label → code mapping).
    /// Codes outside `categories` are passed to the model unchanged, as LightGBM does.
    public var integerCodes: Bool?
    /// Smallest and largest value seen in training, for numeric and integer features.
    public var minimum: Double?
    public var maximum: Double?
    public var description: String?
    /// Unit of a numeric value (`%`, `USD`, `months`), for display.
    public var unit: String?
    /// A short phrase naming the feature in reason codes ("Interest rate").
    public var phrase: String?
    /// An example value, as text, for the CSV template and forms.
    public var example: String?
    /// Words an applicant reads for a categorical feature's labels, where the data's own
    /// labels are codes (`emp_lt_1` → "under 1 year"); labels without an entry are shown as they are.
    public var labels: [String: String]?

    public init(
        name: String, kind: FeatureKind, categories: [String]? = nil, integerCodes: Bool? = nil,
        minimum: Double? = nil, maximum: Double? = nil, description: String? = nil,
        unit: String? = nil, phrase: String? = nil, example: String? = nil, labels: [String: String]? = nil
    ) {
        self.name = name
        self.kind = kind
        self.categories = categories
        self.integerCodes = integerCodes
        self.minimum = minimum
        self.maximum = maximum
        self.description = description
        self.unit = unit
        self.phrase = phrase
        self.example = example
        self.labels = labels
    }

    /// How a label is shown to a person: its words from `labels`, or the label itself.
    public func words(for label: String) -> String {
        labels?[label] ?? label
    }
}
