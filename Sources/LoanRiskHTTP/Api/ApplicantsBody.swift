import LoanRiskCore

/// A predict request's JSON body: one applicant object, or `{"applicants": [...]}`.
struct ApplicantsBody {
    var applicants: [ApplicantFields]
    /// One applicant object (answered with one result) rather than a list.
    var single: Bool

    /// Why a body is not one of the two shapes.
    enum Problem: Error {
        case syntax(JSONSyntaxError)
        case applicantsNotAnArray
        case notAnObject
    }

    /// Reads `bytes`: the usual body (every field a scalar) straight into cells, any other
    /// through the JSON tree, which also says what is wrong with a body that is not JSON.
    static func read(_ bytes: [UInt8], fieldsHint: Int) throws(Problem) -> ApplicantsBody {
        if let flat = JSONReader.flatApplicants(bytes, fieldsHint: fieldsHint) {
            return ApplicantsBody(applicants: flat.applicants, single: flat.single)
        }
        let json: JSONValue
        do {
            json = try JSONReader.parse(bytes)
        } catch {
            throw .syntax(error)
        }
        guard case .object(let object) = json else { throw .notAnObject }
        guard let list = object["applicants"] else { return ApplicantsBody(applicants: [ApplicantFields(json)], single: true) }
        guard case .array(let elements) = list else { throw .applicantsNotAnArray }
        return ApplicantsBody(applicants: elements.map(ApplicantFields.init), single: false)
    }
}
