import Foundation
import LoanRiskCore
import LoanRiskStorage

/// The model card's evidence, read from `bundle.json` as the training pipeline wrote it:
/// cross-validated metrics, the algorithm comparison, ROC and reliability points, the policy's
/// expected effect, and provenance. Keys that are absent are simply not shown.
struct ModelCardData {
    let values: [String: Any]

    /// `data`: the bundle's `bundle.json`.
    init?(bundleJSON data: Data) {
        guard let json = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { return nil }
        var values: [String: Any] = [:]
        let metrics = json["metrics"] as? [String: Any] ?? [:]
        let mean = metrics["mean"] as? [String: Any] ?? [:]
        let std = metrics["std"] as? [String: Any] ?? [:]
        values["metrics"] = [("roc_auc", "ROC-AUC"), ("gini", "Gini"), ("ks", "KS"), ("brier", "Brier score"), ("ece", "Expected calibration error")]
            .compactMap { key, label -> [String: Any]? in
                guard let m = Self.double(mean[key]) else { return nil }
                return ["label": label, "mean": String(format: "%.3f", m), "std": Self.double(std[key]).map { String(format: "± %.3f", $0) } ?? ""]
            }
        if let cv = metrics["cv"] as? [String: Any] {
            values["cv"] = "\(cv["repeats"] ?? 1) × \(cv["folds"] ?? 5)-fold stratified cross-validation"
        }
        values["comparison"] = (metrics["comparison"] as? [[String: Any]] ?? []).map { row -> [String: Any] in
            ["algorithm": (row["algorithm"] as? String ?? "").replacingOccurrences(of: "_", with: " "),
             "auc": Self.fixed(row["roc_auc"]), "brier": Self.fixed(row["brier"]), "ece": Self.fixed(row["ece"])]
        }
        let roc = (metrics["roc"] as? [[String: Any]] ?? []).compactMap { p -> (Double, Double)? in
            guard let x = Self.double(p["fpr"]), let y = Self.double(p["tpr"]) else { return nil }
            return (x, y)
        }
        if !roc.isEmpty {
            values["rocSVG"] = Charts.curve(roc, label: "ROC curve", xLabel: "False positive rate", yLabel: "True positive rate")
        }
        let reliability = (metrics["reliability"] as? [[String: Any]] ?? []).compactMap { p -> (Double, Double)? in
            guard let x = Self.double(p["mean_predicted"]), let y = Self.double(p["observed_rate"]) else { return nil }
            return (x, y)
        }
        if !reliability.isEmpty {
            let top = max(0.05, (reliability.map { max($0.0, $0.1) }.max() ?? 1) * 1.1)
            values["reliabilitySVG"] = Charts.curve(reliability.map { ($0.0 / top, $0.1 / top) }, label: "Reliability plot",
                                                    xLabel: "Predicted (0–\(Int(top * 100)) %)", yLabel: "Observed (0–\(Int(top * 100)) %)")
        }
        if let policy = json["policy"] as? [String: Any] {
            values["policy"] = [
                "approvalRate": Self.percent(policy["approval_rate"]), "reviewRate": Self.percent(policy["review_rate"]),
                "badRateApproved": Self.percent(policy["bad_rate_among_approved"]), "recall": Self.percent(policy["recall_of_defaulters"]),
                "costs": (policy["costs"] as? [String: Any])?["basis"] as? String ?? "",
            ]
        }
        if let provenance = json["provenance"] as? [String: Any] {
            values["provenance"] = [
                "dataset": provenance["dataset_file"] as? String ?? "", "rows": provenance["rows"].map { "\($0)" } ?? "",
                "lightgbm": provenance["lightgbm_version"] as? String ?? "", "sha256": provenance["model_sha256"] as? String ?? "",
            ]
        }
        values["created"] = json["created"] as? String ?? ""
        self.values = values
    }

    private static func double(_ value: Any?) -> Double? {
        (value as? NSNumber)?.doubleValue
    }

    private static func fixed(_ value: Any?) -> String {
        double(value).map { String(format: "%.3f", $0) } ?? "—"
    }

    private static func percent(_ value: Any?) -> String {
        double(value).map { String(format: "%.1f %%", $0 * 100) } ?? "—"
    }
}
