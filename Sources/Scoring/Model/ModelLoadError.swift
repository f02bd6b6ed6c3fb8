import Foundation

/// Why a LightGBM model file could not be loaded.
///
/// A model that loads is scored exactly as LightGBM would score it; anything the evaluator
/// cannot honour is refused here with a message that says what and where, never guessed at.
public struct ModelLoadError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The 1-based line of the model file where the problem was found, when known.
    public let line: Int?
    /// The tree index (`Tree=i`) involved, when the problem is inside a tree block.
    public let tree: Int?
    /// A complete sentence saying what is wrong.
    public let reason: String

    public init(line: Int? = nil, tree: Int? = nil, _ reason: String) {
        self.line = line
        self.tree = tree
        self.reason = reason
    }

    public var description: String {
        var place: [String] = []
        if let line { place.append("line \(line)") }
        if let tree { place.append("tree \(tree)") }
        return place.isEmpty ? reason : "\(reason) (\(place.joined(separator: ", ")))"
    }
}
