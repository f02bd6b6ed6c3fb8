import Foundation
import Scoring
import Testing

/// What a scorecard document says about its inputs, and the documents refused with a message
/// naming the characteristic and the value.
@Suite struct ScorecardDocumentTests {
    /// The optbinning document, edited: `edit` gets the parsed JSON (tests may use untyped
    /// JSON to break a document in ways the typed records cannot).
    static func edited(_ edit: (inout [String: Any]) -> Void) throws -> Data {
        var json = try #require(JSONSerialization.jsonObject(with: ScorecardFixtures.document("optbinning")) as? [String: Any])
        edit(&json)
        return try JSONSerialization.data(withJSONObject: json)
    }

    static func editCharacteristic(_ name: String, _ edit: @escaping (inout [String: Any]) -> Void) throws -> Data {
        try edited { json in
            var list = json["characteristics"] as? [[String: Any]] ?? []
            if let i = list.firstIndex(where: { $0["name"] as? String == name }) { edit(&list[i]) }
            json["characteristics"] = list
        }
    }

    static func refusal(_ data: Data) -> String {
        do {
            _ = try ScorecardModel(data: data)
            return "loaded"
        } catch {
            return error.description
        }
    }

    @Test func exactEdgesAndCategoriesFromTheDocument() throws {
        let model = try ScorecardModel(data: ScorecardFixtures.document("optbinning"))
        #expect(model.kind == .scorecard)
        #expect(model.featureNames.first == "Seniority")
        let home = try #require(model.featureNames.firstIndex(of: "Home"))
        #expect(model.categoryLabels[home] == ["owner", "parents", "priv", "rent", "ignore", "other"])
        #expect(model.categoryLabels.keys.sorted().map { model.featureNames[$0] } == ["Home", "Marital", "Records", "Job"])
        let income = try #require(model.inferredFeatures.first { $0.name == "Income" })
        #expect(income.kind == .numeric && income.minimum == 6 && income.maximum == 959)
        let incomeBins = model.bins(of: try #require(model.featureNames.firstIndex(of: "Income")))
        #expect(incomeBins.first?.lower == -.infinity && incomeBins.first?.upper == 59.5 && incomeBins.last?.upper == .infinity)
        #expect(model.odds == ScorecardOdds(pdo: 20, pdoMultiplier: 2, score: 600, odds: 50, higherIsSafer: true))
        #expect(model.facts.contains { $0.label == "Library" && $0.value.hasPrefix("optbinning 1.0.0") })
    }

    @Test func refusesOverlappingBinsNamingThem() throws {
        let data = try Self.editCharacteristic("Income") { ch in
            var bins = ch["bins"] as? [[String: Any]] ?? []
            bins[1]["lower"] = 50.0
            ch["bins"] = bins
        }
        let message = Self.refusal(data)
        #expect(message.contains("\"Income\"") && message.contains("overlap") && message.contains("[-inf, 59.5)") && message.contains("[50.0, 71.5)"), "\(message)")
    }

    @Test func refusesUnsortedEdgesNamingTheBin() throws {
        let data = try Self.editCharacteristic("Age") { ch in
            var bins = ch["bins"] as? [[String: Any]] ?? []
            bins.swapAt(1, 2)
            ch["bins"] = bins
        }
        let message = Self.refusal(data)
        #expect(message.contains("\"Age\"") && message.contains("not in ascending order"), "\(message)")
        let inverted = try Self.editCharacteristic("Age") { ch in
            var bins = ch["bins"] as? [[String: Any]] ?? []
            bins[1]["upper"] = bins[1]["lower"]
            ch["bins"] = bins
        }
        let second = Self.refusal(inverted)
        #expect(second.contains("\"Age\"") && second.contains("edges out of order"), "\(second)")
    }

    @Test func refusesAnUnknownFormatVersion() throws {
        let message = Self.refusal(try Self.edited { $0["format_version"] = 2 })
        #expect(message.contains("format_version 2 is not supported"), "\(message)")
        let other = Self.refusal(try Self.edited { $0["format"] = "pmml" })
        #expect(other.contains("\"pmml\""), "\(other)")
    }

    @Test func refusesALabelInTwoBins() throws {
        let data = try Self.editCharacteristic("Home") { ch in
            var bins = ch["bins"] as? [[String: Any]] ?? []
            bins[1]["labels"] = ["parents", "owner"]
            ch["bins"] = bins
        }
        let message = Self.refusal(data)
        #expect(message.contains("\"Home\"") && message.contains("\"owner\" is in two bins"), "\(message)")
    }

    @Test func refusesValuesNoBinTakesWithoutUnseenPoints() throws {
        let data = try Self.editCharacteristic("Time") { ch in
            var bins = ch["bins"] as? [[String: Any]] ?? []
            bins.removeLast()
            ch["bins"] = bins
        }
        let message = Self.refusal(data)
        #expect(message.contains("\"Time\"") && message.contains("above 57.0"), "\(message)")
    }

    @Test func namesAMissingFieldByItsPath() throws {
        let data = try Self.editCharacteristic("Debt") { ch in ch["missing_points"] = nil }
        let message = Self.refusal(data)
        #expect(message.contains("missing_points") && message.contains("characteristics[10]"), "\(message)")
    }

    @Test func unknownRoundingIsNamed() throws {
        let message = Self.refusal(try Self.edited { $0["rounding"] = "3 decimals" })
        #expect(message.contains("rounding"), "\(message)")
    }
}
