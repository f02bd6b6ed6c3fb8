import Foundation

/// A named view of a model's batches (`saved_view`): the batch page's sort, filters and shown
/// columns, kept as the query text that reproduces them (`sort=probability&dir=desc&…`), so
/// its link (`/batches/{id}?view={id}`) opens the same view on any batch of that model, for
/// any analyst. It never holds a search term: one may be an applicant's id or name.
package struct SavedView: Codable, Sendable, Equatable {
    /// Short, random and URL-safe: the view's address.
    package var id: String
    package var modelName: String
    package var name: String
    /// The view's query parameters, percent-encoded, without `?` and without any `q`.
    package var query: String
    package var createdAt: Date

    package init(id: String, modelName: String, name: String, query: String, createdAt: Date) {
        self.id = id
        self.modelName = modelName
        self.name = name
        self.query = query
        self.createdAt = createdAt
    }

    /// The longest name accepted: it is a label in a list, not a description.
    package static let maxNameLength = 60

    /// A fresh id: 10 characters of the batch ids' alphabet (about 50 bits).
    package static func makeID() -> String {
        var generator = SystemRandomNumberGenerator()
        let alphabet = Array("abcdefghijkmnopqrstuvwxyz23456789")
        return String((0..<10).map { _ in alphabet[Int(generator.next(upperBound: UInt64(alphabet.count)))] })
    }

    /// Whether `id` could be a view's id (checked before it reaches a query).
    package static func isWellFormed(_ id: String) -> Bool {
        (1...32).contains(id.count) && id.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) }
    }
}

/// Why a view was not saved, in words for the analyst.
package enum SavedViewError: Error, Equatable, Sendable {
    case emptyName
    case nameTooLong(Int)
    case controlCharacters
    case duplicate(name: String, model: String)

    package var message: String {
        switch self {
        case .emptyName:
            return "Give the view a name."
        case .nameTooLong(let count):
            return "A view's name can be at most \(SavedView.maxNameLength) characters; this one has \(count)."
        case .controlCharacters:
            return "A view's name cannot hold line breaks or other control characters."
        case .duplicate(let name, let model):
            return "A view named “\(name)” already exists for \(model). Choose another name, or delete that view first."
        }
    }
}
