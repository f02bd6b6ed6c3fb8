import LoanRiskCore

/// One element of a request's `applicants` (or the one applicant) as its JSON gave it, before
/// the schema is applied (`ApplicantJSON`).
enum ApplicantFields: Equatable {
    /// An object: its scalar fields as cell text (numbers exactly as written, strings as they
    /// are, `null` as the empty cell, booleans as 1 / 0), and the names of the fields whose
    /// value is an array or an object, which no cell can hold.
    case object(scalars: [String: String], nested: Set<String>)
    /// An array, a string, a number… where an applicant object was expected.
    case notAnObject

    init(_ value: JSONValue) {
        guard case .object(let members) = value else {
            self = .notAnObject
            return
        }
        var scalars: [String: String] = [:]
        scalars.reserveCapacity(members.count)
        var nested: Set<String> = []
        for (key, member) in members {
            if let text = member.cellText { scalars[key] = text } else { nested.insert(key) }
        }
        self = .object(scalars: scalars, nested: nested)
    }
}
