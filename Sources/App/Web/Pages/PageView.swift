import Mustache

/// What the layout (`page.mustache`) and every form read on any page: the page's title and
/// the CSRF token that state-changing forms carry.
struct PageBase: Sendable {
    let title: String
    let csrf: String

    init(_ context: AppRequestContext, title: String) {
        self.init(title: title, csrf: context.csrfToken)
    }

    init(title: String, csrf: String) {
        self.title = title
        self.csrf = csrf
    }
}

/// A page's values, typed: one struct per template, its stored properties the template's keys,
/// rendered by `Views.page(_:status:)`. swift-mustache reads a value's stored properties through
/// `Mirror` — a computed property is invisible to it — and a nil optional reads as an absent
/// key: the lookup goes on outwards (into the enclosing section's value, then the page, then
/// `base`), as a key missing from a dictionary did. So a flag that only some values had stays
/// an optional, or a `Bool` where no enclosing value has a key of that name.
protocol PageView {
    /// The template in `Views/`, without `.mustache`.
    static var template: String { get }
    /// The layout's and the forms' values, read where the page has no key of that name.
    var base: PageBase { get }
}

/// The object a page is rendered from: the page's own stored properties first, then its base's,
/// as one context, so templates read `{{title}}` and `{{csrf}}` as before.
struct PageRoot: MustacheParent {
    let page: any PageView

    func child(named name: String) -> Any? {
        Self.stored(name, of: page) ?? Self.stored(name, of: page.base)
    }

    /// The stored property `name` of `value`, unwrapped when it is an optional (nil when it is
    /// nil), as swift-mustache reads any other value's.
    static func stored(_ name: String, of value: Any) -> Any? {
        guard let found = Mirror(reflecting: value).children.first(where: { $0.label == name })?.value else { return nil }
        let mirror = Mirror(reflecting: found)
        guard mirror.displayStyle == .optional else { return found }
        return mirror.children.first?.value
    }
}
