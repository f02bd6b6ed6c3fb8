@testable import App
@testable import LoanRiskCore
@testable import LoanRiskHTTP
import LoanRiskStorage
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore

/// The real application under test, whose test client carries credentials the way real
/// callers do: the machine surfaces (`/api/v1`, `/v2`, `/admin/v1`) get the bootstrap admin
/// key (`ADMIN_TOKEN`, as operators and systems send it) unless the test sent its own
/// `Authorization`; pages get the session cookie of a real account (`TestApp.account`, an
/// admin of the default team, made in the app's database and signed in through the session
/// store). A test that means to be anonymous uses `test(_:anonymous:)`; another account's
/// session comes from `TestApp.signIn(…)`.
struct SignedInApp<Inner: ApplicationProtocol>: Sendable {
    let inner: Inner
    let configuration: AppConfiguration
    /// The database the test opened itself, if it did (else the configuration's is opened).
    let database: (any SQLDatabase)?

    func test<Value>(_ setup: TestingSetup, _ body: @Sendable (any TestClientProtocol) async throws -> Value) async throws -> Value {
        try await test(setup, anonymous: false, body)
    }

    /// `anonymous`: the client exactly as HummingbirdTesting gives it, no credentials at all.
    func test<Value>(_ setup: TestingSetup, anonymous: Bool, _ body: @Sendable (any TestClientProtocol) async throws -> Value) async throws -> Value {
        if anonymous { return try await inner.test(setup, body) }
        let session = try await TestApp.signIn(TestApp.account, configuration: configuration, database: database)
        return try await inner.test(setup) { client in try await body(CredentialedClient(inner: client, session: session)) }
    }

    func runService() async throws { try await inner.runService() }
}

/// Adds the admin key to requests for the machine surfaces that carry no `Authorization`, and
/// the session cookie to every other request.
struct CredentialedClient: TestClientProtocol {
    let inner: any TestClientProtocol
    /// The session cookie's value.
    let session: String

    var port: Int? { inner.port }

    func executeRequest(uri: String, method: HTTPRequest.Method, headers: HTTPFields, body: ByteBuffer?) async throws -> TestResponse {
        var headers = headers
        if uri.hasPrefix("/metrics") {
            if headers[.authorization] == nil { headers[.authorization] = "Bearer \(TestApp.metricsToken)" }
        } else if Self.isMachinePath(uri) {
            if headers[.authorization] == nil { headers[.authorization] = "Bearer \(TestApp.adminToken)" }
        } else {
            let cookie = "\(SessionCookie.plainName)=\(session)"
            headers[.cookie] = headers[.cookie].map { $0.isEmpty ? cookie : $0 + "; " + cookie } ?? cookie
        }
        return try await inner.executeRequest(uri: uri, method: method, headers: headers, body: body)
    }

    static func isMachinePath(_ uri: String) -> Bool {
        ["/api/", "/v2", "/admin/v1"].contains { uri.hasPrefix($0) }
    }
}
