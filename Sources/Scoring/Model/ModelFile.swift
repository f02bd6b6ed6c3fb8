import Foundation

/// Recognises a model file by its content, whatever its name, and reads it as its kind:
/// a LightGBM text model, an XGBoost JSON or UBJSON model, or one of LoanRisk's own JSON
/// documents (a scikit-learn export, a points scorecard) named by their `"format"` key.
/// Never a pickle: a file that is not one of these is refused with what it looks like.
public enum ModelFile {
    /// The kind `data` holds, or nil when it is none LoanRisk reads.
    public static func kind(of data: Data) -> ModelKind? {
        guard let first = data.first(where: { !Self.isSpace($0) }) else { return nil }
        if first == UInt8(ascii: "{") {
            if XGBoostModel.isUBJSON(data) { return .xgboost }
            return Self.jsonKind(data)
        }
        if data.starts(with: Array("tree".utf8)) { return .lightgbm }
        return nil
    }

    /// Reads `data` as the model it holds; `source` names it in messages.
    public static func load(_ data: Data, source: String) throws(BundleLoadError) -> any ScoringModel {
        guard let kind = kind(of: data) else {
            throw BundleLoadError("\(source) is not a model LoanRisk reads: \(Self.describe(data)). "
                + "It reads LightGBM text models (model.txt), XGBoost JSON or UBJSON models (Booster.save_model), "
                + "scikit-learn models exported by training/export_sklearn.py and scorecards exported by training/export_scorecard.py.")
        }
        do {
            switch kind {
            case .lightgbm: return try LightGBMModel(text: String(decoding: data, as: UTF8.self))
            case .scorecard: return try ScorecardModel(data: data)
            case .sklearn: return try SklearnModel(data: data)
            case .xgboost: return try XGBoostModel(data: data)
            }
        } catch {
            throw BundleLoadError("\(source): \(error)")
        }
    }

    /// The name a bundle folder gives a model file of `kind`.
    public static func fileName(for kind: ModelKind, data: Data) -> String {
        switch kind {
        case .lightgbm: "model.txt"
        case .xgboost: XGBoostModel.isUBJSON(data) ? "model.ubj" : "model.json"
        case .sklearn: "model.sklearn.json"
        case .scorecard: "model.scorecard.json"
        }
    }

    /// The file names a bundle folder's model may have, in the order they are looked for.
    public static let bundleFileNames = ["model.txt", "model.json", "model.ubj", "model.sklearn.json", "model.scorecard.json"]

    /// Reads the top level of a JSON document: XGBoost has `learner`; LoanRisk's have `format`.
    /// Their writers put that key first, so the opening bytes usually say; only a document
    /// whose keys were reordered is parsed whole (an XGBoost model runs to megabytes).
    private static func jsonKind(_ data: Data) -> ModelKind? {
        let opening = String(decoding: data.prefix(256), as: UTF8.self).filter { !$0.isWhitespace }
        if opening.hasPrefix(#"{"learner":"#) { return .xgboost }
        if opening.hasPrefix(#"{"format":"loanrisk-sklearn""#) { return .sklearn }
        if opening.hasPrefix(#"{"format":"loanrisk-scorecard""#) { return .scorecard }
        struct Probe: Decodable {
            let learner: Ignored?
            let format: String?
        }
        struct Ignored: Decodable {
            init(from decoder: any Decoder) throws {}
        }
        guard let probe = try? JSONDecoder().decode(Probe.self, from: data) else { return nil }
        if probe.learner != nil { return .xgboost }
        switch probe.format {
        case "loanrisk-sklearn": return .sklearn
        case "loanrisk-scorecard": return .scorecard
        default: return nil
        }
    }

    private static func describe(_ data: Data) -> String {
        if data.starts(with: [0x80]) { return "it looks like a Python pickle, which LoanRisk never loads (a pickle runs code)" }
        if data.starts(with: Array("PK".utf8)) { return "it is a zip archive (a skops file? export it with training/export_sklearn.py)" }
        if data.starts(with: Array("{".utf8)) { return "it is JSON without XGBoost's `learner` or a LoanRisk `format` key" }
        return "it is neither a LightGBM text model nor JSON"
    }

    private static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09
    }
}
