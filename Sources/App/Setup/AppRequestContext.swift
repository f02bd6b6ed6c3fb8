import Hummingbird
import NIOCore

/// The request context of every route: Hummingbird's core plus the CSRF token of the
/// browser session, and an upload limit the operator sets (`MAX_UPLOAD_MB`).
public struct AppRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The browser's CSRF token (from its cookie, or new), set by `CSRFMiddleware`.
    public var csrfToken = ""
    /// Who an admin request comes from (its token's label), set by `AdminAuthMiddleware`.
    public var actor: String?
    /// Set from the configuration by `UploadLimitMiddleware`; Hummingbird's default is 2 MiB.
    public var uploadLimit = 2 * 1_048_576
    /// The request's connection, for the one thing a handler writes outside its response: the
    /// interim `100 Continue` (`ExpectContinueMiddleware`).
    let channel: any Channel

    public init(source: Source) {
        coreContext = .init(source: source)
        channel = source.channel
    }

    public var maxUploadSize: Int { uploadLimit }
}
