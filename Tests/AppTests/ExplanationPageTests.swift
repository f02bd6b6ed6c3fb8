@testable import App
@testable import LoanRiskCore
@testable import LoanRiskHTTP
@testable import LoanRiskStorage
import Foundation
import Hummingbird
import HummingbirdTesting
import Scoring
import Testing

/// The explanation as the row page and the single-applicant result show it, read the way an
/// analyst reads it (issue #15): the chart's axis in probability points as well as log-odds,
/// warnings in the bundle's words with the column named once, values in the bundle's units.
@Suite(.sharingTheCores) struct ExplanationPageTests {
    static let lendingClub = TestApp.root.appendingPathComponent("Data/models/lending-club")

    /// Every tick of a contributions chart: its log-odds, its probability points (as data and
    /// as the two labels under it).
    struct Tick: Equatable {
        var logOdds: Double
        var points: Double
        var logOddsLabel: String
        var pointsLabel: String
    }

    static func ticks(_ svg: String) throws -> [Tick] {
        try svg.components(separatedBy: "<g class=\"axis-tick\" ").dropFirst().map { part in
            func between(_ start: String, _ end: String) throws -> String {
                let tail = try #require(part.components(separatedBy: start).dropFirst().first, "\(start) in \(part)")
                return try #require(tail.components(separatedBy: end).first)
            }
            return Tick(
                logOdds: try #require(Double(try between("data-log-odds=\"", "\""))),
                points: try #require(Double(try between("data-points=\"", "\""))),
                logOddsLabel: try between("<text class=\"tick log-odds\"", "</text>").components(separatedBy: ">").last ?? "",
                pointsLabel: try between("<text class=\"tick points\"", "</text>").components(separatedBy: ">").last ?? "")
        }
    }

    /// Percentage points a log-odds contribution alone adds to a base rate of `expectedValue`
    /// log-odds, worked out here from the logistic function, not from the app's code.
    static func pointsFromTheBaseRate(_ logOdds: Double, expectedValue: Double) -> Double {
        func p(_ x: Double) -> Double { 1 / (1 + exp(-x)) }
        return (p(expectedValue + logOdds) - p(expectedValue)) * 100
    }

    /// The ticks say, in points, what their log-odds alone do to this base rate: zero at the
    /// base rate, a rise worth more points than the same fall (the logistic curve is steeper
    /// above a low base rate), labels written as the contributions table writes points.
    static func expectTicksRead(_ ticks: [Tick], expectedValue: Double, _ comment: Comment) {
        #expect(ticks.count >= 3, comment)
        #expect(ticks.contains { $0.logOdds == 0 && $0.points == 0 && $0.logOddsLabel == "0" && $0.pointsLabel == "0 pts" }, comment)
        for tick in ticks where tick.logOdds != 0 {
            let expected = pointsFromTheBaseRate(tick.logOdds, expectedValue: expectedValue)
            #expect(abs(tick.points - expected) < 1e-9, "\(comment): \(tick)")
            #expect(tick.pointsLabel == String(format: "%+.2f pts", expected), "\(comment): \(tick)")
            #expect(Double(tick.logOddsLabel) == tick.logOdds, "\(comment): \(tick)")
            if let mirror = ticks.first(where: { $0.logOdds == -tick.logOdds }), tick.logOdds > 0, expectedValue < 0 {
                #expect(tick.points > -mirror.points, "\(comment): \(tick) against \(mirror)")
            }
        }
        #expect(ticks.map(\.logOdds) == ticks.map(\.logOdds).sorted(), comment)
    }

    @Test func theChartsAxisReadsInProbabilityPointsFromTheBaseRate() throws {
        let model = try LightGBMModel(contentsOf: TestApp.goldenModel)
        for (expectedValue, largest) in [(-2.9, 0.8), (0.0, 0.05), (-1.2, 3.1), (-4.0, 0.0004)] {
            let points = ProbabilityPoints(model: model, expectedValue: expectedValue)
            let bars = [
                Charts.ContributionBar(label: "Interest rate: 24.5 %", contribution: largest),
                Charts.ContributionBar(label: "Annual income: $80,000", contribution: -largest / 3),
            ]
            let svg = Charts.contributions(bars, baseRate: "5.00 %", probability: "9.00 %", points: points)
            let ticks = try Self.ticks(svg)
            Self.expectTicksRead(ticks, expectedValue: expectedValue, "base \(expectedValue), largest \(largest)")
            #expect(ticks.allSatisfy { abs($0.logOdds) <= largest * (1 + 1e-9) }, "ticks stay within the bars' reach")
            // Each bar's tooltip gives its own reading in points.
            let alone = ProbabilityPoints.text(Self.pointsFromTheBaseRate(largest, expectedValue: expectedValue))
            #expect(svg.contains("log-odds, \(alone) probability points alone</title>"))
        }
        #expect(Charts.logOddsStep(0.8) == 0.5 && Charts.logOddsStep(1.0) == 0.5 && Charts.logOddsStep(0.04) == 0.02)
    }

