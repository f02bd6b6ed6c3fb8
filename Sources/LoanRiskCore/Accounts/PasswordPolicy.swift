import Foundation

/// The rules a new password must meet, after NIST SP 800-63B §5.1.1.2: at least 12 characters,
/// no composition rules (no "one digit, one symbol"), and refused when it is a known common
/// password, a run of one character or a sequence, or the account's own name. Spaces and any
/// Unicode are allowed. At most 72 bytes, because bcrypt reads no further: a longer one would
/// be accepted but only its start would count.
package struct PasswordPolicy: Sendable {
    package static let minimumLength = 12
    package static let maximumBytes = 72

    /// Common passwords, lower-cased.
    private let common: Set<String>

    package init(commonPasswords: Set<String>) {
        common = Set(commonPasswords.map { $0.lowercased() })
    }

    /// The shipped list (`Data/passwords/common.txt`, one per line).
    package static func load(from file: URL) throws -> PasswordPolicy {
        let text = try String(contentsOf: file, encoding: .utf8)
        return PasswordPolicy(commonPasswords: Set(text.split(whereSeparator: \.isNewline).map(String.init)))
    }

    /// Why `password` cannot be used by the account named `accountName`, or nil when it can.
    package func problem(with password: String, accountName: String) -> PasswordProblem? {
        if password.count < Self.minimumLength { return .tooShort(password.count) }
        if password.utf8.count > Self.maximumBytes { return .tooLong }
        let folded = password.lowercased()
        if isCommon(folded) { return .common }
        if Self.isRepetitiveOrSequential(folded) { return .repetitive }
        let name = accountName.lowercased()
        if name.count >= 3, folded.contains(name) { return .containsName }
        if folded.contains("loanrisk") { return .containsServiceName }
        return nil
    }

    /// On the list as typed, or once trailing digits and symbols are dropped ("Dragon2024!!").
    private func isCommon(_ folded: String) -> Bool {
        if common.contains(folded) { return true }
        let stem = String(folded.reversed().drop { !$0.isLetter }.reversed())
        return stem.count >= 4 && common.contains(stem)
    }

    /// One character repeated ("aaaaaaaaaaaa"), or a run up or down the alphabet or digits
    /// ("123456789012", "abcdefghijkl").
    static func isRepetitiveOrSequential(_ text: String) -> Bool {
        let scalars = text.unicodeScalars.map(\.value)
        guard let first = scalars.first else { return true }
        if scalars.allSatisfy({ $0 == first }) { return true }
        let steps = zip(scalars, scalars.dropFirst()).map { Int64($1) - Int64($0) }
        let sequential = steps.filter { abs($0) == 1 || $0 == -9 || $0 == 9 }.count
        return sequential >= steps.count - 1
    }
}

/// Why a password was refused, in words for the person choosing it.
package enum PasswordProblem: Error, Equatable, Sendable {
    case tooShort(Int)
    case tooLong
    case common
    case repetitive
    case containsName
    case containsServiceName
    case mismatch

    package var message: String {
        switch self {
        case .tooShort(let count):
            "The password has \(count) character\(count == 1 ? "" : "s"); use at least \(PasswordPolicy.minimumLength). A few words with spaces between them are easy to remember."
        case .tooLong: "The password is longer than \(PasswordPolicy.maximumBytes) bytes; only that much of it would count. Use a shorter one."
        case .common: "That password is on the list of commonly used passwords that attackers try first. Choose another."
        case .repetitive: "That password is one character repeated or a simple sequence. Choose another."
        case .containsName: "The password contains the account's name. Choose another."
        case .containsServiceName: "The password contains the name of this service. Choose another."
        case .mismatch: "The two passwords differ. Type the same password twice."
        }
    }
}
