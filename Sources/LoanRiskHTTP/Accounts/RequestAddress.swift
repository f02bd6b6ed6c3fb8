import Hummingbird

extension AppRequestContext {
    /// The address a request came from, for throttling and the logs: the client's, as
    /// `TRUSTED_PROXIES` allows it to be read (`RequestOrigin`).
    var requestAddress: String {
        clientAddress
    }
}

extension AppRequestContext {
    /// The team whose batches, decisions and views the caller sees: its principal's. A caller
    /// without a team (the bootstrap admin token) sees none, as "" matches no team.
    var team: String {
        principal?.teamID ?? ""
    }
}
