import LoanRiskCore

extension OpenAPI {
    /// The operations of one path, by HTTP method.
    struct PathItem: Encodable, Equatable, Sendable {
        var get: Operation?
        var put: Operation?
        var post: Operation?
        var delete: Operation?

        /// The operations there are, with their method's name as the document writes it
        /// (`get`), in the order of those names.
        var operations: [(method: String, operation: Operation)] {
            [("delete", delete), ("get", get), ("post", post), ("put", put)].compactMap { method, operation in
                operation.map { (method, $0) }
            }
        }
    }

    struct Operation: Encodable, Equatable, Sendable {
        var operationId: String
        var summary: String
        var description: String?
        /// Nil rather than empty, so an operation without any writes none.
        var parameters: [Parameter]?
        var requestBody: RequestBody?
        /// Answers by status code (`"200"`, `"404"`).
        var responses: [String: Response]
        /// Alternatives, each naming the schemes of `components.securitySchemes` it needs
        /// (with their scopes, none for a bearer token).
        var security: [[String: [String]]]?

        init(
            operationId: String, summary: String, description: String? = nil, parameters: [Parameter] = [], requestBody: RequestBody? = nil,
            responses: [String: Response], security: [[String: [String]]]? = nil
        ) {
            self.operationId = operationId
            self.summary = summary
            self.description = description
            self.parameters = parameters.isEmpty ? nil : parameters
            self.requestBody = requestBody
            self.responses = responses
            self.security = security
        }
    }

    /// A path or query parameter.
    struct Parameter: Encodable, Equatable, Sendable {
        enum Location: String, Encodable, Sendable {
            case path, query
        }

        var name: String
        var location: Location
        var required: Bool
        var description: String?
        var schema: Schema

        enum CodingKeys: String, CodingKey {
            case name, location = "in", required, description, schema
        }
    }

    struct RequestBody: Encodable, Equatable, Sendable {
        var required: Bool
        /// By media type (`application/json`).
        var content: [String: MediaType]
    }

    struct Response: Encodable, Equatable, Sendable {
        var description: String
        /// By media type; nil for an answer without a body (204).
        var content: [String: MediaType]?
    }

    /// A body in one media type: its schema and, for a request, an example to send.
    struct MediaType: Encodable, Equatable, Sendable {
        var schema: Schema
        var example: Value?
    }
}
