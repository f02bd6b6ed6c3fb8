import Foundation
import Hummingbird
import LoanRiskCore
import Scoring

/// The registry over HTTP (`/admin/v1`, behind `AdminAuthMiddleware`): list versions,
/// register one (multipart: `model` = the model file, optional `bundle` = bundle.json and
/// `golden` = golden.csv), move and clear aliases, roll back, remove a version, and each
/// name's alias history. Every change is applied on this instance at once and on the others
/// within their next registry poll.
struct AdminModelsController {
    let lifecycle: ModelLifecycle
    let registry: ModelRegistry
    let shadow: ShadowStore
    /// The largest model upload (`MAX_UPLOAD_MB`).
    let maxBytes: Int
    /// Where a large upload waits while it arrives.
    let connections: ConnectionSettings

    func addRoutes(to admin: some RouterMethods<AppRequestContext>) {
        admin.get("models") { _, _ in try await list() }
        admin.post("models/:name/versions") { request, context in try await register(request, context: context) }
        admin.delete("models/:name/versions/:version") { _, context in try await remove(context: context) }
        admin.put("models/:name/aliases/:alias") { request, context in try await promote(request, context: context) }
        admin.delete("models/:name/aliases/:alias") { _, context in try await clear(context: context) }
        admin.post("models/:name/rollback") { _, context in try await rollback(context: context) }
        admin.get("models/:name/history") { _, context in try await history(context: context) }
        admin.get("models/:name/challenger") { request, context in try await challenger(request, context: context) }
    }

    /// One model name in the listing.
    struct ModelEntry: Encodable {
        let name: String
        let isDefault: Bool
        let champion: String?
        let challenger: String?
        let versions: [ModelVersionSummary]

        enum CodingKeys: String, CodingKey {
            case name, champion, challenger, versions
            case isDefault = "default"
        }
    }

    private func list() async throws -> JSONAnswer<[String: [ModelEntry]]> {
        let summaries = try await lifecycle.store.summaries()
        let names = Array(Set(summaries.map(\.name))).sorted()
        let entries = names.map { name in
            let versions = summaries.filter { $0.name == name }
            return ModelEntry(
                name: name, isDefault: name == registry.defaultName,
                champion: versions.first { $0.aliases.contains(.champion) }?.version,
                challenger: versions.first { $0.aliases.contains(.challenger) }?.version,
                versions: versions)
        }
        return JSONAnswer(["models": entries])
    }

    private func register(_ request: Request, context: AppRequestContext) async throws -> Response {
        let name = try pathName(context)
        let form: MultipartForm
        do {
            form = try await MultipartForm.read(request, limit: maxBytes, settings: connections)
        } catch let tooLarge as SpooledBody.TooLarge {
            throw ProblemDetails(status: .contentTooLarge, detail: "The files are larger than the upload limit of \(tooLarge.limit / 1_048_576) MB.", limit: tooLarge.limit)
        }
        func part(_ field: String) -> Data? {
            form.files.first { $0.fieldName == field }.map { $0.bytes.withUnsafeBytes { Data($0) } }
        }
        guard let model = part("model") else {
            throw ProblemDetails(status: .badRequest, detail: "Send the model as a multipart part named 'model' (LightGBM model.txt, XGBoost JSON or UBJSON, a scikit-learn or scorecard export); 'bundle' (bundle.json) and 'golden' (golden.csv) are optional.")
        }
        let files = ModelLifecycle.Files(model: model, bundle: part("bundle"), golden: part("golden"), name: name)
        let record = try await lifecycleCall { try ModelLifecycle.record(for: files, actor: actor(context)) }
        guard record.name == name else {
            throw ProblemDetails(status: .unprocessableContent, detail: "The bundle is named '\(record.name)', but was sent to /admin/v1/models/\(name)/versions.")
        }
        let registration = try await lifecycleCall { try await lifecycle.store.register(record) }
        context.logger.info("registry: version registered", metadata: [
            "model": .string(record.name), "version": .string(record.version), "by": .string(actor(context))])
        let stored = try await lifecycle.store.summaries(name: name).first { $0.version == record.version }
        return try JSONAnswer(stored, status: registration == .created ? .created : .ok).response()
    }

    /// `{"version": "…", "force": false}`.
    struct AliasBody: Decodable {
        let version: String
        let force: Bool?
    }

