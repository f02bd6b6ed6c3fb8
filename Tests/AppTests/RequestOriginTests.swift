@testable import App
@testable import LoanRiskCore
@testable import LoanRiskHTTP
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// `TRUSTED_PROXIES` and the forwarding headers: believed from a listed peer only, and then
/// the request counts as over TLS (HSTS, the `__Host-` Secure CSRF cookie) and its client is
/// the forwarded address; from any other peer the same headers change nothing.
@Suite(.sharingTheCores) struct RequestOriginTests {
    static let forwardedHTTPS: HTTPFields = {
        var fields = HTTPFields()
        fields.append(HTTPField(name: HTTPField.Name("X-Forwarded-Proto")!, value: "https"))
        fields.append(HTTPField(name: HTTPField.Name("X-Forwarded-For")!, value: "203.0.113.9"))
        return fields
    }()

    static func headers(_ pairs: [(String, String)]) -> HTTPFields {
        var fields = HTTPFields()
        for (name, value) in pairs { fields.append(HTTPField(name: HTTPField.Name(name)!, value: value)) }
        return fields
    }

    /// A live server (so the peer is the loopback address of a real connection) with `proxies`.
    func page(trusting proxies: String, headers: HTTPFields) async throws -> TestResponse {
        var configuration = TestApp.configuration()
        configuration.trustedProxies = try TrustedProxies(parsing: proxies)
        let app = try await TestApp.make(configuration)
        // The sign-in page: it answers without a session (the test client's session cookie has
        // its plain-HTTP name, which a request over TLS does not read).
        return try await app.test(.live) { client in try await client.execute(uri: "/sign-in", method: .get, headers: headers) }
    }

    @Test func aTrustedProxysHTTPSMakesTheRequestOverTLS() async throws {
        let page = try await page(trusting: "10.0.0.0/8, 127.0.0.1", headers: Self.forwardedHTTPS)
        #expect(page.status == .ok)
        #expect(page.headers[HTTPField.Name("Strict-Transport-Security")!] == "max-age=31536000; includeSubDomains")
        let cookie = try #require(page.headers[.setCookie])
        #expect(cookie.hasPrefix("__Host-loanrisk_csrf="))
        #expect(cookie.contains("Secure") && cookie.contains("HttpOnly") && cookie.contains("Path=/") && cookie.contains("SameSite=Strict"))
        #expect(!cookie.lowercased().contains("domain="))
    }

    @Test func anUntrustedPeersHeadersChangeNothing() async throws {
        for proxies in ["", "10.0.0.0/8"] {
            let page = try await page(trusting: proxies, headers: Self.forwardedHTTPS)
            #expect(page.headers[HTTPField.Name("Strict-Transport-Security")!] == nil)
            let cookie = try #require(page.headers[.setCookie])
            #expect(cookie.hasPrefix("loanrisk_csrf="))
            #expect(!cookie.contains("Secure"))
        }
    }

    @Test func aTrustedProxysPlainHTTPStaysPlain() async throws {
        let page = try await page(trusting: "127.0.0.1", headers: Self.headers([("Forwarded", "for=203.0.113.9;proto=http")]))
        #expect(page.headers[HTTPField.Name("Strict-Transport-Security")!] == nil)
        #expect(try #require(page.headers[.setCookie]).hasPrefix("loanrisk_csrf="))
    }

    @Test func aPlainNamedCookieIsNotReadOverTLS() async throws {
        // Over TLS only `__Host-loanrisk_csrf` counts: a plain-named one could have been planted
        // over HTTP, so the browser gets a new token (and its cookie) instead.
        var headers = Self.forwardedHTTPS
        headers[.cookie] = "loanrisk_csrf=" + String(repeating: "a", count: 64)
        let page = try await page(trusting: "127.0.0.1", headers: headers)
        let cookie = try #require(page.headers[.setCookie])
        #expect(cookie.hasPrefix("__Host-loanrisk_csrf=") && !cookie.hasPrefix("__Host-loanrisk_csrf=" + String(repeating: "a", count: 64)))
    }

    // MARK: the rules, without a server

    let origin = RequestOrigin(listenerTLS: false, trustedProxies: try! TrustedProxies(parsing: "10.0.0.0/8, 2001:db8::/32, 127.0.0.1"))

