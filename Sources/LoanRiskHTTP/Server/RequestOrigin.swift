import Foundation
import HTTPTypes
import LoanRiskCore

/// Where a request came from, as far as it can be known: whether it travelled over TLS and
/// the client's address. Believes forwarding headers only from a peer in `TRUSTED_PROXIES`:
///
/// - over TLS when our own listener speaks TLS, or when a trusted proxy says so with
///   `X-Forwarded-Proto: https` or `Forwarded: proto=https` (RFC 7239) — the last hop's value,
///   the one the proxy in front of us wrote;
/// - the client's address is the connection's peer, or, from a trusted proxy, the nearest
///   address in `X-Forwarded-For` (or `Forwarded: for=`) that is not itself a trusted proxy,
///   read from the right: whatever a client writes itself sits to the left of what its proxy
///   appended.
///
/// `X-Forwarded-*` is read before `Forwarded` when a request has both: configure the proxy to
/// set (not pass on) the one it writes.
package struct RequestOrigin: Sendable {
    /// Whether our own listener speaks TLS (`TLS_CERT_PATH`).
    package var listenerTLS: Bool
    package var trustedProxies: TrustedProxies

    package init(listenerTLS: Bool, trustedProxies: TrustedProxies) {
        self.listenerTLS = listenerTLS
        self.trustedProxies = trustedProxies
    }

    /// The request's origin from its headers and its connection's peer address (nil when the
    /// peer is not an IP address, as on a Unix socket or in the in-process test client).
    package func resolve(headers: HTTPFields, peer: String?) -> (overTLS: Bool, clientAddress: String) {
        let peerAddress = peer ?? "unknown"
        guard let peer, trustedProxies.contains(peer) else { return (listenerTLS, peerAddress) }
        let forwarded = Self.forwardedElements(headers)
        let proto = Self.lastItem(headers, "x-forwarded-proto") ?? forwarded.last?["proto"]
        let overTLS = listenerTLS || proto?.lowercased() == "https"
        let hops = Self.items(headers, "x-forwarded-for") ?? forwarded.compactMap { $0["for"] }
        return (overTLS, client(hops: hops) ?? peerAddress)
    }

    /// The rightmost hop that is not a trusted proxy; the leftmost when all are; nil when the
    /// hops name no address we can read (then the peer stands).
    private func client(hops: [String]) -> String? {
        var nearest: String?
        for hop in hops.reversed() {
            guard let address = Self.address(hop) else { return nearest }
            nearest = address
            if !trustedProxies.contains(address) { return address }
        }
        return nearest
    }

    /// An address as `X-Forwarded-For` or `Forwarded: for=` writes it (`203.0.113.9`,
    /// `"[2001:db8::1]:4711"`, `"198.51.100.4:80"`), without quotes, brackets or port; nil for
    /// `unknown`, obfuscated names and anything else that is not an IP address.
    static func address(_ text: String) -> String? {
        var value = text.trimmingCharacters(in: .whitespaces)
        if value.hasPrefix("\""), value.hasSuffix("\""), value.count >= 2 { value = String(value.dropFirst().dropLast()) }
        if value.hasPrefix("["), let end = value.firstIndex(of: "]") {
            value = String(value[value.index(after: value.startIndex)..<end])
        } else if value.filter({ $0 == ":" }).count == 1, let colon = value.firstIndex(of: ":") {
            value = String(value[..<colon])
        }
        return IPNetwork.bytes(value) == nil ? nil : value
    }

    /// Every comma-separated item of a field over all its lines, in order; nil without the field.
    private static func items(_ headers: HTTPFields, _ name: String) -> [String]? {
        let lines = headers.filter { $0.name.canonicalName == name }.map(\.value)
        guard !lines.isEmpty else { return nil }
        return lines.flatMap { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }.filter { !$0.isEmpty }
    }

    private static func lastItem(_ headers: HTTPFields, _ name: String) -> String? {
        items(headers, name)?.last
    }

    /// RFC 7239's elements, one per hop, each its parameters by lower-cased name (values
    /// unquoted for `proto`; `for` kept as written, for `address`).
    static func forwardedElements(_ headers: HTTPFields) -> [[String: String]] {
        (items(headers, "forwarded") ?? []).map { element in
            var parameters: [String: String] = [:]
            for pair in element.split(separator: ";") {
                let parts = pair.split(separator: "=", maxSplits: 1)
                guard parts.count == 2 else { continue }
                let name = parts[0].trimmingCharacters(in: .whitespaces).lowercased()
                var value = parts[1].trimmingCharacters(in: .whitespaces)
                if name == "proto", value.hasPrefix("\""), value.hasSuffix("\""), value.count >= 2 { value = String(value.dropFirst().dropLast()) }
                parameters[name] = value
            }
            return parameters
        }
    }
}
