import Logging
import NIOSSL
import PostgresNIO

/// With `sslmode=verify-ca` or `verify-full`, one connection at start before the pool's: a
/// server whose certificate the root does not vouch for, or that names another host, will
/// never be accepted, so the start stops at once saying why — rather than after the pool's
/// minute of retries with a connection error. Anything else (the server not up yet) is left
/// to the migration's patient wait.
enum PostgresCertificateCheck {
    static func run(_ settings: PostgresURL.Settings, logger: Logger) async throws {
        guard settings.verifiesCertificate else { return }
        do {
            let connection = try await PostgresConnection.connect(configuration: settings.probe, id: 0, logger: logger)
            try? await connection.close()
        } catch let error as PSQLError {
            guard let refusal = refusal(error.underlying, host: settings.host) else { return }
            throw SQLError.badURL("asks to verify the server's certificate, and it was refused: \(refusal)")
        }
    }

    /// Why TLS refused the server, when that is what happened.
    private static func refusal(_ error: (any Error)?, host: String) -> String? {
        switch error {
        case is NIOSSLExtraError: "the certificate does not name the host \(host) (sslmode=verify-full checks the name; verify-ca does not)."
        case let error as NIOSSLError: "the certificate does not chain to sslrootcert (or the system's roots), or is not valid now (\(error))."
        default: nil
        }
    }
}
