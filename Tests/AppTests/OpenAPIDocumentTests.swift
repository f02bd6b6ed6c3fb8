@testable import LoanRiskHTTP
import Foundation
import Scoring
import Testing

/// The typed OpenAPI document, built over the shipped bundles without a server: what the
/// types cannot check — each reference names a schema there is, each operation id is one of
/// a kind — and that the types write the JSON Schema forms the document relies on.
@Suite struct OpenAPIDocumentTests {
    static func document() throws -> OpenAPI.Document {
        let names = ["lending-club", "german-credit", "credit-data"]
        let bundles = try names.map { try ModelBundle(directory: TestApp.root.appendingPathComponent("Data/models/\($0)")) }
        return OpenAPIDocument(bundles: bundles, defaultModel: "lending-club").document()
    }

    @Test func everyReferenceNamesAComponent() throws {
        let document = try Self.document()
        var schemas = Array(document.components.schemas.values)
        for item in document.paths.values {
            for (_, operation) in item.operations {
                schemas += (operation.parameters ?? []).map(\.schema)
                schemas += operation.requestBody.map { $0.content.values.map(\.schema) } ?? []
                schemas += operation.responses.values.flatMap { ($0.content ?? [:]).values.map(\.schema) }
            }
        }
        var references: [String] = []
        while let schema = schemas.popLast() {
            if let name = schema.referencedName { references.append(name) }
            schemas += Array((schema.properties ?? [:]).values) + (schema.items.map { [$0] } ?? []) + (schema.oneOf ?? [])
            if case .schema(let other) = schema.additionalProperties { schemas.append(other) }
        }
        #expect(references.count > 20)
        for name in Set(references) {
            #expect(document.components.schemas[name] != nil, "#/components/schemas/\(name) is referred to and not there")
        }
        for (_, operation) in document.paths.values.flatMap(\.operations) {
            for scheme in (operation.security ?? []).flatMap(\.keys) {
                #expect(document.components.securitySchemes[scheme] != nil, "\(operation.operationId): security scheme \(scheme)")
            }
        }
    }

    @Test func operationIDsAreUnique() throws {
        let ids = try Self.document().paths.values.flatMap(\.operations).map(\.operation.operationId)
        #expect(ids.count >= 20)
        #expect(Set(ids).count == ids.count, "\(ids.sorted())")
    }

    /// One kind is a string and several an array; a reference stands alone; nil is not written.
    @Test func schemasEncodeAsJSONSchema() throws {
        func text(_ schema: OpenAPI.Schema) throws -> String { String(decoding: try OpenAPI.encoded(schema, pretty: false), as: UTF8.self) }
        #expect(try text(OpenAPI.Schema(type: [.string])) == #"{"type":"string"}"#)
        #expect(try text(OpenAPI.Schema(type: [.number, .string, .null], maximum: 1)) == #"{"maximum":1,"type":["number","string","null"]}"#)
        #expect(try text(.ref("Reason")) == ##"{"$ref":"#\/components\/schemas\/Reason"}"##)
        #expect(try text(OpenAPI.Schema(allowedValues: ["a", nil], items: OpenAPI.Schema(), defaultValue: 4, examples: [.number(0.25)]))
            == #"{"default":4,"enum":["a",null],"examples":[0.25],"items":{}}"#)
        #expect(try text(OpenAPI.Schema(additionalProperties: .allowed(true))) == #"{"additionalProperties":true}"#)
    }
}
