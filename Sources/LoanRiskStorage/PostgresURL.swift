import Foundation
import NIOCore
import NIOSSL
import PostgresNIO

/// `DATABASE_URL` as postgres-nio's configuration: `postgres://user:password@host:port/database`,
/// with libpq's `sslmode` (`disable`, `prefer` — the default — or `require`) and our
/// `schema` (tables in that schema, created if missing: LoanRisk beside other applications
/// in one database, or each test in a schema of its own).
package enum PostgresURL {
    /// The pool's configuration, the same server as one connection's (what the outage probe
    /// opens, outside the pool), and the schema.
    package struct Settings {
        package var client: PostgresClient.Configuration
        package var probe: PostgresConnection.Configuration
        package var schema: String?
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
            case "require", "verify-ca", "verify-full":
                tls = .require(.makeClientConfiguration())
                probeTLS = .require(try NIOSSLContext(configuration: .makeClientConfiguration()))
            default: throw SQLError.badURL("has sslmode=\(sslmode); use disable, prefer or require.")
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
        return Settings(client: configuration, probe: probe, schema: schema)
    }
}
