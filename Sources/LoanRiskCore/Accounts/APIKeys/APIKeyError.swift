/// Why a key could not be created or changed, in words for the person who asked.
package enum APIKeyError: Error, Sendable, Equatable {
    /// A field of the request is not acceptable; the message names it.
    case invalid(String)
    /// Another key not revoked already has this name.
    case nameTaken(String)
    /// No key has this id.
    case notFound(String)

    package var message: String {
        switch self {
        case .invalid(let message): message
        case .nameTaken(let name): "A key named '\(name)' exists already; revoke it first or choose another name."
        case .notFound(let id): "There is no key with id '\(id.prefix(40))'."
        }
    }
}
