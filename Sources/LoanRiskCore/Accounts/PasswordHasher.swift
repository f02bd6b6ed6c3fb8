import Foundation
import HummingbirdBcrypt

/// Password hashes: bcrypt (hummingbird-auth's `HummingbirdBcrypt`) with a cost from the
/// configuration (`BCRYPT_COST`, default 12: about a quarter of a second per hash here, which
/// is what makes a stolen hash expensive to guess). Hashing and checking run off the caller's
/// task executor so a sign-in does not stall the requests sharing its thread.
package struct PasswordHasher: Sendable {
    package var cost: UInt8

    package init(cost: UInt8 = 12) {
        self.cost = cost
    }

    package func hash(_ password: String) async -> String {
        let cost = cost
        return await Task.detached(priority: .userInitiated) { Bcrypt.hash(password, cost: cost) }.value
    }

    package func verify(_ password: String, hash: String) async -> Bool {
        await Task.detached(priority: .userInitiated) { Bcrypt.verify(password, hash: hash) }.value
    }

    /// A hash of a password nobody knows, checked when the name is unknown so that an unknown
    /// name takes as long to refuse as a wrong password (the answer's timing names no account).
    package static let decoy = Bcrypt.hash(SecretToken.make(), cost: 12)
}
