import Hummingbird
import LoanRiskCore
import NIOCore

/// The request context of every route: Hummingbird's core plus the CSRF token of the
/// browser session and the admin caller. Bodies are read with the limits of what they are
/// (`SpooledBody` for uploads and API bodies, up to `MAX_UPLOAD_MB`; `FormBody` for forms),
/// never through Hummingbird's `maxUploadSize` (its 2 MiB default is left as it is).
public struct AppRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The browser's CSRF token (from its cookie, or new), set by `CSRFMiddleware`.
    public var csrfToken = ""
    /// Who an admin request comes from (its token's label), set by `AdminAuthMiddleware`.
    public var actor: String?
    /// Who the request comes from once let in (an account's session, an API key, the admin
    /// token); nil before authentication and on the few routes that need none.
    package var principal: Principal?
    /// Whether the request reached us over TLS, directly or through a proxy in `TRUSTED_PROXIES`:
    /// cookies are then `__Host-` and `Secure`, and HSTS is sent.
    package var overTLS = false
    /// The client's address: the connection's peer, or the address a proxy in `TRUSTED_PROXIES`
    /// forwarded (`RequestOrigin`); "unknown" when the peer has none. For throttling and logs.
    package var clientAddress = "unknown"
    /// Where `recordAccess` sends access events (set for every request by `EveryRequestMiddleware`).
    package var accessLog: AccessLog?
    /// The request's connection, for the one thing a handler writes outside its response: the
    /// interim `100 Continue` (`ExpectContinue`).
    let channel: any Channel

    public init(source: Source) {
        coreContext = .init(source: source)
        channel = source.channel
    }
}
