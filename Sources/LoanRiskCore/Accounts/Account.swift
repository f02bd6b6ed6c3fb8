import Foundation
import Scoring

/// A team: what owns batches, one-applicant decisions and saved views. People see only their
/// own team's; another team's are answered as if they did not exist.
package struct Team: Codable, Sendable, Equatable {
    package var id: String
    package var name: String
    package var createdAt: Date

    /// The team that owns what was stored before accounts existed; the first admin joins it.
    package static let defaultID = "default"
}

/// A person who signs in: with a password (bcrypt hash), with single sign-on (the provider's
/// issuer and subject), or both.
package struct Account: Sendable, Equatable {
    package var id: String
    /// The sign-in name, as typed at creation (compared without case).
    package var name: String
    package var displayName: String
    package var role: Role
    package var teamID: String
    package var hasPassword: Bool
    package var oidcIssuer: String?
    package var oidcSubject: String?
    package var disabled: Bool
    package var createdAt: Date

    /// The account as a request's caller.
    package var principal: Principal {
        Principal(kind: .account, id: id, name: name, role: role, teamID: teamID)
    }
}

/// Ids for accounts and teams: 16 characters of an unambiguous alphabet (80 bits), so they can
/// be handed out and read back without collisions or confusion.
package enum AccountID {
    private static let alphabet = Array("abcdefghijkmnopqrstuvwxyz23456789")

    package static func make() -> String {
        var generator = SystemRandomNumberGenerator()
        return String((0..<16).map { _ in alphabet[Int(generator.next(upperBound: UInt64(alphabet.count)))] })
    }

    /// Whether `id` could be an id (checked before it reaches a query).
    package static func isWellFormed(_ id: String) -> Bool {
        (1...40).contains(id.count) && id.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }
    }
}

/// A secret handed to a browser or a person once (a session cookie, a setup link): 32 random
/// bytes as 64 hex digits. Only its SHA-256 is stored, so a copy of the database lets no one in.
package enum SecretToken {
    package static func make() -> String {
        var generator = SystemRandomNumberGenerator()
        return HexDigits.string(generator.next(), generator.next(), generator.next(), generator.next(), digitsEach: 16)
    }

    package static func isWellFormed(_ token: String) -> Bool {
        token.utf8.count == 64 && token.allSatisfy(\.isHexDigit)
    }

    /// What is stored for `token`.
    package static func hash(_ token: String) -> String {
        SHA256.hexDigest(Data(token.utf8))
    }
}
