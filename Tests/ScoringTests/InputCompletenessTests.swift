import Foundation
import Scoring
import Testing

/// Key inputs and the most-inputs rule (`InputCompleteness`) on the shipped bundles: an empty
/// application is never scored, an applicant missing a key input is never approved
/// automatically, and the score itself stays the model's.
@Suite struct InputCompletenessTests {
    static func bundle(_ name: String) throws -> ModelBundle {
        try ModelBundle(directory: BundledModelTests.models.appendingPathComponent(name))
    }

    /// The shipped sample's applicants of `name`, as text cells keyed by column.
    static func sample(_ name: String) throws -> [[String: String]] {
        let file = BundledModelTests.models.deletingLastPathComponent().appendingPathComponent("samples/\(name)-sample.csv")
        let (header, rows) = try Fixtures.readCSV(file)
        return rows.map { Dictionary(uniqueKeysWithValues: zip(header, $0)) }
    }

    @Test(arguments: BundledModelTests.names)
    func anEmptyApplicationIsNotScored(_ name: String) throws {
        let bundle = try Self.bundle(name)
        let columns = bundle.schema.requiredColumns
        let blanks = Dictionary(uniqueKeysWithValues: columns.map { ($0, "") })
        let nas = Dictionary(uniqueKeysWithValues: columns.map { ($0, "NA") })
        for outcome in BatchScorer(bundle: bundle).score(applicants: [[:], blanks, nas]) {
            #expect(!outcome.isValid)
            #expect(outcome.decision == nil)
            #expect(outcome.status == "error: Too few inputs to score: none of the \(columns.count) inputs has a usable value; at least \((columns.count + 1) / 2) are needed.")
        }
        // The model alone (what LightGBM does) would have scored it.
        #expect(BatchScorer(bundle: bundle).modelOnly().score(applicants: [[:]])[0].isValid)
    }

    @Test(arguments: BundledModelTests.names)
    func halfTheInputsAreEnoughToScore(_ name: String) throws {
        let bundle = try Self.bundle(name)
        let columns = bundle.schema.requiredColumns
        let needed = bundle.completeness.minimumProvided
        let complete = try #require(Self.sample(name).first { applicant in columns.allSatisfy { !MissingValue.isMissing(applicant[$0] ?? "") } })
        // The key inputs first, then the others in schema order.
        let order = bundle.completeness.keyInputs.map { columns[$0] } + columns.filter { column in
            !bundle.completeness.keyInputs.contains { columns[$0] == column }
        }
        let enough = Dictionary(uniqueKeysWithValues: order.prefix(needed).map { ($0, complete[$0] ?? "") })
        let tooFew = Dictionary(uniqueKeysWithValues: order.prefix(needed - 1).map { ($0, complete[$0] ?? "") })
        let outcomes = BatchScorer(bundle: bundle).score(applicants: [enough, tooFew])
        #expect(outcomes[0].isValid, "\(needed) of \(columns.count): \(outcomes[0].status)")
        #expect(outcomes[1].status.hasPrefix("error: Too few inputs to score: \(needed - 1) of the \(columns.count) inputs have a usable value ("))
    }

    @Test func aMissingKeyInputHoldsAnApprovalForReviewAndSaysWhy() throws {
        let bundle = try Self.bundle("lending-club")
        let scorer = BatchScorer(bundle: bundle)
        let approved = try #require(Self.sample("lending-club").first { scorer.score(applicants: [$0])[0].decision == .approve })
        var applicant = approved
        applicant["int_rate"] = ""
        let outcome = scorer.score(applicants: [applicant], explain: ExplainOptions(reasons: 4))[0]
        let p = try #require(outcome.probability)
        // Still scored as the model scores it — and the model finds it *safer* without the rate.
        #expect(p == scorer.modelOnly().score(applicants: [applicant])[0].probability)
        #expect(bundle.policy.decide(probability: p) == .approve)
        #expect(outcome.decision == .review)
        #expect(bundle.policy.wasHeld(probability: p, decision: .review))
        let issue = try #require(outcome.issues.first { $0.kind == .missingKeyInput })
        #expect(issue.column == "int_rate" && issue.severity == .warning)
        #expect(issue.message == "'int_rate' was not provided: an applicant without it is never approved automatically.")
        #expect(issue.message(in: bundle.schema) == "Interest rate (int_rate) was not provided: an applicant without it is never approved automatically.")
        #expect(outcome.status.hasPrefix("warning: 'int_rate' was not provided"))
        // The reason for the missing rate says it was not provided, not that it was unrecognised.
        #expect(outcome.explanation?.reasons.allSatisfy { !$0.text.contains("not recognised") } == true)
    }

    @Test func anUnusableKeyInputHoldsToo() throws {
        let bundle = try Self.bundle("lending-club")
        let scorer = BatchScorer(bundle: bundle)
        var applicant = try #require(Self.sample("lending-club").first { scorer.score(applicants: [$0])[0].decision == .approve })
        applicant["sub_grade"] = "Z9"
        let outcome = scorer.score(applicants: [applicant])[0]
        #expect(outcome.decision == .review)
        #expect(outcome.issues.contains { $0.kind == .unseenCategory && $0.column == "sub_grade" })
        let held = try #require(outcome.issues.first { $0.kind == .missingKeyInput })
        #expect(held.message == "'sub_grade' has no usable value ('Z9'): an applicant without it is never approved automatically.")
    }

    @Test func aDeclineStaysADeclineAndAReviewAReview() throws {
        let bundle = try Self.bundle("lending-club")
        let scorer = BatchScorer(bundle: bundle)
        for decision in [Decision.review, .decline] {
            guard var applicant = try Self.sample("lending-club").first(where: { scorer.score(applicants: [$0])[0].decision == decision }) else { continue }
            applicant["annual_inc"] = "NA"
            let outcome = scorer.score(applicants: [applicant])[0]
            #expect(outcome.issues.contains { $0.kind == .missingKeyInput && $0.column == "annual_inc" })
            if outcome.probability.map({ $0 >= bundle.policy.declineAtOrAbove }) == true {
                #expect(outcome.decision == .decline)
            } else {
                #expect(outcome.decision == .review)
            }
        }
    }

    @Test func everyShippedBundleNamesItsKeyInputs() throws {
        for name in BundledModelTests.names {
            let bundle = try Self.bundle(name)
            #expect(!bundle.completeness.keyInputs.isEmpty, "\(name) names no key inputs")
        }
    }

    @Test func anUnknownKeyInputIsRefusedAtLoad() throws {
        let dir = try ModelBundleTests().makeBundle { manifest in
            manifest["policy"] = ["approve_below": 0.2, "decline_at_or_above": 0.6, "key_inputs": ["interest_rate"]]
        }
        #expect {
            try ModelBundle(location: dir)
        } throws: { error in
            (error as? BundleLoadError)?.message.contains("key_inputs names 'interest_rate', which is not one of the model's inputs") == true
        }
    }
}
