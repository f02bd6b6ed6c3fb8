/// How a file writes the fraction of a number: `6.49` or, as spreadsheets in most of Europe
/// save it, `6,49`. Decided once per file from its numeric columns (`DecimalMarkDetector`),
/// never guessed cell by cell, so one file's numbers are all read alike.
public enum DecimalMark: String, Sendable, Equatable {
    case point
    case comma

    var byte: UInt8 { self == .point ? UInt8(ascii: ".") : UInt8(ascii: ",") }

    /// "decimal points" / "decimal commas", for messages and summaries.
    public var description: String { self == .point ? "decimal points" : "decimal commas" }

    /// What the user asked for: a mark, or `auto` (decide from the file).
    public enum Choice: String, Sendable, Equatable, CaseIterable {
        case auto, point, comma
    }
}
