import Foundation
import Scoring

/// The random values of one sign-in: PKCE's code verifier and its S256 challenge (RFC 7636),
/// and the `state` and `nonce` that bind the provider's answer to this browser and this request.
package enum SignInRandom {
    /// 32 random bytes as unpadded base64url: 43 characters, 256 bits.
    package static func token() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<4).flatMap { _ in withUnsafeBytes(of: generator.next() as UInt64) { Array($0) } }
        return base64URL(bytes)
    }

    /// `BASE64URL(SHA256(verifier))`, the S256 code challenge.
    package static func challenge(for verifier: String) -> String {
        base64URL(Scoring.SHA256.digest(Array(verifier.utf8)))
    }

    package static func base64URL(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    package static func decodeBase64URL(_ text: some StringProtocol) -> Data? {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        return Data(base64Encoded: base64)
    }
}
