import LoanRiskCore
import Mustache

/// What the layout (`page.mustache`) and every form read on any page: the page's title, the
/// CSRF token that state-changing forms carry, and who is signed in (with the sign-out button).
struct PageBase: Sendable {
    let title: String
    let csrf: String
    /// Who is signed in; nil on the sign-in and setup pages, and when accounts are off.
    let signedIn: SignedInView?

    init(_ context: AppRequestContext, title: String) {
        self.init(title: title, csrf: context.csrfToken, signedIn: context.principal.flatMap(SignedInView.init))
    }

    init(title: String, csrf: String, signedIn: SignedInView? = nil) {
        self.title = title
        self.csrf = csrf
        self.signedIn = signedIn
    }
}

/// The header's "signed in as" and what the role may open.
struct SignedInView: Sendable, MustacheValues {
    let name: String
    let role: String
    /// Admins see the people, teams, keys and access-log pages in the menu.
    let isAdmin: Bool

    init?(_ principal: Principal) {
        guard principal.kind == .account else { return nil }
        name = principal.name
        role = principal.role.title
        isAdmin = principal.role.allows(.admin)
    }
}

/// A page's values, typed: one struct per template, its stored properties the template's keys,
/// rendered by `Views.page(_:status:)`; the structs inside it conform to `MustacheValues`.
/// Only stored properties are keys — a computed property is invisible — and a nil optional
/// reads as an absent key: the lookup goes on outwards (into the enclosing section's value,
/// then the page, then `base`), as a key missing from a dictionary did. So a flag that only
/// some values had stays an optional, or a `Bool` where no enclosing value has that key.
protocol PageView {
    /// The template in `Views/`, without `.mustache`.
    static var template: String { get }
    /// The layout's and the forms' values, read where the page has no key of that name.
    var base: PageBase { get }
}

/// The object a page is rendered from: the page's own stored properties first, then its base's,
/// as one context, so templates read `{{title}}` and `{{csrf}}` as before. Both are held as
/// `Any`, as the reading takes them: an `any PageView` would be copied into a new box, every
/// field retained, on each lookup (most lookups reach the page: rows read its flags).
struct PageRoot: MustacheParent {
    private let page: Any
    private let base: Any

    init(page: some PageView) {
        self.page = page
        base = page.base
    }

    func child(named name: String) -> Any? {
        StoredProperties.value(named: name, of: page) ?? StoredProperties.value(named: name, of: base)
    }
}
