import Foundation
import Hummingbird
import LoanRiskCore

/// Named views of a model's batches: saved from a batch page, listed there for the model,
/// opened on any batch of it (`/batches/{id}?view={view}`, `BatchController`), deleted.
/// Forms with the pages' CSRF token; each answers JSON to the page's script (`Accept:
/// application/json`) and a redirect or an error page without script.
struct SavedViewsController {
    let batches: BatchStore
    let store: SavedViewStore

    func addRoutes(to router: some RouterMethods<AppRequestContext>) {
        router.post("/batches/:id/views") { request, context in try await create(request, context: context) }
        router.get("/models/:name/views.json") { _, context in try await list(context: context) }
        router.post("/views/:view/delete") { request, context in try await delete(request, context: context) }
    }

    /// One saved view as JSON.
    struct Entry: Encodable {
        let id: String
        let model: String
        let name: String
        let query: String
        let description: String
        let created: Date
        /// The view on the batch it was saved from (on `POST`), else without a batch.
        let link: String?

        init(_ view: SavedView, batch: String? = nil) {
            id = view.id
            model = view.modelName
            name = view.name
            query = view.query
            description = SavedViewsController.rowQuery(view.query).described
            created = view.createdAt
            link = batch.map { "/batches/\($0)?view=\(view.id)" }
        }
    }

    struct Failure: Encodable {
        let error: String
    }

    /// Saves the posted view (its sort, filters and columns; a search is dropped) under the
    /// posted name for the batch's model.
    private func create(_ request: Request, context: AppRequestContext) async throws -> Response {
        let s = try await batches.summary(for: context)
        let buffer = try await request.body.collect(upTo: 64 * 1024)
        let form = FormBody.pairs(String(buffer: buffer))
        try CSRF.check(form.last { $0.0 == "csrf" }?.1, context: context)
        var view = BatchViewRequest(address: request)
        view.parameters = form.filter { !["csrf", "q", "name"].contains($0.0) }
        var query = view.query(batch: s, request: request).query
        query.search = nil
        let name = form.last { $0.0 == "name" }?.1 ?? ""
        let stored = Formatting.query(Self.fields(of: query)).dropFirst()
        switch try await store.create(modelName: s.modelName, name: name, query: String(stored)) {
        case .success(let saved):
            context.logger.info("view saved", metadata: ["model": .string(s.modelName), "view": .string(saved.id)])
            if Self.wantsJSON(request) { return try JSONAnswer(Entry(saved, batch: s.id), status: .created).response() }
            return .redirect(to: "/batches/\(s.id)?view=\(saved.id)", type: .normal)
        case .failure(let error):
            let status = Self.status(of: error)
            if Self.wantsJSON(request) { return try JSONAnswer(Failure(error: error.message), status: status).response() }
            throw HTTPError(status, message: error.message + " Go back to the batch to try again.")
        }
    }

    /// Every saved view of the model, by name.
    private func list(context: AppRequestContext) async throws -> JSONAnswer<[Entry]> {
        let model = context.parameters.get("name") ?? ""
        return JSONAnswer(try await store.list(modelName: model).map { Entry($0) })
    }

    private func delete(_ request: Request, context: AppRequestContext) async throws -> Response {
        let form = try await FormBody.read(request, context: context, limit: 16 * 1024)
        try CSRF.check(form["csrf"], context: context)
        let id = context.parameters.get("view") ?? ""
        guard let deleted = try await store.delete(id: id) else {
            if Self.wantsJSON(request) { return try JSONAnswer(Failure(error: "There is no such saved view: it may have been deleted already."), status: .notFound).response() }
            throw HTTPError(.notFound, message: "There is no such saved view: it may have been deleted already.")
        }
        context.logger.info("view deleted", metadata: ["model": .string(deleted.modelName), "view": .string(deleted.id)])
        if Self.wantsJSON(request) { return try JSONAnswer(Entry(deleted)).response() }
        let back = form["back"].flatMap { $0.hasPrefix("/batches/") && !$0.contains("//") ? $0 : nil } ?? "/batches"
        return .redirect(to: back, type: .normal)
    }

    private static func status(of error: SavedViewError) -> HTTPResponse.Status {
        if case .duplicate = error { return .conflict }
        return .badRequest
    }

    private static func wantsJSON(_ request: Request) -> Bool {
        (request.headers[.accept] ?? "").contains("application/json")
    }

    /// The fields a saved view keeps of `query`: its sort, filters and columns (with the form's
    /// marker, so a view with none shows none), never its page or search.
    static func fields(of query: RowQuery) -> [(String, String)] {
        var fields = query.parameters { $0.page = 1; $0.search = nil }
        if query.columns.isEmpty { fields.append((ShownColumnsChoice.formMarker, "1")) }
        return fields
    }

    /// A stored view's query text read back as a query (for describing it).
    static func rowQuery(_ text: String) -> RowQuery {
        let pairs = FormBody.pairs(text)
        var query = RowQuery(parameters: Dictionary(pairs, uniquingKeysWith: { first, _ in first }))
        let names = pairs.filter { $0.0 == "col" }.map(\.1)
        query.show(names, header: names, hidden: nil)
        return query
    }
}
