import Foundation
import Hummingbird
import LoanRiskCore

/// Which uploaded columns a results table shows. The URL says it (`col=…`, repeated, in the
/// order chosen), so a shared link shows what its sender saw; the choice is also remembered per
/// model in a cookie, so the next file scored with that model opens with the same columns.
struct ShownColumnsChoice {
    /// The column names asked for.
    var names: [String]
    /// Whether they came from the request (and so are to be remembered), not from the cookie.
    var fromRequest: Bool

    /// The form sends `cols=1` with its boxes, so that ticking none is a choice too.
    static let formMarker = "cols"

    init(_ request: Request, model: String) {
        self.init(parameters: request.uri.queryParameters.map { (String($0.key), String($0.value)) }, cookies: request.cookies, model: model)
    }

    /// From a view's parameters (an address's, or a posted form's): its `col`s when it has any
    /// or the form's marker, else the cookie's.
    init(parameters: [(String, String)], cookies: Cookies, model: String) {
        let asked = parameters.filter { $0.0 == "col" }.map(\.1)
        if !asked.isEmpty || parameters.contains(where: { $0.0 == Self.formMarker }) {
            names = asked
            fromRequest = true
        } else {
            names = cookies[Self.cookieName(model: model)].map { Self.decode($0.value) } ?? []
            fromRequest = false
        }
    }

    /// The cookie that remembers `names` for a year. Column names are not applicants' data (so
    /// no `__Host-` name: it is kept to `/batches`), but it is `Secure` over TLS all the same.
    static func cookie(_ names: [String], model: String, overTLS: Bool) -> Cookie {
        Cookie(name: cookieName(model: model), value: encode(names), maxAge: 365 * 24 * 3600, path: "/batches",
               secure: overTLS, httpOnly: true, sameSite: .lax)
    }

    static func cookieName(model: String) -> String {
        "columns-" + String(model.unicodeScalars.filter { allowed.contains($0) && $0 != "." && $0 != "~" }.map(Character.init))
    }

    /// Names percent-encoded and joined by `&`: every byte of it is a legal cookie octet.
    static func encode(_ names: [String]) -> String {
        names.compactMap { $0.addingPercentEncoding(withAllowedCharacters: allowed) }.joined(separator: "&")
    }

    static func decode(_ value: String) -> [String] {
        value.split(separator: "&").compactMap { $0.removingPercentEncoding }
    }

    private static let allowed = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.~")
}
