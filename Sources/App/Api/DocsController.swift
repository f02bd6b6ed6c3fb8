import Foundation
import Hummingbird
import Scoring

/// `GET /openapi.json` and `/docs`, the reference page rendered from the same document, with a
/// copy-paste curl line for every operation.
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
        pages.get("/docs") { request, context in page(request, context: context) }
    }

    private func page(_ request: Request, context: AppRequestContext) -> Response {
        let base = "http://" + (request.head.authority ?? "127.0.0.1:8080")
        let doc = document.document()
        let paths = doc["paths"] as? [String: [String: [String: Any]]] ?? [:]
        // A description several operations share is written out once; the others point to it.
        var firstWithDescription: [String: (anchor: String, title: String)] = [:]
        let operations = paths.keys.sorted(by: Self.order).flatMap { path in
            (paths[path] ?? [:]).keys.sorted().map { method -> [String: Any] in
                let operation = paths[path]?[method] ?? [:]
                let anchor = Self.anchor(method: method, path: path)
                // The document's descriptions are CommonMark; the page shows them as plain text.
                let description = (operation["description"] as? String ?? "").replacingOccurrences(of: "`", with: "")
                var entry: [String: Any] = [
                    "method": method.uppercased(), "path": path, "anchor": anchor,
                    "summary": operation["summary"] as? String ?? "",
                    "curl": curl(method: method, path: path, base: base),
                    "responses": ((operation["responses"] as? [String: Any]) ?? [:]).keys.sorted().map { code in
                        ["code": code, "text": ((operation["responses"] as? [String: [String: Any]])?[code]?["description"] as? String) ?? ""]
                    },
                ]
                if let first = firstWithDescription[description], !description.isEmpty {
                    entry["sameAs"] = ["anchor": first.anchor, "title": first.title]
                } else {
                    entry["description"] = description
                    firstWithDescription[description] = (anchor, "\(method.uppercased()) \(path)")
                }
                return entry
            }
        }
        var values = PageContext(registry: registry).base(context, title: "API reference")
        values["operations"] = operations
        values["models"] = registry.all.map { bundle -> [String: Any] in
            ["name": bundle.name, "title": bundle.title,
             "inputs": bundle.schema.features.map { ["name": $0.name, "kind": $0.kind.rawValue, "description": $0.description ?? ""] }]
        }
        return views.page("docs", values)
    }

    /// `post-api-v1-models-name-predict` for POST /api/v1/models/{name}/predict.
    private static func anchor(method: String, path: String) -> String {
        let words = (method + path).lowercased().split { !$0.isLetter && !$0.isNumber }
        return words.joined(separator: "-")
    }

    /// The default model's predict first, then the rest of the API, then the Open Inference
    /// Protocol, then the admin surface; within each, by path.
    private static func order(_ a: String, _ b: String) -> Bool {
        func rank(_ path: String) -> Int { path == "/api/v1/predict" ? 0 : path.hasPrefix("/v2") ? 2 : path.hasPrefix("/admin") ? 3 : 1 }
        return rank(a) == rank(b) ? a < b : rank(a) < rank(b)
    }

    private func curl(method: String, path: String, base: String) -> String {
        let bundle = registry.defaultBundle
        let concrete = path.replacingOccurrences(of: "{name}", with: bundle.name)
            .replacingOccurrences(of: "{version}", with: bundle.version).replacingOccurrences(of: "{alias}", with: "challenger")
        if path.hasPrefix("/admin/") {
            let auth = "-H \"Authorization: Bearer $ADMIN_TOKEN\""
            switch (method, path) {
            case ("post", "/admin/v1/models/{name}/versions"):
                return "curl -s \(auth) -F model=@model.txt -F bundle=@bundle.json -F golden=@golden.csv \(base)\(concrete)"
            case ("put", _):
                return "curl -s \(auth) -X PUT -H 'Content-Type: application/json' -d '{\"version\": \"\(bundle.version)\"}' \(base)\(concrete)"
            case ("get", _): return "curl -s \(auth) \(base)\(concrete)"
            default: return "curl -s \(auth) -X \(method.uppercased()) \(base)\(concrete)"
            }
        }
        guard method == "post" else { return "curl -s \(base)\(concrete)" }
        if path.hasSuffix("/infer") {
            let inputs = bundle.schema.features.prefix(3).map { spec in
                let value = spec.typicalValue
                let data = spec.kind == .categorical ? "\"\(value)\"" : value
                return "{\"name\": \"\(spec.name)\", \"shape\": [1], \"datatype\": \"\(spec.kind == .categorical ? "BYTES" : "FP64")\", \"data\": [\(data)]}"
            }.joined(separator: ", ")
            return "curl -s -H 'Content-Type: application/json' -d '{\"inputs\": [\(inputs)]}' \(base)\(concrete)"
        }
        let model = path.hasPrefix("/api/v1/models/") ? registry.bundle(named: String(path.split(separator: "/")[3])) ?? bundle : bundle
        let fields = model.schema.features.map { spec -> String in
            let value = spec.typicalValue
            return "\"\(spec.name)\": " + (spec.kind == .categorical || Double(value) == nil ? "\"\(value)\"" : value)
        }.joined(separator: ", ")
        return "curl -s -H 'Content-Type: application/json' -d '{\(fields)}' \(base)\(concrete)"
    }
}
