import Crypto
import Foundation

/// A key's text and what is kept of it. A key is `lr_` and 64 hex digits (32 random bytes from
/// the system's generator); only its SHA-256 is stored. A slow password hash (bcrypt) guards
/// guessable passwords; 256 random bits cannot be guessed, and the fast hash keeps the check
/// of every request far below the API's 3 % budget (bench/api_key_cost.sh).
package enum APIKeySecret {
    package static let marker = "lr_"

    /// A new key's text.
    package static func generate() -> String {
        var generator = SystemRandomNumberGenerator()
        return marker + HexDigits.string(generator.next(), generator.next(), generator.next(), generator.next(), digitsEach: 16)
    }

    /// What lists show of a key: its first 8 hex digits, enough to tell keys apart and far
    /// too few to guess the rest.
    package static func prefix(of key: String) -> String {
        String(key.prefix(marker.count + 8)) + "…"
    }

    /// The digest a key is looked up by.
    package static func digest(_ key: some StringProtocol) -> APIKeyDigest {
        var text = String(key)
        return text.withUTF8 { APIKeyDigest(Crypto.SHA256.hash(data: $0)) }
    }
}

/// A SHA-256 digest as four words: a cheap dictionary key (hashing it hashes 32 bytes, no
/// allocation), and hex text as stored in `api_key.secret_hash`.
package struct APIKeyDigest: Hashable, Sendable {
    package let words: (UInt64, UInt64, UInt64, UInt64)

    init(_ digest: SHA256Digest) {
        var w: [UInt64] = [0, 0, 0, 0]
        for (index, byte) in digest.enumerated() { w[index / 8] = w[index / 8] << 8 | UInt64(byte) }
        words = (w[0], w[1], w[2], w[3])
    }

    package init?(hex: String) {
        let digits = Array(hex.utf8)
        guard digits.count == 64 else { return nil }
        var w: [UInt64] = [0, 0, 0, 0]
        for (index, digit) in digits.enumerated() {
            let value: UInt8
            switch digit {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): value = digit - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): value = digit - UInt8(ascii: "a") + 10
            default: return nil
            }
            w[index / 16] = w[index / 16] << 4 | UInt64(value)
        }
        words = (w[0], w[1], w[2], w[3])
    }

    package var hex: String { HexDigits.string(words.0, words.1, words.2, words.3, digitsEach: 16) }

    package static func == (a: APIKeyDigest, b: APIKeyDigest) -> Bool {
        a.words.0 == b.words.0 && a.words.1 == b.words.1 && a.words.2 == b.words.2 && a.words.3 == b.words.3
    }

    package func hash(into hasher: inout Hasher) {
        hasher.combine(words.0)
        hasher.combine(words.1)
        hasher.combine(words.2)
        hasher.combine(words.3)
    }
}
