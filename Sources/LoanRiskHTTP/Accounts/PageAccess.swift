import HTTPTypes
import LoanRiskCore

/// Which role each page route needs, in one place: reading needs a viewer, changing anything an
/// analyst, and the admin pages (under `/admin/`) an admin. The few `POST`s that only read —
/// a search posted so its terms stay out of the address, and its download — are listed here
/// as reads. Routes are named as the router names them (`/batches/{id}`).
enum PageAccess {
    /// Posted searches: they change nothing, and a viewer may search.
    static let readsByPost: Set<String> = ["/batches/{id}", "/batches/{id}/results.csv"]
    /// Routes any signed-in person may post to, whatever their role: their own account.
    static let ownAccount: Set<String> = ["/sign-out", "/account/password"]

    static func required(method: HTTPRequest.Method, route: String) -> Role {
        if route.hasPrefix("/admin/") || route == "/admin" { return .admin }
        if method == .get || method == .head { return .viewer }
        if ownAccount.contains(route) || readsByPost.contains(route) { return .viewer }
        return .analyst
    }
}
