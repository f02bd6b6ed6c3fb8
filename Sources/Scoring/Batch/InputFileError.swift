/// A problem with an input file as a whole: it is rejected and nothing of it is scored.
public struct InputFileError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A complete explanation a person can act on.
    public let message: String
    /// Required columns that are absent, when that is the problem.
    public let missingColumns: [String]
    /// The header the model expects, so the user can fix the file.
    public let expectedHeader: [String]?

    public init(_ message: String, missingColumns: [String] = [], expectedHeader: [String]? = nil) {
        self.message = message
        self.missingColumns = missingColumns
        self.expectedHeader = expectedHeader
    }

    public var description: String { message }
}
