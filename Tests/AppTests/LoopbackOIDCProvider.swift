import Foundation
import Testing

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

@testable import LoanRiskCore

/// The real OpenID provider of `tests/oidc/provider.py` (pyop) as a subprocess on a free
/// loopback port, and a person's side of its login form over plain HTTP.
///
/// Its Python is `LOANRISK_OIDC_PYTHON`, else `.build/oidc-venv/bin/python` (where `.ci/run`
/// installs `tests/oidc/requirements.txt`), else `python3`. Without pyop the tests that need
/// it are skipped — except under CI (`CI` set), where they run and fail.
final class LoopbackOIDCProvider {
    static let clientID = "loanrisk-test"
    static let clientSecret = "loopback-client-secret: with spaces & symbols"
    static let users = TestApp.root.appendingPathComponent("tests/oidc/users.json")
    static let passwords = ["ana": "ana-loopback-pass", "rita": "rita-loopback-pass", "mo": "mo-loopback-pass"]

    static var python: String {
        if let configured = ProcessInfo.processInfo.environment["LOANRISK_OIDC_PYTHON"], !configured.isEmpty { return configured }
        let venv = TestApp.root.appendingPathComponent(".build/oidc-venv/bin/python").path
        return FileManager.default.isExecutableFile(atPath: venv) ? venv : "/usr/bin/env"
    }

    static var pythonArguments: [String] { python == "/usr/bin/env" ? ["python3"] : [] }

    /// Whether the provider can run here (pyop importable), or must (under CI).
    static let usable: Bool = {
        if ProcessInfo.processInfo.environment["CI"] != nil { return true }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = pythonArguments + ["-c", "import pyop"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return false }
        process.waitUntilExit()
        return process.terminationStatus == 0
    }()

    let process: Process
    let issuer: String

    /// Starts the provider for a client whose callback is `redirect`; returns once it listens.
    init(redirect: String, authMethod: String = "client_secret_basic") throws {
        process = Process()
        process.executableURL = URL(fileURLWithPath: Self.python)
        process.arguments = Self.pythonArguments + [
            TestApp.root.appendingPathComponent("tests/oidc/provider.py").path, "--users", Self.users.path,
            "--client-id", Self.clientID, "--client-secret", Self.clientSecret, "--redirect-uri", redirect, "--auth-method", authMethod,
        ]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        var line = Data()
        while let byte = try output.fileHandleForReading.read(upToCount: 1), let first = byte.first, first != UInt8(ascii: "\n") {
            line.append(first)
        }
        let ready = String(decoding: line, as: UTF8.self)
        guard ready.hasPrefix("READY ") else {
            kill(process.processIdentifier, SIGKILL)
            throw ProviderFailure("the provider did not start: '\(ready)'")
        }
        issuer = String(ready.dropFirst("READY ".count))
    }

    deinit {
        // SIGKILL: the test process may hand its children a signal mask that blocks SIGTERM.
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }

    struct ProviderFailure: Error, CustomStringConvertible { let description: String; init(_ d: String) { description = d } }

    func settings(
        redirect: String, clientID: String = LoopbackOIDCProvider.clientID, teamClaim: String? = "team",
        roleMap: String = "risk-admins=admin,model-team=model_admin,analysts=analyst,auditors=viewer"
    ) throws -> OIDCSettings {
        OIDCSettings(
            issuer: issuer, clientID: clientID, clientSecret: Self.clientSecret, redirectURL: redirect, providerName: "Loopback ID",
            roleMap: try OIDCRoleMap(parsing: roleMap), teamClaim: teamClaim)
    }

    /// Replaces the provider's signing key (a new `kid`); returns the new key's id.
    func rotateKey() async throws -> String {
        var request = URLRequest(url: try #require(URL(string: issuer + "/rotate-key")))
        request.httpMethod = "POST"
        let (data, _) = try await NoRedirects.session.data(for: request)
        struct Rotated: Decodable { let kid: String }
        return try JSONDecoder().decode(Rotated.self, from: data).kid
    }

    /// A person at the browser: opens the authorization address (the provider's login form),
    /// posts the user and password, and returns where the provider redirects to (our callback
    /// with `code` and `state`) without following it.
    static func logIn(at authorizationURL: String, user: String, password: String? = nil) async throws -> URLComponents {
        let (form, formResponse) = try await NoRedirects.session.data(from: try #require(URL(string: authorizationURL)))
        #expect((formResponse as? HTTPURLResponse)?.statusCode == 200, "\(String(decoding: form, as: UTF8.self))")
        let query = try #require(URLComponents(string: authorizationURL)?.percentEncodedQuery)
        let base = try #require(URL(string: authorizationURL.components(separatedBy: "?")[0]))
        var request = URLRequest(url: base)
        request.httpMethod = "POST"
        request.setValue("application/x-www-form-urlencoded", forHTTPHeaderField: "Content-Type")
        let body = [("request", query), ("username", user), ("password", password ?? passwords[user] ?? "")]
        request.httpBody = Data(FormEncoding.encode(body).utf8)
        let (_, response) = try await NoRedirects.session.data(for: request)
        let http = try #require(response as? HTTPURLResponse)
        #expect(http.statusCode == 303)
        let location = try #require(http.value(forHTTPHeaderField: "Location"))
        return try #require(URLComponents(string: location))
    }
}

extension URLComponents {
    func query(_ name: String) -> String? { queryItems?.first { $0.name == name }?.value }
}

/// A URLSession that hands redirects back instead of following them.
final class NoRedirects: NSObject, URLSessionTaskDelegate, Sendable {
    static let session = URLSession(configuration: .ephemeral, delegate: NoRedirects(), delegateQueue: nil)

    func urlSession(
        _ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse, newRequest request: URLRequest,
        completionHandler: @escaping @Sendable (URLRequest?) -> Void
    ) {
        completionHandler(nil)
    }
}
