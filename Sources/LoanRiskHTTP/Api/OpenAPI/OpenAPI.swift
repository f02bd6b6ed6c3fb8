import LoanRiskCore

/// The parts of an OpenAPI 3.1 document that this server's description uses, as types: the
/// document is built from them (`OpenAPIDocument`), served by encoding them (`/openapi.json`),
/// and read back from them by `/docs`, so a misspelt key is a compile error rather than a
/// section the page silently leaves out. Each type encodes to its object in the
/// specification's own field names; fields left nil are not written.
///
/// (OpenAPIKit would give the same safety, but its schema cannot hold a `type` of several
/// kinds besides null — `["number", "string", "null"]`, how an applicant's numeric input is
/// described — and it would add a minute or more to every cold build; see the commit that made this.)
enum OpenAPI {
    /// The document: `/openapi.json`.
    struct Document: Encodable, Equatable, Sendable {
        var openapi = "3.1.0"
        var info: Info
        var servers: [Server]
        /// Operations by path (`/api/v1/models/{name}`).
        var paths: [String: PathItem]
        var components: Components
    }

    struct Info: Encodable, Equatable, Sendable {
        var title: String
        var version: String
        var description: String
    }

    struct Server: Encodable, Equatable, Sendable {
        var url: String
    }

    /// What operations refer to by name: schemas (`#/components/schemas/Problem`) and the
    /// ways of meeting `security`.
    struct Components: Encodable, Equatable, Sendable {
        var schemas: [String: Schema]
        var securitySchemes: [String: SecurityScheme]
    }

    /// How a `security` requirement is met: here, an HTTP bearer token.
    struct SecurityScheme: Encodable, Equatable, Sendable {
        /// `http`.
        var type: String
        /// `bearer`.
        var scheme: String
        var description: String
    }
}
