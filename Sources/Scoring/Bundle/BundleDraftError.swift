/// Why a bundle could not be written around a model and a sample: a complete sentence naming
/// the column, row and value at fault, and what to do.
public struct BundleDraftError: Error, Equatable, Sendable, CustomStringConvertible {
    public let message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}
