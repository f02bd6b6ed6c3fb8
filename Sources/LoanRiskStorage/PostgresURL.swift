import Foundation
import NIOCore
import NIOSSL
import PostgresNIO

/// `DATABASE_URL` as postgres-nio's configuration: `postgres://user:password@host:port/database`,
/// with libpq's `sslmode` (`disable`, `prefer` — the default —, `require`, `verify-ca` or
/// `verify-full`, the last two against `sslrootcert=PATH`) and our
/// `schema` (tables in that schema, created if missing: LoanRisk beside other applications
/// in one database, or each test in a schema of its own).
package enum PostgresURL {
    /// The pool's configuration, the same server as one connection's (what the outage probe
    /// opens, outside the pool), and the schema.
    package struct Settings {
        package var client: PostgresClient.Configuration
        package var probe: PostgresConnection.Configuration
        package var schema: String?
        /// `sslmode=verify-ca` or `verify-full`: the server's certificate is checked.
        package var verifiesCertificate = false
        /// The URL's host, for messages.
        package var host = ""
    }

    package static func configuration(_ url: String) throws -> Settings {
        guard let components = URLComponents(string: url), let scheme = components.scheme,
              scheme == "postgres" || scheme == "postgresql" else {
            throw SQLError.badURL("must look like postgres://user:password@host:5432/database.")
        }
        guard let host = components.host, !host.isEmpty else { throw SQLError.badURL("names no host.") }
        guard let user = components.user, !user.isEmpty else { throw SQLError.badURL("names no user.") }
        let database = components.path.hasPrefix("/") ? String(components.path.dropFirst()) : components.path
        let sslmode = components.queryItems?.first { $0.name == "sslmode" }?.value ?? "prefer"
        let rootCertificate = components.queryItems?.first { $0.name == "sslrootcert" }?.value
        let tls: PostgresClient.Configuration.TLS
        let probeTLS: PostgresConnection.Configuration.TLS
        do {
            switch sslmode {
            case "disable":
                tls = .disable
                probeTLS = .disable
            case "prefer", "allow":
                tls = .prefer(.makeClientConfiguration())
                probeTLS = .prefer(try NIOSSLContext(configuration: .makeClientConfiguration()))
            case "require":
                tls = .require(.makeClientConfiguration())
                probeTLS = .require(try NIOSSLContext(configuration: .makeClientConfiguration()))
            case "verify-ca", "verify-full":
                let configuration = try verifying(full: sslmode == "verify-full", rootCertificate: rootCertificate)
                tls = .require(configuration)
                probeTLS = .require(try NIOSSLContext(configuration: configuration))
            default: throw SQLError.badURL("has sslmode=\(sslmode); use disable, prefer, require, verify-ca or verify-full.")
            }
        } catch let error as SQLError {
            throw error
        } catch {
            throw SQLError.badURL("has sslmode=\(sslmode), but TLS could not be set up: \(error)")
        }
        let port = components.port ?? 5432
        let username = user.removingPercentEncoding ?? user
        let password = components.password.map { $0.removingPercentEncoding ?? $0 }
        let name = database.isEmpty ? nil : database
        var configuration = PostgresClient.Configuration(host: host, port: port, username: username, password: password, database: name, tls: tls)
        configuration.options.maximumConnections = 20
        var probe = PostgresConnection.Configuration(host: host, port: port, username: username, password: password, database: name, tls: probeTLS)
        probe.options.connectTimeout = .seconds(2)
        let schema = components.queryItems?.first { $0.name == "schema" }?.value
        if let schema {
            guard let first = schema.unicodeScalars.first, CharacterSet.lowercaseLetters.contains(first) || first == "_",
                  schema.unicodeScalars.allSatisfy({ CharacterSet.lowercaseLetters.contains($0) || CharacterSet.decimalDigits.contains($0) || $0 == "_" }),
                  schema.count <= 40, schema.allSatisfy(\.isASCII) else {
                throw SQLError.badURL("has schema=\(schema); a schema name is lower-case letters, digits and _, starting with a letter.")
            }
            configuration.options.additionalStartupParameters = [("search_path", schema)]
        }
        return Settings(client: configuration, probe: probe, schema: schema, verifiesCertificate: sslmode.hasPrefix("verify-"), host: host)
    }

    /// libpq's `verify-ca` (the server's certificate must chain to the root) and `verify-full`
    /// (and name the host of the URL — its DNS name, or its IP address in a SAN). The root is
    /// `sslrootcert=PATH` (PEM, one or more certificates), or the system's roots when absent or
    /// `sslrootcert=system`. TLS 1.2 at least.
    private static func verifying(full: Bool, rootCertificate: String?) throws -> TLSConfiguration {
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.minimumTLSVersion = .tlsv12
        configuration.certificateVerification = full ? .fullVerification : .noHostnameVerification
        if let path = rootCertificate, path != "system" {
            guard let pem = FileManager.default.contents(atPath: path) else {
                throw SQLError.badURL("has sslrootcert=\(path), which cannot be read: no such file, or not readable by this user.")
            }
            let roots: [NIOSSLCertificate]
            do {
                roots = try NIOSSLCertificate.fromPEMBytes(Array(pem))
            } catch {
                throw SQLError.badURL("has sslrootcert=\(path), which holds no PEM certificate that can be read (\(error)).")
            }
            guard !roots.isEmpty else { throw SQLError.badURL("has sslrootcert=\(path), which holds no PEM certificate.") }
            configuration.trustRoots = .certificates(roots)
        }
        return configuration
    }
}
