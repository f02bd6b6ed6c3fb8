import Foundation

/// What LoanRisk reads from an XGBoost model document (`Booster.save_model`, JSON or
/// UBJSON, xgboost 2.x and 3.x), checked: anything it cannot score exactly is refused here.
struct XGBoostDocument: Sendable {
    enum Objective: String, Sendable {
        case logistic = "binary:logistic"
        case logitraw = "binary:logitraw"
    }

    let featureNames: [String]
    /// XGBoost's feature types: "float", "q", "int", "i" or "c" (categorical).
    let featureTypes: [String]
    let objective: Objective
    /// `base_score` as stored (a probability for binary:logistic, the margin for logitraw).
    let baseScore: Float
    let trees: [XGBoostTreeRecord]
    /// DART's per-tree weights (nil for gbtree).
    let treeWeights: [Float]?
    /// Trees before each boosting round: round r owns trees `indptr[r]..<indptr[r+1]`.
    let iterationIndptr: [Int]
    /// `attributes.best_iteration`, written by early stopping.
    let bestIteration: Int?
    /// The training categories (3.1+ `cats`) of each categorical feature, in code order.
    let categories: [Int: [String]]
    /// The xgboost version that saved the model ("3.2.0"), when recorded.
    let version: String?

    init(_ root: XGBoostValue) throws(ModelLoadError) {
        guard let learner = root["learner"] else {
            throw ModelLoadError("The file is not an XGBoost model: it has no 'learner' object.")
        }
        version = root["version"]?.integerArray?.map(String.init).joined(separator: ".")
        let parameters = learner["learner_model_param"]
        if let classes = parameters?["num_class"]?.integer, classes > 1 {
            throw ModelLoadError("XGBoost multi-class models (num_class \(classes)) are not supported: LoanRisk serves binary classifiers (binary:logistic or binary:logitraw).")
        }
        if let targets = parameters?["num_target"]?.integer, targets > 1 {
            throw ModelLoadError("XGBoost multi-target models (num_target \(targets)) are not supported: LoanRisk serves binary classifiers with one output.")
        }
        let objectiveName = learner["objective"]?["name"]?.string ?? "(none)"
        guard let objective = Objective(rawValue: objectiveName) else {
            throw ModelLoadError("XGBoost objective '\(objectiveName)' is not supported: LoanRisk serves binary classifiers (binary:logistic or binary:logitraw).")
        }
        self.objective = objective

        guard let booster = learner["gradient_booster"], let boosterName = booster["name"]?.string else {
            throw ModelLoadError("The XGBoost model has no 'gradient_booster'.")
        }
        let model: XGBoostValue?
        var weights: XGBoostValue?
        switch boosterName {
        case "gbtree":
            model = booster["model"]
            weights = model?["weight_drop"]  // DART since 3.4: weights beside the trees
        case "dart":
            model = booster["gbtree"]?["model"]
            weights = booster["weight_drop"]
        case "gblinear":
            throw ModelLoadError("XGBoost gblinear (linear booster) models are not supported: LoanRisk serves tree models (booster gbtree or dart).")
        default:
            throw ModelLoadError("XGBoost booster '\(boosterName)' is not supported: LoanRisk serves gbtree and dart models.")
        }
        guard let model, let treeValues = model["trees"]?.array else {
            throw ModelLoadError("The XGBoost model has no trees under gradient_booster.")
        }
        var trees: [XGBoostTreeRecord] = []
        trees.reserveCapacity(treeValues.count)
        for (number, value) in treeValues.enumerated() { trees.append(try XGBoostTreeRecord(value, number: number)) }
        self.trees = trees
        if let weights {
            guard let values = weights.floatArray, values.count <= trees.count else {
                throw ModelLoadError("The XGBoost DART model's weight_drop is not an array of at most one weight a tree.")
            }
            // Trees added after the weights were recorded weigh 1 (XGBoost pads them so).
            treeWeights = values.isEmpty ? nil : values + [Float](repeating: 1, count: trees.count - values.count)
        } else {
            treeWeights = nil
        }
        iterationIndptr = model["iteration_indptr"]?.integerArray ?? Array(0...trees.count)
        guard iterationIndptr.first == 0, iterationIndptr.last == trees.count, zip(iterationIndptr, iterationIndptr.dropFirst()).allSatisfy({ $0 <= $1 }) else {
            throw ModelLoadError("The XGBoost model's iteration_indptr does not cover its \(trees.count) trees.")
        }
        bestIteration = learner["attributes"]?["best_iteration"]?.integer

        guard let names = learner["feature_names"]?.array?.compactMap(\.string), !names.isEmpty else {
            throw ModelLoadError(
                "The XGBoost model has no feature names, so its inputs cannot be matched to an applicant's fields. Train it on a pandas DataFrame, or name the features before saving: booster.feature_names = [\"income\", …] (for XGBClassifier: model.get_booster().feature_names = […]), then save_model again.")
        }
        featureNames = names
        let types = learner["feature_types"]?.array?.compactMap(\.string) ?? []
        featureTypes = types.count == names.count ? types : [String](repeating: "float", count: names.count)
        for tree in trees {
            if let beyond = tree.features.enumerated().first(where: { tree.left[$0.offset] >= 0 && $0.element >= names.count }) {
                throw ModelLoadError("An XGBoost tree splits on feature \(beyond.element), but the model names only \(names.count) features.")
            }
        }

        let stored = parameters?["base_score"]?.string ?? "0.5"
        // "5E-1" before 3.1, a bracketed vector "[5.2375E-2]" from 3.1.
        let inner = stored.trimmingCharacters(in: CharacterSet(charactersIn: "[] "))
        guard let base = Float(inner) else {
            throw ModelLoadError("The XGBoost model's base_score '\(stored)' is not one number.")
        }
        baseScore = base
        categories = try Self.categories(model["cats"], featureTypes: featureTypes)
    }

    /// 3.1+ `cats.enc`: per feature, either UTF-8 labels (`offsets` into `values` bytes) or
    /// numeric categories (`type` and `values`); features that are not categorical are empty.
    private static func categories(_ cats: XGBoostValue?, featureTypes: [String]) throws(ModelLoadError) -> [Int: [String]] {
        guard let columns = cats?["enc"]?.array, !columns.isEmpty else { return [:] }
        var result: [Int: [String]] = [:]
        for (feature, column) in columns.enumerated() where feature < featureTypes.count && featureTypes[feature] == "c" {
            if let offsets = column["offsets"]?.integerArray {
                guard let bytes = column["values"]?.integerArray else {
                    throw ModelLoadError("The XGBoost model's categories of feature \(feature) have no values.")
                }
                guard offsets.count >= 2 else { continue }
                var labels: [String] = []
                for k in 0..<(offsets.count - 1) {
                    let start = offsets[k]
                    let end = offsets[k + 1]
                    guard start >= 0, start <= end, end <= bytes.count else {
                        throw ModelLoadError("The XGBoost model's categories of feature \(feature) are malformed.")
                    }
                    labels.append(String(decoding: bytes[start..<end].map { UInt8(truncatingIfNeeded: $0) }, as: UTF8.self))
                }
                result[feature] = labels
            } else if let values = column["values"]?.array {
                result[feature] = values.map { value in
                    switch value {
                    case .number(let number): number.rounded(.towardZero) == number && abs(number) < 1e15 ? String(Int(number)) : String(number)
                    case .numberText(let text), .string(let text): text
                    default: ""
                    }
                }
            }
        }
        return result
    }
}
