import HummingbirdCore
import LoanRiskCore
import Logging

/// Bounds the connections open at once (`MAX_CONNECTIONS`). At the bound the server stops
/// accepting: new connections wait in the kernel's listen backlog until one closes, rather
/// than each costing a descriptor and memory. Reaching the bound is logged at most once a
/// minute with how often it was reached meanwhile, so a flood does not flood the log too.
struct ConnectionLimit: AvailableConnectionsDelegate {
    let maximum: Int
    let logger: Logger
    private var open = 0
    private var lastLogged: ContinuousClock.Instant?
    private var reachedSinceLog = 0

    init(maximum: Int, logger: Logger) {
        self.maximum = maximum
        self.logger = logger
    }

    mutating func connectionOpened() {
        open += 1
        guard open == maximum else { return }
        reachedSinceLog += 1
        let now = ContinuousClock.now
        if let lastLogged, now - lastLogged < .seconds(60) { return }
        logger.warning(
            "connection limit reached: new connections wait until one closes (MAX_CONNECTIONS)",
            metadata: ["open": .stringConvertible(open), "timesReached": .stringConvertible(reachedSinceLog)])
        lastLogged = now
        reachedSinceLog = 0
    }

    mutating func connectionClosed() { open -= 1 }

    func isAcceptingNewConnections() -> Bool { open < maximum }
}
