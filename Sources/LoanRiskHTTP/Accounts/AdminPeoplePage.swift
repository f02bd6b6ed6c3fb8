import LoanRiskCore

/// `admin_people.mustache`: every account, with its role, team and state, and the forms to add
/// one, change one, or set a new password; and the teams.
struct AdminPeoplePage: PageView {
    static let template = "admin_people"
    let base: PageBase
    let people: [Person]
    let teams: [TeamOption]
    let roles: [RoleOption]
    let problem: String?
    let notice: String?
    let minimumLength: Int

    struct Person: MustacheValues {
        let id: String
        let name: String
        let displayName: String
        let role: String
        let team: String
        let disabled: Bool
        let singleSignOn: Bool
        let sessions: Int
        let isSelf: Bool
        /// The role and team pickers with this person's current choice selected.
        let roleChoices: [RoleOption]
        let teamChoices: [TeamOption]
    }

    struct TeamOption: MustacheValues {
        let id: String
        let name: String
        let selected: Bool
        let members: Int
    }

    struct RoleOption: MustacheValues {
        let value: String
        let title: String
        let selected: Bool
    }
}
