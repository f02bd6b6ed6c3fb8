import Foundation
import LoanRiskCore

extension ModelCardData {
    /// The parts of bundle.json the card quotes. Each is read on its own and dropped when it
    /// is absent or not of the expected shape, so one odd entry hides only its own part.
    struct File: Decodable {
        var metrics: Metrics?
        var policy: Policy?
        var provenance: Provenance?
        var created: String?

        struct Metrics: Decodable {
            var mean: [String: Double]?
            var std: [String: Double]?
            var cv: CrossValidation?
            var comparison: [Comparison]?
            var roc: [RocPoint]?
            var reliability: [ReliabilityBin]?
            var missingInputs: [MissingInput]?
            /// `metrics.sample`: what `loanrisk bundle init --target` measured on the sample.
            var sample: [String: Double]?
            var sampleNote: String?

            init(from decoder: any Decoder) throws {
                let c = try decoder.container(keyedBy: Key.self)
                mean = c.lenient("mean")
                std = c.lenient("std")
                cv = c.lenient("cv")
                comparison = c.lenient("comparison")
                roc = c.lenient("roc")
                reliability = c.lenient("reliability")
                missingInputs = c.lenient("missing_inputs")
                let sample: SampleMetrics? = c.lenient("sample")
                self.sample = sample?.values
                sampleNote = sample?.note
            }
        }

        /// `metrics.sample`: the figures, and the note saying what they were measured on.
        struct SampleMetrics: Decodable {
            var values: [String: Double] = [:]
            var note: String?

            init(from decoder: any Decoder) throws {
                let c = try decoder.container(keyedBy: Key.self)
                for key in c.allKeys {
                    if let value = try? c.decode(Double.self, forKey: key) { values[key.stringValue] = value }
                }
                note = c.lenient("note")
            }
        }

        /// `metrics.missing_inputs`: what a missing value does to the risk against a typical one.
        struct MissingInput: Decodable {
            var input: String
            var phrase: String?
            var key: Bool?
            var typical: String?
            var missingVsTypicalLogOdds: Double
            var missingLowersRiskShare: Double?
            var flag: String?
            enum CodingKeys: String, CodingKey {
                case input, phrase, key, typical, flag
                case missingVsTypicalLogOdds = "missing_vs_typical_log_odds", missingLowersRiskShare = "missing_lowers_risk_share"
            }
        }

        struct CrossValidation: Decodable {
            var repeats: Int?
            var folds: Int?
        }

        struct Comparison: Decodable {
            var algorithm: String?
            var rocAuc: Double?
            var brier: Double?
            var ece: Double?
            enum CodingKeys: String, CodingKey { case algorithm, rocAuc = "roc_auc", brier, ece }
        }

        struct RocPoint: Decodable {
            var fpr: Double?
            var tpr: Double?
        }

        struct ReliabilityBin: Decodable {
            var meanPredicted: Double?
            var observedRate: Double?
            enum CodingKeys: String, CodingKey { case meanPredicted = "mean_predicted", observedRate = "observed_rate" }
        }

        struct Policy: Decodable {
            var approvalRate: Double?
            var reviewRate: Double?
            var badRateAmongApproved: Double?
            var recallOfDefaulters: Double?
            var costs: Costs?
            enum CodingKeys: String, CodingKey {
                case approvalRate = "approval_rate", reviewRate = "review_rate", badRateAmongApproved = "bad_rate_among_approved"
                case recallOfDefaulters = "recall_of_defaulters", costs
            }
        }

        struct Costs: Decodable {
            var basis: String?
        }

        struct Provenance: Decodable {
            var datasetFile: String?
            var rows: Int?
            var lightgbmVersion: String?
            var modelSha256: String?
            enum CodingKeys: String, CodingKey {
                case datasetFile = "dataset_file", rows, lightgbmVersion = "lightgbm_version", modelSha256 = "model_sha256"
            }
        }

        init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: Key.self)
            metrics = c.lenient("metrics")
            policy = c.lenient("policy")
            provenance = c.lenient("provenance")
            created = c.lenient("created")
        }
    }

    /// Any key of bundle.json.
    struct Key: CodingKey {
        let stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }
}

extension KeyedDecodingContainer where Key == ModelCardData.Key {
    /// The value at `key`, or nil when it is absent, null or of another shape.
    func lenient<T: Decodable>(_ key: String) -> T? {
        (try? decodeIfPresent(T.self, forKey: Key(stringValue: key))) ?? nil
    }
}
