/// Why a model bundle could not be loaded: a complete sentence naming the file and the problem.
public struct BundleLoadError: Error, Equatable, Sendable, CustomStringConvertible {
    public let message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}
