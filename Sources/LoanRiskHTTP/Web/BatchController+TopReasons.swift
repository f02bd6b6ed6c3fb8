import Foundation
import Hummingbird
import LoanRiskCore
import LoanRiskStorage
import Scoring

/// The results table's "Top reason" column, asked for by the page's script for the rows on
/// screen (`GET /batches/:id/top-reasons?rows=3,4,5`) so that the page itself never waits
/// for explanations: with a large model, fifty rows cost far more than the rest of the page.
extension BatchController {
    /// The most rows one request may ask for: a few pages' worth, a fraction of a second
    /// even with a large model.
    static let topReasonsLimit = 200

    /// What the endpoint answers. Rows that were not scored simply have no entry.
    struct TopReasons: Encodable, Sendable, Equatable {
        /// Each scored row's top reason, by row number.
        var reasons: [Int: String] = [:]
        /// Rows whose features are still being written (just after an upload): ask again.
        var pending: [Int] = []
        /// Why there are no reasons at all (the same note the pages show), else null.
        var note: String?

        enum CodingKeys: String, CodingKey { case reasons, pending, note }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(Dictionary(uniqueKeysWithValues: reasons.map { (String($0.key), $0.value) }), forKey: .reasons)
            try container.encode(pending, forKey: .pending)
            // Written as null rather than left out, so the script reads one shape.
            try container.encode(note, forKey: .note)
        }
    }

    /// The top reasons of `?rows=`, as JSON; errors are JSON too (`{"error": "…"}`), since
    /// only scripts call this and an HTML error page would be of no use to them.
    func topReasons(_ request: Request, context: AppRequestContext) async -> Response {
        do {
            let s = try await store.summary(for: context)
            let numbers = try Self.requestedRows(request.uri.queryParameters.get("rows"), rowCount: try await store.lastRowNumber(batch: s.id))
            return try JSONAnswer(await topReasons(s, rows: numbers)).response()
        } catch let error as HTTPError {
            return Self.json(error: error.message, status: error.status)
        } catch is DatabaseUnavailable {
            return DatabaseUnavailable.retrying(Self.json(error: DatabaseUnavailable.message, status: DatabaseUnavailable.status))
        } catch {
            context.logger.error("top reasons failed", metadata: ["error": .string(String(describing: error))])
            return Self.json(error: "Something went wrong on our side; please try again.", status: .internalServerError)
        }
    }

    /// The top reason of each scored row of `numbers`, computed now off the request threads
    /// on the configured workers; while the batch's features are still being written, the
    /// rows are `pending` instead.
    func topReasons(_ s: BatchSummary, rows numbers: [Int]) async throws -> TopReasons {
        let explainer: StoredRowExplainer
        switch await StoredRowExplainer.make(for: s, registry: registry) {
        case .success(let made): explainer = made
        case .failure(let unavailable): return TopReasons(note: unavailable.message)
        }
        switch try await store.featuresState(batch: s.id) {
        case .pending:
            // Being written just after the upload: every row asked for is on its way (the
            // script asks only for scored rows; any other simply gets no entry once they are
            // stored). Nothing is read or computed meanwhile.
            return TopReasons(pending: numbers)
        case .none:
            return s.validCount > 0 ? TopReasons(note: StoredRowExplainer.noFeaturesMessage) : TopReasons()
        case .stored:
            break
        }
        let rows = try await store.rows(batch: s.id, numbers: numbers)
        let scored = numbers.compactMap { rows[$0] }.filter { $0.probability != nil }
        let features = try await store.features(batch: s.id, rows: scored.map(\.rowNumber))
        let pairs = scored.compactMap { row in features[row.rowNumber].map { (row: row, features: $0) } }
        var answer = TopReasons()
        guard !pairs.isEmpty else { return answer }
        let threads = max(1, self.threads)
        let result = await Detached.run { explainer.explain(pairs, options: ExplainOptions(reasons: 1), threads: threads) }
        for (number, explanation) in result.explanations {
            answer.reasons[number] = explanation.reasons.first?.text ?? "No value raised the risk above the base rate"
        }
        for number in result.mismatched { answer.reasons[number] = "Withheld: the loaded model does not reproduce this row’s score" }
        return answer
    }

    /// The row numbers of `?rows=3,4,5`: whole numbers from 1 to the batch's row count, at most
    /// `topReasonsLimit` of them, each once, in the order given.
    static func requestedRows(_ text: String?, rowCount: Int) throws(HTTPError) -> [Int] {
        let items = (text ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard !items.isEmpty else {
            throw HTTPError(.badRequest, message: "Say which rows to explain, e.g. ?rows=3,4,5 (row numbers, at most \(topReasonsLimit)); got ‘\(String((text ?? "").prefix(40)))’.")
        }
        guard items.count <= topReasonsLimit else {
            throw HTTPError(.badRequest, message: "Ask for at most \(topReasonsLimit) rows at a time; this asked for \(items.count).")
        }
        var numbers: [Int] = []
        var seen: Set<Int> = []
        for item in items {
            guard let number = Int(item), number >= 1, number <= rowCount else {
                throw HTTPError(.badRequest, message: "‘\(String(item.prefix(20)))’ is not a row of this batch: its rows are numbered 1 to \(Formatting.count(rowCount)), in file order.")
            }
            if seen.insert(number).inserted { numbers.append(number) }
        }
        return numbers
    }

    /// A script's error answer (`{"error": "…"}`): a page would be of no use to it.
    static func json(error message: String, status: HTTPResponse.Status) -> Response {
        (try? JSONAnswer(["error": message], status: status).response()) ?? Response(status: status)
    }
}
