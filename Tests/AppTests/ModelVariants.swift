import Foundation
import Hummingbird
import HummingbirdTesting
import Scoring
import Testing

/// Versions of the shipped lending-club bundle made for registry tests: the same model
/// with another sigmoid (so every probability differs), optionally with its inputs changed.
enum ModelVariants {
    static let lendingClub = TestApp.root.appendingPathComponent("Data/models/lending-club")

    struct Variant {
        var model: Data
        var bundle: Data
        var golden: Data?
        var version: String

        /// The bundle as the registry loads it.
        func load() throws -> ModelBundle { try ModelBundle(modelData: model, manifestData: bundle) }

        /// Writes the variant as a bundle folder.
        func write(to folder: URL) throws {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try model.write(to: folder.appendingPathComponent("model.txt"))
            try bundle.write(to: folder.appendingPathComponent("bundle.json"))
            if let golden { try golden.write(to: folder.appendingPathComponent("golden.csv")) }
        }
    }

    /// lending-club under `version`, its sigmoid set to `sigmoid` (1 keeps the shipped model),
    /// with `golden` rows if asked, `edit` applied to bundle.json's features and, when given,
    /// the policy's approve cut-off set to `approveBelow`.
    static func lendingClub(
        version: String, sigmoid: String = "0.9", golden: Bool = false, approveBelow: Double? = nil,
        edit: (inout [[String: Any]]) -> Void = { _ in }
    ) throws -> Variant {
        var text = try String(contentsOf: lendingClub.appendingPathComponent("model.txt"), encoding: .utf8)
        if sigmoid != "1" { text = text.replacingOccurrences(of: "objective=binary sigmoid:1\n", with: "objective=binary sigmoid:\(sigmoid)\n") }
        let model = Data(text.utf8)
        var manifest = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: lendingClub.appendingPathComponent("bundle.json"))) as? [String: Any])
        manifest["version"] = version
        var provenance = manifest["provenance"] as? [String: Any] ?? [:]
        provenance["model_sha256"] = SHA256.hexDigest(model)
        manifest["provenance"] = provenance
        var features = manifest["features"] as? [[String: Any]] ?? []
        edit(&features)
        manifest["features"] = features
        if let approveBelow, var policy = manifest["policy"] as? [String: Any] {
            policy["approve_below"] = approveBelow
            manifest["policy"] = policy
        }
        let bundle = try JSONSerialization.data(withJSONObject: manifest, options: [.sortedKeys])
        let goldenRows = golden ? try Data(contentsOf: lendingClub.appendingPathComponent("golden.csv")) : nil
        return Variant(model: model, bundle: bundle, golden: goldenRows, version: version)
    }

    /// A multipart body registering `variant` (parts model, bundle, golden).
    static func multipart(_ variant: Variant, includeBundle: Bool = true) -> (HTTPFields, ByteBuffer) {
        let boundary = "----loanrisk-registry-test"
        var body = Data()
        func part(_ name: String, _ file: String, _ data: Data) {
            body.append(Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"; filename=\"\(file)\"\r\nContent-Type: application/octet-stream\r\n\r\n".utf8))
            body.append(data)
            body.append(Data("\r\n".utf8))
        }
        part("model", "model.txt", variant.model)
        if includeBundle { part("bundle", "bundle.json", variant.bundle) }
        if let golden = variant.golden { part("golden", "golden.csv", golden) }
        body.append(Data("--\(boundary)--\r\n".utf8))
        var headers = TestApp.adminHeaders
        headers[.contentType] = "multipart/form-data; boundary=\(boundary)"
        return (headers, ByteBuffer(data: body))
    }

    /// Registers `variant` through the admin API; returns the status.
    @discardableResult
    static func register(_ variant: Variant, name: String = "lending-club", with client: some TestClientProtocol) async throws -> HTTPResponse.Status {
        let (headers, body) = multipart(variant)
        return try await client.execute(uri: "/admin/v1/models/\(name)/versions", method: .post, headers: headers, body: body).status
    }

    /// Moves an alias through the admin API.
    static func setAlias(
        _ alias: String = "champion", to version: String, force: Bool = false, name: String = "lending-club", with client: some TestClientProtocol
    ) async throws -> TestResponse {
        var headers = TestApp.adminHeaders
        headers[.contentType] = "application/json"
        return try await client.execute(
            uri: "/admin/v1/models/\(name)/aliases/\(alias)", method: .put, headers: headers,
            body: ByteBuffer(string: #"{"version": "\#(version)", "force": \#(force)}"#))
    }

    static func json(_ response: TestResponse) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? [String: Any])
    }
}
