@testable import App
@testable import LoanRiskCore
@testable import LoanRiskHTTP
@testable import LoanRiskStorage
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// `/docs` against the OpenAPI document it is rendered from, on a live server: every
/// operation shows its parameters and the properties of its request and answer schemas, as
/// the document has them, and the examples its try-it forms hold score when sent.
@Suite(.sharingTheCores) struct DocsPageTests {
    typealias Object = [String: Any]

    @Test func everyOperationShowsItsParametersAndSchemasFromTheDocument() async throws {
        let app = try await TestApp.make()
        try await app.test(.live) { client in
            let (document, html) = try await Self.documentAndPage(client)
            let schemas = (document["components"] as? Object)?["schemas"] as? Object ?? [:]
            var checked = 0
            for (path, methods) in try #require(document["paths"] as? [String: Object]) {
                for (method, value) in methods {
                    let operation = try #require(value as? Object)
                    let title = "\(method.uppercased()) \(path)"
                    let section = try #require(Self.section(method: method, path: path, in: html), "no section for \(title)")
                    for parameter in operation["parameters"] as? [Object] ?? [] {
                        let name = try #require(parameter["name"] as? String)
                        let location = try #require(parameter["in"] as? String)
                        #expect(section.contains("<td><code>\(Self.escaped(name))</code></td><td>\(location)</td>"), "\(title): parameter \(name)")
                    }
                    let request = ((operation["requestBody"] as? Object)?["content"] as? [String: Object] ?? [:]).map { ("", $0.key, $0.value) }
                    let answers = (operation["responses"] as? [String: Object] ?? [:]).flatMap { code, response in
                        (response["content"] as? [String: Object] ?? [:]).map { (code, $0.key, $0.value) }
                    }
                    for (code, media, content) in request + answers {
                        let names = Self.propertyNames(content["schema"], schemas: schemas)
                        guard !names.isEmpty else { continue }
                        let shown = try #require(Self.schemaBlock(code: code, media: media, in: section, page: html), "\(title) \(code) \(media): no schema shown")
                        for name in names {
                            let listed = shown.contains("<code>\(Self.escaped(name))</code>")
                            #expect(listed, "\(title) \(code) \(media): property \(name)")
                        }
                        checked += 1
                    }
                }
            }
            #expect(checked > 20)
        }
    }

    /// The body in each try-it form of a scoring operation (the JSON API's predict paths and
    /// the Open Inference Protocol's infer) is the document's example, and it scores.
    @Test func theExamplesOnThePageScore() async throws {
        let app = try await TestApp.make()
        try await app.test(.live) { client in
            let (document, html) = try await Self.documentAndPage(client)
            let paths = try #require(document["paths"] as? [String: Object])
            let scoring = paths.keys.filter { ($0.hasPrefix("/api/v1/") && $0.hasSuffix("/predict")) || $0.hasSuffix("/infer") }
            #expect(scoring.count >= 3)
            for path in scoring {
                let section = try #require(Self.section(method: "post", path: path, in: html))
                let form = try #require(Self.between(section, "<form class=\"try-it\"", "</form>"))
                let body = Self.unescaped(try #require(Self.between(form, "data-media-type=\"application/json\"", "</textarea>")).drop { $0 != ">" }.dropFirst())
                let operation = (paths[path]?["post"] as? Object)?["requestBody"] as? Object
                let example = ((operation?["content"] as? Object)?["application/json"] as? Object)?["example"]
                #expect(try Self.same(body, example), "\(path): the form holds the document's example")
                // The path as docs.js fills it in: each path input's value in its place.
                var uri = path
                for input in form.components(separatedBy: "data-param=\"path\"").dropFirst() {
                    let name = try #require(Self.between(input, "data-name=\"", "\""))
                    let value = try #require(Self.selectedValue(in: input))
                    uri = uri.replacingOccurrences(of: "{\(name)}", with: value)
                }
                let response = try await client.execute(uri: uri, method: .post, headers: [.contentType: "application/json"], body: ByteBuffer(string: body))
                #expect(response.status == .ok, "\(path): \(String(buffer: response.body))")
                let answer = try #require(try JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? Object)
                if path.hasSuffix("/infer") {
                    let outputs = answer["outputs"] as? [Object] ?? []
                    #expect(outputs.contains { $0["name"] as? String == "probability_of_default" }, "\(path)")
                } else {
                    #expect(answer["probability_of_default"] is Double, "\(path)")
                }
            }
        }
    }

    /// Code spans, shell quoting and printed JSON: what the page writes besides the document's words.
    @Test func codeSpansQuotesAndPrintedJSON() throws {
        #expect(InlineText("Send `{\"applicants\": [...]}` for many").segments == [
            .init(text: "Send ", code: false), .init(text: #"{"applicants": [...]}"#, code: true), .init(text: " for many", code: false),
        ])
        #expect(InlineText("a `b").segments == [.init(text: "a ", code: false), .init(text: "`b", code: false)])
        #expect(CurlLine.quoted("O'Brien") == #"'O'\''Brien'"#)
        let value = try JSONReader.parse(Array(#"{"shape": [1], "b": {"x": 0.10}, "inputs": [{"data": ["A"]}], "e": {}}"#.utf8))
        #expect(value.compact == #"{"b":{"x":0.10},"e":{},"inputs":[{"data":["A"]}],"shape":[1]}"#)
        #expect(value.pretty == """
            {
              "b": {
                "x": 0.10
              },
              "e": {},
              "inputs": [
                {
                  "data": ["A"]
                }
              ],
              "shape": [1]
            }
            """)
    }

    /// The document and the page, both from the server under test.
    static func documentAndPage(_ client: some TestClientProtocol) async throws -> (Object, String) {
        let json = try await client.execute(uri: "/openapi.json", method: .get)
        let document = try #require(try JSONSerialization.jsonObject(with: Data(json.body.readableBytesView)) as? Object)
        let page = try await client.execute(uri: "/docs", method: .get)
        #expect(page.status == .ok)
        return (document, String(buffer: page.body))
    }

    /// The page's section whose heading names this method and path.
    static func section(method: String, path: String, in html: String) -> String? {
        let heading = "<h2><span class=\"badge method\">\(method.uppercased())</span> <code>\(escaped(path))</code></h2>"
        return html.components(separatedBy: "<section ").first { $0.contains(heading) }
    }

    /// The text of one request body or answer (`code` empty for the request) in one media
    /// type: its schema block in the section, or the earlier block it links to.
    static func schemaBlock(code: String, media: String, in section: String, page: String) -> String? {
        let opening = code.isEmpty ? "<code>\(escaped(media))</code></h4>" : "<code>\(code)</code> "
        let part = section.components(separatedBy: "<h4>").dropFirst().first {
            $0.hasPrefix(opening) && (code.isEmpty || $0.contains("· <code>\(escaped(media))</code></h4>"))
        }
        // Up to the operation's next part (Example, Try it), whose labels are no schema.
        guard let part = part?.components(separatedBy: "<h3").first else { return nil }
        if let link = between(part, "class=\"hint schema-same\">The same schema as <a href=\"#", "\"") {
            return between(page, "id=\"\(link)\"", "<h")
        }
        return part.contains("<div class=\"schema\"") ? part : nil
    }

    /// The property paths a reader should find, as the page writes them (`model.name`,
    /// `results[].score`), for every alternative of a `oneOf`, two levels deep.
    static func propertyNames(_ schema: Any?, schemas: Object, prefix: String = "", depth: Int = 0) -> [String] {
        guard depth < 2, var object = schema as? Object else { return [] }
        if let reference = object["$ref"] as? String {
            object = schemas[String(reference.split(separator: "/").last ?? "")] as? Object ?? [:]
        }
        if let alternatives = object["oneOf"] as? [Any] {
            return alternatives.flatMap { propertyNames($0, schemas: schemas, prefix: prefix, depth: depth) }
        }
        if let items = object["items"] {
            return propertyNames(items, schemas: schemas, prefix: (prefix.hasSuffix(".") ? String(prefix.dropLast()) : prefix) + "[].", depth: depth)
        }
        return (object["properties"] as? Object ?? [:]).flatMap { name, property in
            [prefix + name] + propertyNames(property, schemas: schemas, prefix: prefix + name + ".", depth: depth + 1)
        }
    }

    static func between(_ text: String, _ start: String, _ end: String) -> String? {
        guard let from = text.range(of: start), let to = text.range(of: end, range: from.upperBound..<text.endIndex) else { return nil }
        return String(text[from.upperBound..<to.lowerBound])
    }

    /// An input's `value`, or a select's selected option.
    static func selectedValue(in input: String) -> String? {
        let element = input.prefix { $0 != "\n" }
        if element.contains("<option") {
            return element.components(separatedBy: "<option value=\"").dropFirst().first { $0.contains("\" selected>") }.map { String($0.prefix { $0 != "\"" }) }
        }
        return between(String(element), "value=\"", "\"").map(unescaped)
    }

    /// Whether the JSON text and the document's example are the same value.
    static func same(_ text: String, _ example: Any?) throws -> Bool {
        guard let example else { return false }
        let shown = try JSONSerialization.jsonObject(with: Data(text.utf8))
        let expected = try JSONSerialization.data(withJSONObject: example, options: [.sortedKeys])
        return try JSONSerialization.data(withJSONObject: shown, options: [.sortedKeys]) == expected
    }

    /// As the templates escape text.
    static func escaped(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
            .replacingOccurrences(of: "\"", with: "&quot;").replacingOccurrences(of: "'", with: "&#39;")
    }

    static func unescaped<S: StringProtocol>(_ html: S) -> String {
        String(html).replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&#39;", with: "'")
            .replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">").replacingOccurrences(of: "&amp;", with: "&")
    }
}
