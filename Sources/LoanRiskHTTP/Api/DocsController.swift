import Foundation
import Hummingbird
import LoanRiskCore
import Scoring

/// `GET /openapi.json` and `/docs`, the reference page rendered from that same document
/// (`DocsPage`): schemas, examples, curl lines and try-it forms (`Public/docs.js`).
struct DocsController {
    let registry: ModelRegistry
    let views: Views

    private var document: OpenAPIDocument {
        OpenAPIDocument(bundles: registry.all, defaultModel: registry.defaultBundle.name)
    }

    /// `/docs` is a page (pages group); `/openapi.json` is for machines (no cookie, problem+json errors).
    func addRoutes(pages: some RouterMethods<AppRequestContext>, machine: some RouterMethods<AppRequestContext>) {
        machine.get("/openapi.json") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(data: try document.json())))
        }
        pages.get("/docs") { request, context in try page(request, context: context) }
    }

    /// The page reads the same typed document `/openapi.json` encodes, and prints its JSON
    /// parts as that encoding writes them, so it shows what a client gets.
    private func page(_ request: Request, context: AppRequestContext) throws -> Response {
        let base = (context.overTLS ? "https://" : "http://") + (request.head.authority ?? "127.0.0.1:8080")
        let content = try DocsPage(document: document.document(), base: base, values: ExampleValues(defaultBundle: registry.defaultBundle))
        return views.page(ReferencePage(base: PageBase(context, title: "API reference"), operations: content.operations))
    }
}
