import Hummingbird

extension AppRequestContext {
    /// The team whose batches, decisions and views the caller sees: its principal's. A caller
    /// without a team (the bootstrap admin token) sees none, as "" matches no team.
    var team: String {
        principal?.teamID ?? ""
    }
}
