import Foundation
import Scoring

extension BundleCommand.Init {
    /// The model file read as its kind (`ModelFile` recognises it by its content), and the
    /// name it takes in a bundle folder.
    static func loadModel(_ data: Data, source: String) throws -> (model: any ScoringModel, fileName: String) {
        do {
            let model = try ModelFile.load(data, source: source)
            return (model, ModelFile.fileName(for: model.kind, data: data))
        } catch {
            throw Failure(message: error.message)
        }
    }
}
