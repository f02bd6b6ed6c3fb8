@testable import App
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore

/// The real application under test, whose test client carries credentials the way real
/// callers do: the machine surfaces (`/api/v1`, `/v2`, `/admin/v1`) get the bootstrap admin
/// key (`ADMIN_TOKEN`, as operators and systems send it) unless the test sent its own
/// `Authorization`. A test that means to be anonymous uses `test(_:anonymous:)`.
struct SignedInApp<Inner: ApplicationProtocol>: Sendable {
    let inner: Inner

    func test<Value>(_ setup: TestingSetup, _ body: @Sendable (any TestClientProtocol) async throws -> Value) async throws -> Value {
        try await inner.test(setup) { client in try await body(CredentialedClient(inner: client)) }
    }

    /// The client exactly as HummingbirdTesting gives it: no credentials at all.
    func test<Value>(_ setup: TestingSetup, anonymous: Bool, _ body: @Sendable (any TestClientProtocol) async throws -> Value) async throws -> Value {
        try await inner.test(setup) { client in try await body(anonymous ? client : CredentialedClient(inner: client)) }
    }

    func runService() async throws { try await inner.runService() }
}

/// Adds the admin key to requests for the machine surfaces that carry no `Authorization`.
struct CredentialedClient: TestClientProtocol {
    let inner: any TestClientProtocol

    var port: Int? { inner.port }

    func executeRequest(uri: String, method: HTTPRequest.Method, headers: HTTPFields, body: ByteBuffer?) async throws -> TestResponse {
        var headers = headers
        if headers[.authorization] == nil, Self.isMachinePath(uri) {
            headers[.authorization] = "Bearer \(TestApp.adminToken)"
        }
        return try await inner.executeRequest(uri: uri, method: method, headers: headers, body: body)
    }

    static func isMachinePath(_ uri: String) -> Bool {
        ["/api/", "/v2", "/admin/v1"].contains { uri.hasPrefix($0) }
    }
}
