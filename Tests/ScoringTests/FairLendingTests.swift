import Foundation
import Scoring
import Testing

/// What makes the shipped bundles usable by a lender: no prohibited basis among the model's
/// inputs (and a refusal to load a bundle whose model reads one), a warning on bare models
/// whose inputs look like one, monotone constraints that hold, and reasons above the floor
/// that never blame a value on the side the model treats as safer.
@Suite struct FairLendingTests {
    static func bundle(_ name: String) throws -> ModelBundle {
        try ModelBundle(directory: BundledModelTests.models.appendingPathComponent(name))
    }

    static func files(_ name: String) throws -> (model: Data, manifest: [String: Any]) {
        let directory = BundledModelTests.models.appendingPathComponent(name)
        let model = try Data(contentsOf: directory.appendingPathComponent("model.txt"))
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: directory.appendingPathComponent("bundle.json")))
        return (model, try #require(json as? [String: Any]))
    }

    /// Every golden row of a bundle, encoded as the model's features.
    static func goldenRows(_ bundle: ModelBundle, _ name: String) throws -> (matrix: FeatureMatrix, issues: [[FieldIssue]]) {
        let (header, records) = try Fixtures.readRecords(BundledModelTests.models.appendingPathComponent(name).appendingPathComponent("golden.csv"))
        let mapping = try ColumnMapping(header: header, schema: bundle.schema)
        return BatchScorer(bundle: bundle).encode(rowCount: records.count) { row, feature, body in
            records[row].withFieldBytes(mapping.featureColumns[feature], body)
        }
    }

    @Test(arguments: [("german-credit", ["personal_status_and_sex", "foreign_worker"]), ("credit-data", ["Marital"])])
    func protectedColumnsAreRecordedAndNeitherUsedNorAskedFor(_ name: String, _ protected: [String]) throws {
        let bundle = try Self.bundle(name)
        #expect(bundle.manifest?.protectedInputs?.map(\.name) == protected)
        #expect(Set(bundle.model.featureNames).isDisjoint(with: protected))
        #expect(Set(bundle.schema.requiredColumns).isDisjoint(with: protected))
        #expect(bundle.warnings.isEmpty)
    }

    @Test(arguments: BundledModelTests.names)
    func aBundleWhoseModelReadsAProtectedColumnIsRefused(_ name: String) throws {
        let (model, original) = try Self.files(name)
        var manifest = original
        let used = try #require((manifest["model_features"] as? [String])?.first)
        manifest["protected_inputs"] = [["name": used, "basis": "national origin"]]
        let data = try JSONSerialization.data(withJSONObject: manifest)
        #expect {
            _ = try ModelBundle(modelData: model, manifestData: data)
        } throws: { error in
            let message = (error as? BundleLoadError)?.message ?? ""
            return message.contains("'\(used)' protected (national origin") && message.contains("the model uses it")
        }
    }

    @Test func aBareModelWithAProhibitedBasisAmongItsInputsLoadsWithAWarning() throws {
        let (model, _) = try Self.files("lending-club")
        let text = String(decoding: model, as: UTF8.self)
            .replacingOccurrences(of: "feature_names=funded_amnt int_rate verification_status annual_inc ",
                                  with: "feature_names=funded_amnt int_rate verification_status applicantSex ")
        let bare = try ModelBundle(bareModelData: Data(text.utf8), name: "renamed")
        #expect(bare.model.featureNames.contains("applicantSex"))
        #expect(bare.warnings.count == 1)
        #expect(bare.warnings.first?.contains("'applicantSex' looks like a prohibited basis of a credit decision (sex") == true)
        let original = try ModelBundle(bareModelData: model, name: "plain")
        #expect(original.warnings.isEmpty)
    }

    @Test func columnNamesAreMatchedByWholeWords() {
        #expect(ProhibitedBasis.basis(ofColumn: "personal_status_and_sex") == "sex")
        #expect(ProhibitedBasis.basis(ofColumn: "ForeignWorker") == "national origin")
        #expect(ProhibitedBasis.basis(ofColumn: "Marital") == "marital status")
        #expect(ProhibitedBasis.basis(ofColumn: "applicant_national_origin") == "national origin")
        #expect(ProhibitedBasis.basis(ofColumn: "RACE") == "race")
        #expect(ProhibitedBasis.basis(ofColumn: "trace_count") == nil)
        #expect(ProhibitedBasis.basis(ofColumn: "annual_inc") == nil)
        #expect(ProhibitedBasis.basis(ofColumn: "origination_channel") == nil)
    }

    /// For every golden row and every constrained model feature, the probability at every
    /// split threshold of that feature (each side of it) and at the ends of its training range:
    /// the model is piecewise constant between thresholds, so this covers the whole range.
    @Test(arguments: BundledModelTests.names)
    func constrainedInputsNeverMoveTheRiskTheWrongWay(_ name: String) throws {
        let bundle = try Self.bundle(name)
        let constraints = try #require(bundle.manifest?.monotoneConstraints)
        #expect(!constraints.isEmpty)
        let (rows, _) = try Self.goldenRows(bundle, name)
        let specs = Dictionary(bundle.schema.features.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        var walked = 0
        for (feature, direction) in constraints.sorted(by: { $0.key < $1.key }) {
            let j = try #require(bundle.model.featureNames.firstIndex(of: feature))
            var points = Set<Double>()
            for tree in bundle.lightGBM.trees {
                for (node, split) in tree.splitFeatures.enumerated() where split == j {
                    points.insert(tree.thresholds[node])
                    points.insert(tree.thresholds[node].nextUp)
                }
            }
            let column = (0..<rows.rowCount).map { rows[$0, j] }.filter { !$0.isNaN }
            for end in [specs[feature]?.minimum, specs[feature]?.maximum, column.min(), column.max()] {
                if let end { points.insert(end) }
            }
            let grid = points.sorted()
            var probe = FeatureMatrix(featureCount: bundle.model.featureCount)
            for row in 0..<rows.rowCount {
                var values = Array(rows.row(row))
                for x in grid {
                    values[j] = x
                    probe.appendRow(values)
                }
            }
            let p = bundle.model.probabilities(probe, threads: 2)
            var wrong = 0
            for row in 0..<rows.rowCount {
                let walk = p[row * grid.count..<(row + 1) * grid.count]
                for (a, b) in zip(walk, walk.dropFirst()) where direction > 0 ? b < a : b > a { wrong += 1 }
            }
            #expect(wrong == 0, "\(name): \(feature) (\(direction > 0 ? "+1" : "-1")) moves the risk the wrong way \(wrong) times")
            if grid.count > 2 { walked += 1 }
        }
        // A constrained feature the model never splits on is trivially monotone; most are not.
        #expect(walked * 2 > constraints.count, "\(name): only \(walked) of \(constraints.count) constrained features are split on")
    }

    @Test(arguments: BundledModelTests.names)
    func reasonsAreAboveTheFloorAndNeverBlameTheSaferSide(_ name: String) throws {
        let bundle = try Self.bundle(name)
        #expect(bundle.reasonWriter.floor == (bundle.manifest?.policy.reasonFloor ?? ReasonWriter.defaultFloor))
        #expect(bundle.reasonWriter.floor == 0.02)
        let (rows, issues) = try Self.goldenRows(bundle, name)
        let explanations = BatchScorer(bundle: bundle).explain(
            rows, issues: issues, options: ExplainOptions(reasons: 8, contributions: true), threads: 2)
        let constraints = bundle.manifest?.monotoneConstraints ?? [:]
        var given = 0
        var belowFloor = 0
        for explanation in explanations.compactMap({ $0 }) {
            let smallest = explanation.contributions.filter { $0 > 0 && $0 < 0.02 }
            belowFloor += smallest.count
            for reason in explanation.reasons {
                given += 1
                #expect(reason.contribution >= 0.02, "\(name): \(reason.text)")
                // "Annual income of $80,000 raised the estimated risk" is what a constrained feature never says
                // (missing values still do: "… was not provided, which raised the estimated risk").
                let blamesTheValue = reason.kind == .value && reason.text.hasSuffix(" raised the estimated risk") && !reason.text.contains(", which ")
                #expect(!blamesTheValue || constraints[reason.feature] == nil, "\(reason.text)")
                if constraints[reason.feature] == -1 { #expect(!reason.text.contains(" is high: "), "\(reason.text)") }
                if constraints[reason.feature] == 1 { #expect(!reason.text.contains(" is low: "), "\(reason.text)") }
            }
        }
        #expect(given > 0)
        // The floor bites: some positive contributions are too small to be reasons.
        #expect(belowFloor > 0)
    }
}
