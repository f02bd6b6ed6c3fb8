import LoanRiskCore

extension OpenAPI {
    /// A JSON Schema (draft 2020-12, as OpenAPI 3.1 has it), with the keywords this document
    /// uses. A reference (`$ref`) stands alone: `Schema.ref(_:)`.
    struct Schema: Encodable, Equatable, Sendable {
        /// The kinds of JSON value `type` names.
        enum Kind: String, Encodable, Sendable {
            case string, number, integer, boolean, array, object, null
        }

        /// What else an object may hold besides `properties`: anything (`true`) or values of one schema.
        indirect enum AdditionalProperties: Encodable, Equatable, Sendable {
            case allowed(Bool)
            case schema(Schema)

            func encode(to encoder: any Encoder) throws {
                switch self {
                case .allowed(let allowed): try allowed.encode(to: encoder)
                case .schema(let schema): try schema.encode(to: encoder)
                }
            }
        }

        /// `#/components/schemas/Name`.
        var ref: String?
        /// One kind is written as a string, several as an array; none, not at all.
        var type: [Kind] = []
        var description: String?
        /// `enum`: the allowed values.
        var allowedValues: [Value]?
        var properties: [String: Schema]?
        /// The properties an object must have.
        var required: [String]?
        /// An array's elements (stored in an array of at most one, the way a struct may hold itself).
        var items: Schema? {
            get { boxedItems.first }
            set { boxedItems = newValue.map { [$0] } ?? [] }
        }
        private var boxedItems: [Schema] = []
        var additionalProperties: AdditionalProperties?
        var oneOf: [Schema]?
        var minimum: Double?
        var exclusiveMinimum: Double?
        var maximum: Double?
        var maxItems: Int?
        var pattern: String?
        var defaultValue: Value?
        var examples: [Value]?
        /// The media type of a string's content (a multipart part: `text/csv`).
        var contentMediaType: String?

        init(
            type: [Kind] = [], description: String? = nil, allowedValues: [Value]? = nil, properties: [String: Schema]? = nil, required: [String]? = nil,
            items: Schema? = nil, additionalProperties: AdditionalProperties? = nil, oneOf: [Schema]? = nil, minimum: Double? = nil,
            exclusiveMinimum: Double? = nil, maximum: Double? = nil, maxItems: Int? = nil, pattern: String? = nil, defaultValue: Value? = nil,
            examples: [Value]? = nil, contentMediaType: String? = nil
        ) {
            self.type = type
            self.description = description
            self.allowedValues = allowedValues
            self.properties = properties
            self.required = required
            self.additionalProperties = additionalProperties
            self.oneOf = oneOf
            self.minimum = minimum
            self.exclusiveMinimum = exclusiveMinimum
            self.maximum = maximum
            self.maxItems = maxItems
            self.pattern = pattern
            self.defaultValue = defaultValue
            self.examples = examples
            self.contentMediaType = contentMediaType
            self.items = items
        }

        /// A reference to the component schema `name`.
        static func ref(_ name: String) -> Schema {
            var schema = Schema()
            schema.ref = "#/components/schemas/\(name)"
            return schema
        }

        /// The component a reference names (its last path segment); nil for any other schema.
        var referencedName: String? {
            ref.map { String($0.split(separator: "/").last ?? "") }
        }

        private enum CodingKeys: String, CodingKey {
            case ref = "$ref", type, description, allowedValues = "enum", properties, required, items, additionalProperties, oneOf
            case minimum, exclusiveMinimum, maximum, maxItems, pattern, defaultValue = "default", examples, contentMediaType
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encodeIfPresent(ref, forKey: .ref)
            if type.count == 1 {
                try container.encode(type[0], forKey: .type)
            } else if !type.isEmpty {
                try container.encode(type, forKey: .type)
            }
            try container.encodeIfPresent(description, forKey: .description)
            try container.encodeIfPresent(allowedValues, forKey: .allowedValues)
            try container.encodeIfPresent(properties, forKey: .properties)
            try container.encodeIfPresent(required, forKey: .required)
            try container.encodeIfPresent(items, forKey: .items)
            try container.encodeIfPresent(additionalProperties, forKey: .additionalProperties)
            try container.encodeIfPresent(oneOf, forKey: .oneOf)
            try container.encodeIfPresent(minimum, forKey: .minimum)
            try container.encodeIfPresent(exclusiveMinimum, forKey: .exclusiveMinimum)
            try container.encodeIfPresent(maximum, forKey: .maximum)
            try container.encodeIfPresent(maxItems, forKey: .maxItems)
            try container.encodeIfPresent(pattern, forKey: .pattern)
            try container.encodeIfPresent(defaultValue, forKey: .defaultValue)
            try container.encodeIfPresent(examples, forKey: .examples)
            try container.encodeIfPresent(contentMediaType, forKey: .contentMediaType)
        }
    }
}
