import Foundation
import Hummingbird
import LoanRiskCore
import Mustache

/// The Mustache templates in `Views/`, loaded once at start-up; a missing template is a
/// start-up error, not a failed request. HTML escaping is Mustache's default (`{{…}}`); only
/// markup built here from numbers (SVG charts) is inserted raw with `{{{…}}}`.
package struct Views: Sendable {
    let library: MustacheLibrary

    static let required = ["page", "index", "batch", "batches", "model", "applicant", "applicant_result", "error", "docs", "explanation", "batch_row", "challenger", "models", "docs_text", "docs_row", "docs_schema", "saved_views", "search_download", "sign_in", "setup", "account", "admin_people", "keys", "access_log", "applicant_rights"]

    package init(directory: URL) async throws {
        library = try await MustacheLibrary(directory: directory.path)
        let missing = Self.required.filter { library.getTemplate(named: $0) == nil }
        guard missing.isEmpty else {
            throw ConfigurationError("Views are missing in \(directory.path): \(missing.map { $0 + ".mustache" }.joined(separator: ", ")).")
        }
    }

    /// Renders `page` with its template (`Page.template`) as an HTML response.
    func page<Page: PageView>(_ page: Page, status: HTTPResponse.Status = .ok) -> Response {
        html(library.render(PageRoot(page: page), withTemplate: Page.template), status: status)
    }

    private func html(_ rendered: String?, status: HTTPResponse.Status) -> Response {
        let html = rendered ?? "<!doctype html><title>LoanRisk</title><p>Page unavailable."
        return Response(
            status: status,
            headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"],
            body: .init(byteBuffer: ByteBuffer(string: html)))
    }
}
