import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import LoanRiskCore

/// `TRUSTED_PROXIES`: the addresses (`10.0.0.7`, `::1`) and networks (`10.0.0.0/8`,
/// `fd00::/8`) whose forwarding headers are believed — the load balancer or TLS proxy in front
/// of the server. Empty (the default): no header is believed, every request is what its
/// connection is. A client's own `X-Forwarded-Proto` must never make it look like TLS, nor its
/// `X-Forwarded-For` give it another address to be throttled under.
package struct TrustedProxies: Sendable, Equatable {
    private let networks: [IPNetwork]

    package static let none = TrustedProxies(networks: [])

    private init(networks: [IPNetwork]) { self.networks = networks }

    /// Reads a comma-separated list; an entry that is not an IP address or CIDR network is an
    /// error naming it (host names are refused: a proxy is matched by the address it connects from).
    package init(parsing list: String) throws(ConfigurationError) {
        var networks: [IPNetwork] = []
        for entry in list.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) where !entry.isEmpty {
            guard let network = IPNetwork(entry) else {
                throw ConfigurationError("TRUSTED_PROXIES has '\(entry)', which is not an IP address or a network such as 10.0.0.0/8 or fd00::/8.")
            }
            networks.append(network)
        }
        self.networks = networks
    }

    package var isEmpty: Bool { networks.isEmpty }

    /// Whether `address` (an IP address as text, as NIO gives a peer's) is one of them.
    package func contains(_ address: String) -> Bool {
        guard !networks.isEmpty, let bytes = IPNetwork.bytes(address) else { return false }
        return networks.contains { $0.contains(bytes) }
    }
}

/// One address or network, as its address bytes (4 or 16) and prefix length.
struct IPNetwork: Sendable, Equatable {
    let base: [UInt8]
    let prefix: Int

    init?(_ text: String) {
        let parts = text.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        guard let base = Self.bytes(String(parts[0])) else { return nil }
        let bits = base.count * 8
        if parts.count == 2 {
            guard let prefix = Int(parts[1]), (0...bits).contains(prefix) else { return nil }
            self.prefix = prefix
        } else {
            prefix = bits
        }
        self.base = base
    }

    func contains(_ address: [UInt8]) -> Bool {
        guard address.count == base.count else { return false }
        var remaining = prefix
        for (a, b) in zip(address, base) where remaining > 0 {
            let mask: UInt8 = remaining >= 8 ? 0xFF : ~(0xFF >> UInt8(remaining))
            if a & mask != b & mask { return false }
            remaining -= 8
        }
        return true
    }

    /// An IPv4 or IPv6 address's bytes; an IPv4 address mapped into IPv6 (`::ffff:10.0.0.7`, what
    /// a dual-stack socket reports) is its IPv4 address, so one entry matches either form.
    static func bytes(_ text: String) -> [UInt8]? {
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 {
            return withUnsafeBytes(of: &v4) { Array($0) }
        }
        var v6 = in6_addr()
        guard inet_pton(AF_INET6, text, &v6) == 1 else { return nil }
        let bytes = withUnsafeBytes(of: &v6) { Array($0) }
        if bytes[0..<10].allSatisfy({ $0 == 0 }) && bytes[10] == 0xFF && bytes[11] == 0xFF { return Array(bytes[12...]) }
        return bytes
    }
}
