import LoanRiskCore

/// Reading a `JSONValue` the way a CSV cell is read.
extension JSONValue {
    /// A scalar as a cell's text, as a CSV would give it: numbers exactly as written, strings
    /// as they are, `null` as the empty (missing) cell, booleans as 1 / 0; nil for arrays and
    /// objects, which no cell can hold. (`JSONReader.flatApplicants` reads scalars the same way.)
    var cellText: String? {
        switch self {
        case .null: return ""
        case .string(let s): return s
        case .number(let n): return n
        case .bool(let b): return b ? "1" : "0"
        case .object, .array: return nil
        }
    }
}
