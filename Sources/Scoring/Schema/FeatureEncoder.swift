import Foundation

/// Turns the text of one cell into the double the model sees, following the schema:
/// missing tokens become NaN, numbers are read strictly, categories become codes (named by
/// their code or by the words the form shows, in any case).
/// Problems come back as `FieldIssue`s; nothing here throws or stops the other rows.
public struct FeatureEncoder: Sendable {
    /// What reading a feature needs, so a valid cell never touches (and copies) its spec.
    private enum Reader: Sendable {
        case number(wholeOnly: Bool, minimum: Double, maximum: Double)
        /// Exact codes first (the usual case, one lookup); then any spelling, code or the
        /// form's words, in any case (`FeatureSpec.categoryLookup`); then codes that are numbers.
        case labels([String: Double], folded: [String: Double], numeric: [Double: Double])
        case codes(Set<Int>)
    }

    private let specs: [FeatureSpec]
    private let names: [String]
    private let readers: [Reader]
    /// How numbers write their fraction in the cells this encoder reads.
    public let decimalMark: DecimalMark

    public init(schema: FeatureSchema, decimalMark: DecimalMark = .point) {
        self.decimalMark = decimalMark
        specs = schema.features
        names = schema.features.map(\.name)
        readers = schema.features.map { spec in
            switch spec.kind {
            case .numeric: return .number(wholeOnly: false, minimum: spec.minimum ?? -.infinity, maximum: spec.maximum ?? .infinity)
            case .integer: return .number(wholeOnly: true, minimum: spec.minimum ?? -.infinity, maximum: spec.maximum ?? .infinity)
            case .categorical:
                let categories = spec.categories ?? []
                if spec.integerCodes == true {
                    return .codes(Set(categories.compactMap { Int($0) }))
                }
                var byLabel: [String: Double] = [:]
                var byNumber: [Double: Double] = [:]
                for (code, label) in categories.enumerated() {
                    byLabel[label] = Double(code)
                    if let number = Double(label) { byNumber[number] = Double(code) }
                }
                let folded = spec.categoryLookup().mapValues(Double.init)
                return .labels(byLabel, folded: folded, numeric: byNumber)
            }
        }
    }

    /// Reads cell `bytes` for feature `feature`. Returns the model value (NaN when missing)
    /// and, if there is one, the issue with it.
    public func encode(_ raw: UnsafeBufferPointer<UInt8>, feature: Int) -> (Double, FieldIssue?) {
        let bytes = ASCII.trimmed(raw)
        if MissingValue.isMissing(bytes) { return (.nan, nil) }
        switch readers[feature] {
        case .number(let wholeOnly, let minimum, let maximum):
            guard let value = DecimalNumber.parse(bytes, mark: decimalMark) else {
                let spec = specs[feature]
                return (.nan, issue(.error, spec, bytes, notANumberMessage(bytes, spec, wholeOnly: wholeOnly)))
            }
            if wholeOnly, value != value.rounded() {
                let spec = specs[feature]
                return (.nan, issue(.error, spec, bytes, "'\(spec.name)' must be a whole number, but is '\(text(bytes))'."))
            }
            if value < minimum { return (value, outOfRange(feature, bytes, .belowTraining(minimum))) }
            if value > maximum { return (value, outOfRange(feature, bytes, .aboveTraining(maximum))) }
            return (value, nil)
        case .labels(let byLabel, let folded, let byNumber):
            let label = text(bytes)
            if let code = byLabel[label] { return (code, nil) }
            if let code = folded[FeatureSpec.folded(label)] { return (code, nil) }
            if let number = DecimalNumber.parse(bytes, mark: decimalMark), let code = byNumber[number] { return (code, nil) }
            let spec = specs[feature]
            return (FeatureValue.unseenCategory, FieldIssue(severity: .warning, column: spec.name, value: label, detail: .unknownLabel(known: spec.categories ?? []), kind: .unseenCategory))
        case .codes(let known):
            let spec = specs[feature]
            guard let value = DecimalNumber.parse(bytes) else {
                return (.nan, issue(.error, spec, bytes, "'\(spec.name)' takes integer category codes, but is '\(text(bytes))'."))
            }
            if value == value.rounded(), abs(value) < 1e15, known.contains(Int(value)) { return (value, nil) }
            return (value, issue(.warning, spec, bytes, .unknownCode(known: spec.categories ?? []), kind: .unseenCategory))
        }
    }

    /// Convenience for a `String` cell (the JSON API, forms).
    public func encode(_ cell: String, feature: Int) -> (Double, FieldIssue?) {
        var cell = cell
        return cell.withUTF8 { encode($0, feature: feature) }
    }

    /// Only the column's name is read: on a file whose units changed this is most cells.
    private func outOfRange(_ feature: Int, _ bytes: UnsafeBufferPointer<UInt8>, _ detail: FieldIssue.Detail) -> FieldIssue {
        FieldIssue(severity: .warning, column: names[feature], value: text(bytes), detail: detail, kind: .outOfRange)
    }

    private func notANumberMessage(_ bytes: UnsafeBufferPointer<UInt8>, _ spec: FeatureSpec, wholeOnly: Bool) -> String {
        let value = text(bytes)
        let expected = wholeOnly ? "a whole number" : "a number"
        var message = "'\(spec.name)' must be \(expected), but is '\(value)'."
        if decimalMark == .comma {
            if value.contains(".") {
                message += " This file is read with decimal commas (as its other numbers are written): write 1234,5, without thousands separators."
            }
        } else if value.contains(",") {
            message += " Write numbers without thousands separators and with a decimal point, e.g. 1234.5."
        } else if value.contains("%") {
            message += " Leave out the % sign."
        }
        return message
    }

    private func issue(
        _ severity: FieldIssue.Severity, _ spec: FeatureSpec, _ bytes: UnsafeBufferPointer<UInt8>, _ message: String
    ) -> FieldIssue {
        FieldIssue(severity: severity, column: spec.name, value: text(bytes), message: message)
    }

    private func issue(
        _ severity: FieldIssue.Severity, _ spec: FeatureSpec, _ bytes: UnsafeBufferPointer<UInt8>, _ detail: FieldIssue.Detail, kind: FieldIssue.Kind
    ) -> FieldIssue {
        FieldIssue(severity: severity, column: spec.name, value: text(bytes), detail: detail, kind: kind)
    }

    private func text(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        String(decoding: bytes, as: UTF8.self)
    }
}
