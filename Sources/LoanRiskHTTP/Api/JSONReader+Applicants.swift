import LoanRiskCore

/// The usual predict body — one applicant object, or `{"applicants": [...]}` of them, every
/// field a scalar — read straight into each applicant's cell text, without the `JSONValue`
/// tree (a boxed value and a dictionary entry per field, then a second dictionary of cells
/// made from it: 5.8 % of the server's CPU on a one-applicant request).
///
/// Anything else — a syntax error, a nested value in an applicant, an element that is not an
/// object, `applicants` that is not an array or given twice — answers nil, and the caller
/// reads the body through `JSONReader.parse`, which says what is wrong exactly as before:
/// the same primitives read the same bytes, so the two agree on every body this one takes.
extension JSONReader {
    struct FlatApplicants {
        var applicants: [ApplicantFields]
        /// One applicant object rather than `{"applicants": [...]}`.
        var single: Bool
    }

    /// `fieldsHint`: how many fields an applicant usually has (the schema's columns), so each
    /// applicant's dictionary is made once at its size.
    static func flatApplicants(_ bytes: [UInt8], fieldsHint: Int) -> FlatApplicants? {
        var reader = JSONReader(bytes: bytes)
        do {
            return try reader.flatApplicants(fieldsHint: fieldsHint)
        } catch {
            return nil
        }
    }

    private mutating func flatApplicants(fieldsHint: Int) throws(JSONSyntaxError) -> FlatApplicants? {
        skipWhitespace()
        guard position < bytes.count, bytes[position] == UInt8(ascii: "{") else { return nil }
        var top: [String: String] = [:]
        top.reserveCapacity(fieldsHint)
        var list: [ApplicantFields]?
        var nestedAtTop = false
        let complete = try members { reader, key throws(JSONSyntaxError) in
            if key == "applicants" {
                guard list == nil, reader.position < reader.bytes.count, reader.bytes[reader.position] == UInt8(ascii: "[") else { return false }
                guard let applicants = try reader.flatArray(fieldsHint: fieldsHint) else { return false }
                list = applicants
            } else if let text = try reader.scalarText() {
                top[key] = text
            } else {
                _ = try reader.value()
                nestedAtTop = true
            }
            return true
        }
        guard complete else { return nil }
        skipWhitespace()
        guard position == bytes.count else { return nil }
        if let list { return FlatApplicants(applicants: list, single: false) }
        guard !nestedAtTop else { return nil }
        return FlatApplicants(applicants: [.object(scalars: top, nested: [])], single: true)
    }

    /// `[ {…}, {…} ]` of flat objects; nil at the first element that is not one.
    private mutating func flatArray(fieldsHint: Int) throws(JSONSyntaxError) -> [ApplicantFields]? {
        try nest()
        position += 1
        var elements: [ApplicantFields] = []
        skipWhitespace()
        if position < bytes.count, bytes[position] == UInt8(ascii: "]") {
            position += 1
            unnest()
            return elements
        }
        while true {
            skipWhitespace()
            guard position < bytes.count, bytes[position] == UInt8(ascii: "{") else { return nil }
            var scalars: [String: String] = [:]
            scalars.reserveCapacity(fieldsHint)
            let flat = try members { reader, key throws(JSONSyntaxError) in
                guard let text = try reader.scalarText() else { return false }
                scalars[key] = text
                return true
            }
            guard flat else { return nil }
            elements.append(.object(scalars: scalars, nested: []))
            skipWhitespace()
            guard position < bytes.count else { return nil }
            if bytes[position] == UInt8(ascii: ",") { position += 1; continue }
            guard bytes[position] == UInt8(ascii: "]") else { return nil }
            position += 1
            unnest()
            return elements
        }
    }

    /// The scalar at `position` as its cell text (`JSONValue.cellText`); nil (nothing read) for an
    /// array or an object.
    private mutating func scalarText() throws(JSONSyntaxError) -> String? {
        guard position < bytes.count else { throw error("the body ends where a value was expected") }
        switch bytes[position] {
        case UInt8(ascii: "{"), UInt8(ascii: "["): return nil
        case UInt8(ascii: "\""): return try string()
        case UInt8(ascii: "t"): try literal("true"); return "1"
        case UInt8(ascii: "f"): try literal("false"); return "0"
        case UInt8(ascii: "n"): try literal("null"); return ""
        default: return try number()
        }
    }
}
