import HTTPTypes
import LoanRiskCore

extension HTTPFields {
    /// The first value of the field `name`, or nil. For single-valued fields (Content-Type,
    /// Content-Length, Expect) on every request: `self[name]` joins all values into a new string,
    /// 1 % of the server's time for one applicant per request (bench/README.md).
    func firstValue(_ name: HTTPField.Name) -> String? {
        first { $0.name == name }?.value
    }
}
