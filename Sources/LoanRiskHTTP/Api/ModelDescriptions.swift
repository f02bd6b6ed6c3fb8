import Foundation
import LoanRiskCore
import Scoring
import Synchronization

/// The API's model descriptions as JSON, encoded once a bundle: a bundle never changes (a new
/// version or a swap is a new bundle), and `JSONEncoder` made `GET /api/v1/models` — every
/// input and category of every model, 17 KB — answer ~1,900 requests/s. Entries hold their
/// bundle weakly, so a bundle swapped out is not kept alive here; their text goes at the next
/// encoding.
final class ModelDescriptions: Sendable {
    private struct Entry {
        weak var bundle: ModelBundle?
        let json: Data
    }

    private let entries = Mutex<[ObjectIdentifier: Entry]>([:])

    /// `ModelDescription(bundle)` as `JSONAnswer` encodes it.
    func json(_ bundle: ModelBundle) throws -> Data {
        let key = ObjectIdentifier(bundle)
        // The same identifier with another bundle: the first one is gone and its address reused.
        if let json = entries.withLock({ $0[key].flatMap { $0.bundle === bundle ? $0.json : nil } }) { return json }
        let json = try JSONAnswer.encode(ModelDescription(bundle))
        entries.withLock { entries in
            entries = entries.filter { $0.value.bundle != nil }
            entries[key] = Entry(bundle: bundle, json: json)
        }
        return json
    }

    /// `{"models": [...]}` for `bundles`, as `JSONAnswer` would encode it.
    func list(_ bundles: [ModelBundle]) throws -> Data {
        var json = Data(#"{"models":["#.utf8)
        for (index, bundle) in bundles.enumerated() {
            if index > 0 { json.append(UInt8(ascii: ",")) }
            json.append(try self.json(bundle))
        }
        json.append(contentsOf: Array("]}".utf8))
        return json
    }
}
