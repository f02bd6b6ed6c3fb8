/// A feature computed from other columns, declared in `bundle.json` and executed identically
/// by the Python training pipeline and here: plain IEEE double arithmetic, so both sides get
/// the same bits. Users never supply derived features.
public struct DerivedFeature: Codable, Sendable, Equatable {
    public enum Operation: Sendable, Equatable {
        /// Label → number (e.g. sub-grade A1…G5 → 1…35); an unknown or missing label is missing.
        case map(source: String, mapping: [String: Double])
        /// numerator / denominator; missing when either is missing or the denominator is 0.
        case ratio(numerator: String, denominator: String)
        case difference(left: String, right: String)
        case product(left: String, right: String)

        /// The columns this operation reads.
        public var inputs: [String] {
            switch self {
            case .map(let source, _): return [source]
            case .ratio(let a, let b), .difference(let a, let b), .product(let a, let b): return [a, b]
            }
        }
    }

    public var name: String
    public var operation: Operation
    public var description: String?
    public var phrase: String?
    /// How reasons show the value: `share` for a fraction of a whole, shown as a percentage
    /// (0.35 → "35 %"); any other text is a unit written after the number ("times",
    /// "DM per month"). nil: worked out from the columns' units (`ReasonDerivedUnits`), which
    /// cannot tell a share from a multiple when both columns are unnamed amounts.
    public var unit: String?

    /// The `unit` of a fraction shown as a percentage.
    public static let shareUnit = "share"

    public init(name: String, operation: Operation, description: String? = nil, phrase: String? = nil, unit: String? = nil) {
        self.name = name
        self.operation = operation
        self.description = description
        self.phrase = phrase
        self.unit = unit
    }

    private enum CodingKeys: String, CodingKey {
        case name, op, source, mapping, numerator, denominator, left, right, description, phrase, unit
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.decode(String.self, forKey: .name)
        description = try c.decodeIfPresent(String.self, forKey: .description)
        phrase = try c.decodeIfPresent(String.self, forKey: .phrase)
        unit = try c.decodeIfPresent(String.self, forKey: .unit)
        let op = try c.decode(String.self, forKey: .op)
        switch op {
        case "map":
            operation = .map(source: try c.decode(String.self, forKey: .source), mapping: try c.decode([String: Double].self, forKey: .mapping))
        case "ratio":
            operation = .ratio(numerator: try c.decode(String.self, forKey: .numerator), denominator: try c.decode(String.self, forKey: .denominator))
        case "difference":
            operation = .difference(left: try c.decode(String.self, forKey: .left), right: try c.decode(String.self, forKey: .right))
        case "product":
            operation = .product(left: try c.decode(String.self, forKey: .left), right: try c.decode(String.self, forKey: .right))
        default:
            throw DecodingError.dataCorruptedError(
                forKey: .op, in: c, debugDescription: "Unknown derived-feature operation '\(op)' (map, ratio, difference, product).")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(name, forKey: .name)
        try c.encodeIfPresent(description, forKey: .description)
        try c.encodeIfPresent(phrase, forKey: .phrase)
        try c.encodeIfPresent(unit, forKey: .unit)
        switch operation {
        case .map(let source, let mapping):
            try c.encode("map", forKey: .op)
            try c.encode(source, forKey: .source)
            try c.encode(mapping, forKey: .mapping)
        case .ratio(let a, let b):
            try c.encode("ratio", forKey: .op)
            try c.encode(a, forKey: .numerator)
            try c.encode(b, forKey: .denominator)
        case .difference(let a, let b):
            try c.encode("difference", forKey: .op)
            try c.encode(a, forKey: .left)
            try c.encode(b, forKey: .right)
        case .product(let a, let b):
            try c.encode("product", forKey: .op)
            try c.encode(a, forKey: .left)
            try c.encode(b, forKey: .right)
        }
    }
}
