import Foundation
import GRPCNIOTransportHTTP2
import LoanRiskCore
import NIOSSL

/// The server's own TLS (`TLS_CERT_PATH`, `TLS_KEY_PATH`): the certificate chain and its key,
/// read and checked once at start, so a missing, unreadable or mismatched file stops the server
/// with a message naming the setting instead of failing every handshake later. The HTTP server
/// and the gRPC server speak it alike. Never logged: the key is in here.
package struct ServerTLS: Sendable {
    package let certificatePath: String
    package let keyPath: String
    private let certificatePEM: [UInt8]
    private let keyPEM: [UInt8]
    private let chain: [NIOSSLCertificate]
    private let key: NIOSSLPrivateKey

    /// Reads both PEM files: the certificate file holds the server's certificate first, then any
    /// intermediates; the key file its private key (unencrypted: nobody is there to type a
    /// passphrase at start).
    package init(certificatePath: String, keyPath: String) throws(ConfigurationError) {
        self.certificatePath = certificatePath
        self.keyPath = keyPath
        certificatePEM = try Self.read("TLS_CERT_PATH", certificatePath)
        keyPEM = try Self.read("TLS_KEY_PATH", keyPath)
        do {
            chain = try NIOSSLCertificate.fromPEMBytes(certificatePEM)
        } catch {
            throw ConfigurationError("TLS_CERT_PATH='\(certificatePath)' holds no PEM certificate that can be read (\(error)).")
        }
        guard !chain.isEmpty else { throw ConfigurationError("TLS_CERT_PATH='\(certificatePath)' holds no PEM certificate.") }
        do {
            key = try NIOSSLPrivateKey(bytes: keyPEM, format: .pem)
        } catch {
            throw ConfigurationError("TLS_KEY_PATH='\(keyPath)' holds no unencrypted PEM private key that can be read.")
        }
        // BoringSSL checks that the key belongs to the leaf certificate when the context is made.
        do {
            _ = try NIOSSLContext(configuration: http)
        } catch {
            throw ConfigurationError("TLS_KEY_PATH='\(keyPath)' is not the private key of the certificate in TLS_CERT_PATH='\(certificatePath)' (\(error)).")
        }
    }

    /// Both settings or neither: one alone is an error naming the other.
    package static func from(certificatePath: String?, keyPath: String?) throws(ConfigurationError) -> ServerTLS? {
        switch (certificatePath.flatMap { $0.isEmpty ? nil : $0 }, keyPath.flatMap { $0.isEmpty ? nil : $0 }) {
        case (nil, nil): return nil
        case (.some, nil): throw ConfigurationError("TLS_CERT_PATH is set but TLS_KEY_PATH is not: set both (the certificate and its private key) or neither.")
        case (nil, .some): throw ConfigurationError("TLS_KEY_PATH is set but TLS_CERT_PATH is not: set both (the certificate and its private key) or neither.")
        case let (certificate?, key?): return try ServerTLS(certificatePath: certificate, keyPath: key)
        }
    }

    /// HTTP/1.1's configuration: TLS 1.2 and 1.3 only, and in TLS 1.2 only forward-secret AEAD
    /// suites (ECDHE with AES-GCM or ChaCha20-Poly1305; TLS 1.3's suites are all of that kind):
    /// no CBC, RC4, 3DES, export, NULL or RSA key exchange. Every browser and client of the
    /// last ten years offers one of these.
    package var http: TLSConfiguration {
        var configuration = TLSConfiguration.makeServerConfiguration(certificateChain: chain.map { .certificate($0) }, privateKey: .privateKey(key))
        configuration.minimumTLSVersion = .tlsv12
        configuration.cipherSuiteValues = Self.ciphers
        configuration.applicationProtocols = ["http/1.1"]
        return configuration
    }

    /// gRPC's: the transport sets TLS 1.2 as the least and offers `h2` by ALPN itself; its
    /// ciphers are swift-nio-ssl's defaults (no NULL, export, RC4 or 3DES), which it does not let
    /// us narrow.
    package var grpc: HTTP2ServerTransport.Posix.TransportSecurity {
        .tls(certificateChain: [.bytes(certificatePEM, format: .pem)], privateKey: .bytes(keyPEM, format: .pem))
    }

    private static let ciphers: [NIOTLSCipher] = [
        .TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, .TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384, .TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
        .TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, .TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384, .TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
    ]

    private static func read(_ name: String, _ path: String) throws(ConfigurationError) -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ConfigurationError("\(name)='\(path)' cannot be read: no such file, or not readable by this user.")
        }
        return Array(data)
    }
}
