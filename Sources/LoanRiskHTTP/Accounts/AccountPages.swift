import LoanRiskCore

/// `sign_in.mustache`: the sign-in form.
struct SignInPage: PageView {
    static let template = "sign_in"
    let base: PageBase
    /// Where to go once signed in (a path on this site).
    let next: String
    let name: String
    /// Why the last attempt failed; nil on the first visit.
    let problem: String?
    /// A note on arrival (signed out, password changed …).
    let notice: String?
    /// "Sign in with …" when single sign-on is configured.
    let singleSignOn: SingleSignOnLink?

    struct SingleSignOnLink: MustacheValues {
        let href: String
        let label: String
    }
}

/// `setup.mustache`: the first admin, from the one-time link.
struct SetupPage: PageView {
    static let template = "setup"
    let base: PageBase
    let token: String
    let name: String
    let problem: String?
    let minimumLength: Int
}

/// `account.mustache`: who you are, and changing your password.
struct AccountPage: PageView {
    static let template = "account"
    let base: PageBase
    let name: String
    let displayName: String
    let role: String
    let team: String
    let hasPassword: Bool
    let singleSignOn: Bool
    let problem: String?
    let notice: String?
    let minimumLength: Int
}