    /// The row page of an upload: the chart's ticks and the table's points column both read
    /// from the base rate of that row's explanation.
    @Test func aRowPagesChartAndTableReadPointsFromItsBaseRate() async throws {
        let expected = try ReasonTests.libraryExplanations()
        let app = try await TestApp.make()
        try await app.test(.router) { client in
            let session = try await Session(client)
            let location = try await ReasonTests.upload(session)
            for number in [1, 7] {
                let explanation = try #require(expected[number - 1])
                let html = String(buffer: try await session.get("\(location)/rows/\(number)").body)
                let after = try #require(html.components(separatedBy: "<svg class=\"chart contributions\"").dropFirst().first)
                let svg = after.components(separatedBy: "</svg>")[0]  // the phone's chart follows: read the wide one
                Self.expectTicksRead(try Self.ticks(svg), expectedValue: explanation.expectedValue, "row \(number)")
                let phone = try #require(html.components(separatedBy: "<svg class=\"chart contributions narrow\"").dropFirst().first)
                Self.expectTicksRead(try Self.ticks(phone.components(separatedBy: "</svg>")[0]), expectedValue: explanation.expectedValue, "row \(number), phone")
                let table = try #require(html.components(separatedBy: "<table class=\"compact contributions stack\">").dropFirst().first)
                let exact = ReasonTests.all(table, between: "data-value=\"", and: "\"").compactMap(Double.init)
                let points = ReasonTests.all(table, between: "<td class=\"num\" data-label=\"Alone (probability points)\">", and: "</td>")
                #expect(points == exact.map { String(format: "%+.2f", Self.pointsFromTheBaseRate($0, expectedValue: explanation.expectedValue)) })
            }
        }
    }

    /// The single-applicant result names an out-of-range input by its phrase with the column
    /// once and the values in its unit, and lists the values used in the bundle's units and
    /// words; the API says the same issue with the raw column, as programs read it.
    @Test func theResultPageWordsWarningsAndValuesInTheBundlesUnits() async throws {
        let bundle = try ModelBundle(directory: Self.lendingClub)
        let accounts = try #require(bundle.schema.features.first { $0.name == "open_il_6m" })
        let highest = try #require(accounts.maximum)
        let (header, rows) = try PagesTests.csv(TestApp.root.appendingPathComponent("Data/samples/lending-club-sample.csv"))
        var fields: [String: String] = [:]
        for (name, value) in zip(header, rows[0]) where bundle.schema.requiredColumns.contains(name) { fields[name] = value }
        fields["open_il_6m"] = "140"
        fields["annual_inc"] = "51000.0"
        fields["verification_status"] = "Source_Verified"
        let entered = fields
        let app = try await TestApp.make()
        try await app.test(.router) { client in
            let session = try await Session(client)
            let html = ReasonTests.unescaped(String(buffer: try await session.decide(entered.merging(["model": "lending-club"]) { a, _ in a }).page.body))
            let warning = "Number of active instalment accounts (open_il_6m): 140 is above the highest value seen in training (\(Int(highest)))."
            #expect(html.contains("<p class=\"warning\">\(warning)</p>"))
            #expect(!html.contains("largest open_il_6m"))
            // Values used: one way, the bundle's (no "51000.0 USD" beside "$51,000").
            let used = try #require(html.components(separatedBy: "<h2>Values used</h2>").dropFirst().first)
            #expect(used.contains("<th scope=\"row\">Annual income</th><td>$51,000</td>"))
            #expect(used.contains("<th scope=\"row\">Income verification</th><td>source only</td>"))
            #expect(used.contains("<th scope=\"row\">Interest rate</th><td>\(entered["int_rate"] ?? "?") %</td>"))
            #expect(!used.contains("USD"))
            #expect(html.contains("<td data-label=\"Value\">$51,000</td>"), "the contributions table writes it the same way")

            let body = try JSONSerialization.data(withJSONObject: entered)
            let api = try await client.execute(
                uri: "/api/v1/models/lending-club/predict", method: .post, headers: [.contentType: "application/json"], body: ByteBuffer(data: body))
            let answer = try #require(try JSONSerialization.jsonObject(with: Data(buffer: api.body)) as? [String: Any])
            #expect((answer["warnings"] as? [String])?.contains("140 is above the largest open_il_6m seen in training (\(Int(highest))).") == true, "\(answer)")
        }
    }

    /// A batch row's status and warnings on its page are worded the same way; the download's
    /// status column keeps the raw names.
    @Test func aRowPageWordsItsWarnings() async throws {
        let sample = try String(contentsOf: TestApp.root.appendingPathComponent("Data/samples/lending-club-sample.csv"), encoding: .utf8)
        var lines = sample.split(separator: "\n").map(String.init)
        let header = lines[0].split(separator: ",").map(String.init)
        var cells = lines[1].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        cells[try #require(header.firstIndex(of: "open_il_6m"))] = "140"
        cells[try #require(header.firstIndex(of: "int_rate"))] = "4.32"
        lines[1] = cells.joined(separator: ",")
        let file = Data(lines.prefix(3).joined(separator: "\n").utf8)
        let app = try await TestApp.make()
        try await app.test(.router) { client in
            let session = try await Session(client)
            let response = try await session.upload(file, fileName: "two.csv", model: "lending-club")
            #expect(response.status == .seeOther)
            let location = try #require(response.headers[.location])
            let html = ReasonTests.unescaped(String(buffer: try await session.get("\(location)/rows/1").body))
            let rate = "Interest rate (int_rate): 4.32 % is below the lowest value seen in training (5.32 %)."
            let accounts = "Number of active instalment accounts (open_il_6m): 140 is above the highest value seen in training ("
            #expect(html.contains("<p class=\"status warning\" id=\"status\">warning: \(rate) \(accounts)"), "\(html)")
            #expect(html.contains("<li>\(rate)</li>"))
            let download = String(buffer: try await session.get("\(location)/results.csv").body)
            #expect(download.contains("4.32 is below the smallest int_rate seen in training (5.32)."))
        }
    }
}