    @Test func theLastHopsProtoCounts() {
        #expect(origin.resolve(headers: Self.headers([("X-Forwarded-Proto", "http, https")]), peer: "10.1.2.3").overTLS)
        #expect(!origin.resolve(headers: Self.headers([("X-Forwarded-Proto", "https, http")]), peer: "10.1.2.3").overTLS)
        #expect(origin.resolve(headers: Self.headers([("Forwarded", "for=1.2.3.4;proto=http, for=10.9.9.9;proto=https")]), peer: "10.1.2.3").overTLS)
        #expect(origin.resolve(headers: Self.headers([("Forwarded", "proto=\"HTTPS\"")]), peer: "::ffff:10.0.0.1").overTLS)
        #expect(!origin.resolve(headers: Self.headers([("X-Forwarded-Proto", "https")]), peer: "192.0.2.1").overTLS)
    }

    @Test func theClientIsTheNearestUntrustedHop() {
        // The client wrote "198.51.100.66" itself; its proxy appended what it saw.
        let spoofed = Self.headers([("X-Forwarded-For", "198.51.100.66, 203.0.113.9, 10.0.0.2")])
        #expect(origin.resolve(headers: spoofed, peer: "10.0.0.1").clientAddress == "203.0.113.9")
        #expect(origin.resolve(headers: spoofed, peer: "192.0.2.1").clientAddress == "192.0.2.1")
        let forwarded = Self.headers([("Forwarded", "for=\"[2001:db8:cafe::17]:4711\", for=10.0.0.2")])
        #expect(origin.resolve(headers: forwarded, peer: "10.0.0.1").clientAddress == "2001:db8:cafe::17")
        let port = Self.headers([("Forwarded", "for=\"198.51.100.4:8080\"")])
        #expect(origin.resolve(headers: port, peer: "10.0.0.1").clientAddress == "198.51.100.4")
        #expect(origin.resolve(headers: Self.headers([("X-Forwarded-For", "unknown")]), peer: "10.0.0.1").clientAddress == "10.0.0.1")
        #expect(origin.resolve(headers: [:], peer: nil).clientAddress == "unknown")
    }

    @Test func ownTLSIsTLSWhateverTheHeadersSay() {
        let listener = RequestOrigin(listenerTLS: true, trustedProxies: .none)
        let answer = listener.resolve(headers: Self.headers([("X-Forwarded-Proto", "http"), ("X-Forwarded-For", "203.0.113.9")]), peer: "192.0.2.1")
        #expect(answer.overTLS && answer.clientAddress == "192.0.2.1")
    }

    @Test func trustedProxiesAreAddressesAndNetworks() throws {
        let proxies = try TrustedProxies(parsing: " 10.0.0.0/8 ,192.0.2.7, fd00::/8 ")
        #expect(proxies.contains("10.255.0.1") && proxies.contains("192.0.2.7") && proxies.contains("fd12::1") && proxies.contains("::ffff:10.1.1.1"))
        #expect(!proxies.contains("11.0.0.1") && !proxies.contains("192.0.2.8") && !proxies.contains("fe80::1") && !proxies.contains("nonsense"))
        #expect(throws: ConfigurationError.self) { try TrustedProxies(parsing: "10.0.0.0/33") }
        #expect(throws: ConfigurationError.self) { try TrustedProxies(parsing: "proxy.internal") }
        #expect(try TrustedProxies(parsing: "").isEmpty)
    }

    @Test func cookieSecurityNamesAndSetsFromTheTransport() {
        let secure = CookieSecurity.cookie(name: "loanrisk_session", value: "v", overTLS: true, sameSite: .lax, maxAge: 600)
        #expect(secure.name == "__Host-loanrisk_session" && secure.secure && secure.httpOnly && secure.path == "/" && secure.domain == nil)
        #expect(secure.maxAge == 600 && secure.sameSite == .lax)
        let plain = CookieSecurity.cookie(name: "loanrisk_session", value: "v", overTLS: false)
        #expect(plain.name == "loanrisk_session" && !plain.secure && plain.httpOnly)
        #expect(CookieSecurity.name("loanrisk_csrf", overTLS: true) == "__Host-loanrisk_csrf")
        let gone = CookieSecurity.expired(name: "loanrisk_session", overTLS: true)
        #expect(gone.name == "__Host-loanrisk_session" && gone.value.isEmpty && gone.maxAge == 0 && gone.secure && gone.path == "/")
    }

    @Test func bothTLSFilesOrNeither() {
        #expect(throws: ConfigurationError.self) { try AppConfiguration(environment: ["TLS_CERT_PATH": "/tmp/x.pem"]) }
        #expect(throws: ConfigurationError.self) { try AppConfiguration(environment: ["TLS_KEY_PATH": "/tmp/x.key"]) }
        #expect(throws: ConfigurationError.self) { try AppConfiguration(environment: ["TLS_CERT_PATH": "/nonexistent.pem", "TLS_KEY_PATH": "/nonexistent.key"]) }
        #expect((try? AppConfiguration(environment: [:]))?.tls == nil)
    }
}
