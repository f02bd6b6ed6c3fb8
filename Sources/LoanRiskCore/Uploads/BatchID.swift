import Foundation

/// Batch ids: random and unguessable (a batch holds applicants' data), URL-safe.
package enum BatchID {
    package static func make() -> String {
        var generator = SystemRandomNumberGenerator()
        let alphabet = Array("abcdefghijkmnopqrstuvwxyz23456789")
        return String((0..<16).map { _ in alphabet[Int(generator.next(upperBound: UInt64(alphabet.count)))] })
    }

    package static func isWellFormed(_ id: String) -> Bool {
        id.count == 16 && id.allSatisfy { $0.isLetter || $0.isNumber }
    }
}
