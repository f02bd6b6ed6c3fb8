import Hummingbird
import LoanRiskCore
import NIOCore

extension AppRequestContext {
    /// Who the access log names for this request: the principal let in, else the admin
    /// token's label, else `anonymous`.
    var accessCaller: String {
        if let principal { return principal.caller }
        if let actor { return "admin-token:\(actor)" }
        return AccessEvent.anonymous
    }

    /// The client's address as the access log records it (`clientAddress`: the peer, or what
    /// a proxy in `TRUSTED_PROXIES` forwarded).
    var accessAddress: String? {
        clientAddress == "unknown" ? nil : clientAddress
    }

    /// Records an access event for this request (fire-and-forget: `AccessLog.record`). One call
    /// per handler, after the object was found (or not: `outcome`). The object id may be an
    /// applicant's id: it goes to the access log only, never to the application's log.
    func recordAccess(_ action: AccessEvent.Action, _ kind: AccessEvent.ObjectKind, _ objectID: String?, outcome: AccessEvent.Outcome = .ok) {
        accessLog?.record(AccessEvent(
            caller: accessCaller, action: action, objectKind: kind, objectID: objectID, address: accessAddress, requestID: logger[metadataKey: "hb.request.id"]?.description, outcome: outcome))
    }
}
