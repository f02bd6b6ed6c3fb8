/// How a candidate model's inputs differ from the serving champion's: columns a user must
/// now add, columns no longer read, and columns read as another kind. Any of them breaks
/// the files and integrations that feed the champion, so promoting such a version takes
/// an explicit `force`.
public struct InputChanges: Sendable, Equatable, Codable {
    public struct Retyped: Sendable, Equatable, Codable {
        public var name: String
        public var from: String
        public var to: String
    }

    public var added: [String]
    public var removed: [String]
    public var retyped: [Retyped]

    /// Compares by column name, in the candidate's order (removed ones in the current order).
    public init(from current: FeatureSchema, to candidate: FeatureSchema) {
        let old = Dictionary(current.features.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        let new = Dictionary(candidate.features.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        added = candidate.features.map(\.name).filter { old[$0] == nil }
        removed = current.features.map(\.name).filter { new[$0] == nil }
        retyped = candidate.features.compactMap { spec in
            guard let before = old[spec.name], before.kind != spec.kind else { return nil }
            return Retyped(name: spec.name, from: before.kind.rawValue, to: spec.kind.rawValue)
        }
    }

    public var isEmpty: Bool { added.isEmpty && removed.isEmpty && retyped.isEmpty }

    /// One sentence listing every change, for refusals and logs.
    public var sentence: String {
        var parts: [String] = []
        if !added.isEmpty { parts.append("adds \(added.joined(separator: ", "))") }
        if !removed.isEmpty { parts.append("removes \(removed.joined(separator: ", "))") }
        if !retyped.isEmpty { parts.append("changes the kind of " + retyped.map { "\($0.name) (\($0.from) → \($0.to))" }.joined(separator: ", ")) }
        return parts.isEmpty ? "takes the same inputs" : parts.joined(separator: "; ")
    }
}