    private func promote(_ request: Request, context: AppRequestContext) async throws -> JSONAnswer<ModelLifecycle.Promotion> {
        let name = try pathName(context)
        let alias = try pathAlias(context)
        let body: AliasBody
        do {
            body = try JSONDecoder().decode(AliasBody.self, from: Data((try await request.body.collect(upTo: 65_536)).readableBytesView))
        } catch {
            throw ProblemDetails(status: .badRequest, detail: #"Send {"version": "<version>"} (and "force": true to accept changed inputs)."#)
        }
        let promotion = try await lifecycleCall {
            try await lifecycle.promote(name: name, version: body.version, alias: alias, actor: actor(context), force: body.force ?? false)
        }
        try await registry.refresh()
        context.logger.info("registry: alias moved", metadata: [
            "model": .string(name), "alias": .string(alias.rawValue), "from": .string(promotion.previous ?? "–"),
            "to": .string(promotion.version), "by": .string(actor(context))])
        return JSONAnswer(promotion)
    }

    private func clear(context: AppRequestContext) async throws -> Response {
        let name = try pathName(context)
        let alias = try pathAlias(context)
        let cleared = try await lifecycleCall { try await lifecycle.store.clearAlias(alias, of: name, actor: actor(context)) }
        try await registry.refresh()
        guard cleared != nil else {
            throw ProblemDetails(status: .notFound, detail: "\(name) has no \(alias.rawValue).")
        }
        return Response(status: .noContent)
    }

    private func rollback(context: AppRequestContext) async throws -> JSONAnswer<ModelLifecycle.Promotion> {
        let name = try pathName(context)
        let promotion = try await lifecycleCall { try await lifecycle.rollback(name: name, actor: actor(context)) }
        try await registry.refresh()
        context.logger.info("registry: rolled back", metadata: [
            "model": .string(name), "from": .string(promotion.previous ?? "–"), "to": .string(promotion.version), "by": .string(actor(context))])
        return JSONAnswer(promotion)
    }

    private func remove(context: AppRequestContext) async throws -> Response {
        let name = try pathName(context)
        let version = context.parameters.get("version") ?? ""
        try await lifecycleCall { try await lifecycle.store.remove(name: name, version: version) }
        return Response(status: .noContent)
    }

    private func history(context: AppRequestContext) async throws -> JSONAnswer<[String: [AliasEvent]]> {
        let name = try pathName(context)
        return JSONAnswer(["events": try await lifecycle.store.history(of: name)])
    }

    /// The shadow comparison of the serving champion and challenger, or of the versions
    /// `?champion=&challenger=` names (an earlier pairing).
    private func challenger(_ request: Request, context: AppRequestContext) async throws -> JSONAnswer<ShadowStore.Comparison> {
        let name = try pathName(context)
        let query = request.uri.queryParameters
        let serving = registry.serving(named: name)
        guard let champion = query["champion"].map(String.init) ?? serving?.champion.version,
              let challenger = query["challenger"].map(String.init) ?? serving?.challenger?.version else {
            throw ProblemDetails(status: .notFound, detail: "\(name) has no challenger; name a past pairing with ?champion=…&challenger=….")
        }
        return JSONAnswer(try await shadow.comparison(name: name, champion: champion, challenger: challenger))
    }

    private func pathName(_ context: AppRequestContext) throws -> String {
        let name = context.parameters.get("name") ?? ""
        guard ModelName.isValid(name) else {
            throw ProblemDetails(status: .badRequest, detail: "'\(name.prefix(64))' is not a model name: letters, digits, '-', '_' or '.', at most 64.")
        }
        return name
    }

    private func pathAlias(_ context: AppRequestContext) throws -> ModelAlias {
        let text = context.parameters.get("alias") ?? ""
        guard let alias = ModelAlias(rawValue: text) else {
            throw ProblemDetails(status: .notFound, detail: "'\(text.prefix(32))' is not an alias; the aliases are champion and challenger.")
        }
        return alias
    }

    private func actor(_ context: AppRequestContext) -> String { context.actor ?? "admin" }

    /// Runs a registry operation, answering its refusal as problem+json with the status its kind calls for.
    private func lifecycleCall<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as LifecycleError {
            throw ProblemDetails(lifecycle: error)
        }
    }
}

extension ProblemDetails {
    /// A registry refusal as problem+json.
    init(lifecycle error: LifecycleError) {
        let status: HTTPResponse.Status
        switch error.kind {
        case .notFound: status = .notFound
        case .conflict, .inputsChanged: status = .conflict
        case .invalid: status = .unprocessableContent
        case .storage: status = .internalServerError
        case .unavailable: status = .serviceUnavailable
        }
        self.init(status: status, detail: error.message)
        inputChanges = error.inputChanges
        goldenRows = error.golden
    }
}
