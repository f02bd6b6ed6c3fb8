import Foundation
import Hummingbird
import LoanRiskCore

extension BatchController {
    /// The filter form POSTed: with a search, the page of that view (the term stays in the
    /// body, the address is the batch's); without one, a redirect to the view's address, so the
    /// address keeps the state as a GET would.
    func searched(_ request: Request, context: AppRequestContext) async throws -> Response {
        let view = try await BatchViewRequest.posted(request, context: context)
        guard view.search != nil else {
            let s = try await store.summary(for: context)
            return .redirect(to: "/batches/\(s.id)" + view.address, type: .normal)
        }
        return try await page(view, request, context: context)
    }

    /// `?view={id}`: the saved view's address on this batch, when the view is of this batch's
    /// model; a page that says why otherwise.
    func applySavedView(_ id: String, context: AppRequestContext) async throws -> Response {
        let s = try await store.summary(for: context)
        guard let view = try await savedViews.find(id: id) else {
            throw HTTPError(.notFound, message: "This saved view does not exist (any more): it may have been deleted. The batch itself is at /batches/\(s.id).")
        }
        guard view.modelName == s.modelName else {
            throw HTTPError(
                .conflict,
                message: "The view “\(view.name)” is for batches scored with \(view.modelName); this one was scored with \(s.modelName). The batch itself is at /batches/\(s.id).")
        }
        return .redirect(to: "/batches/\(s.id)" + (view.query.isEmpty ? "" : "?" + view.query), type: .normal)
    }

    /// The saved views of the batch's model, and the form that saves the view on screen.
    func savedViewsPart(_ s: BatchSummary, query: RowQuery, context: AppRequestContext) async throws -> SavedViewsPart {
        let views = try await savedViews.list(modelName: s.modelName)
        return SavedViewsPart(
            model: s.modelName,
            entries: views.map { view in
                SavedViewsPart.Entry(
                    id: view.id, name: view.name, link: "/batches/\(s.id)?view=\(view.id)",
                    description: SavedViewsController.rowQuery(view.query).described, deleteAction: "/views/\(view.id)/delete")
            },
            countNote: views.isEmpty ? nil : "\(views.count) saved",
            saveAction: "/batches/\(s.id)/views",
            keep: SavedViewsController.fields(of: query).map { .init(name: $0.0, value: $0.1) },
            back: "/batches/\(s.id)", maxNameLength: SavedView.maxNameLength)
    }
}
