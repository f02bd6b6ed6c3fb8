/// One principal reason behind an applicant's risk: a feature whose value pushed the
/// probability of default up, in words an applicant can act on (ECOA / Regulation B
/// adverse-action notices), with the exact contribution behind it.
public struct Reason: Sendable, Equatable {
    /// How the applicant's value stood.
    public enum Kind: String, Sendable {
        /// A value was given and used.
        case value
        /// No value was given.
        case missing
        /// A category the model never saw in training; it was scored as missing.
        case unseenCategory = "unseen_category"
    }

    /// The model feature (a raw column or a derived feature).
    public let feature: String
    /// The columns the applicant supplied that the feature comes from.
    public let columns: [String]
    /// The feature's human phrase ("Interest rate").
    public let phrase: String
    /// The applicant's value as shown to a person ("24.5 %"); nil when missing.
    public let value: String?
    public let kind: Kind
    /// Contribution to the raw score (log-odds of default), exact TreeSHAP.
    public let contribution: Double
    /// The sentence for the applicant ("Interest rate of 24.5 % is high: higher than 90 % of past borrowers").
    public let text: String

    public init(feature: String, columns: [String], phrase: String, value: String?, kind: Kind, contribution: Double, text: String) {
        self.feature = feature
        self.columns = columns
        self.phrase = phrase
        self.value = value
        self.kind = kind
        self.contribution = contribution
        self.text = text
    }
}
