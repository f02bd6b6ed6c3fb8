import Foundation
import Scoring

extension BundleCommand.Init {
    /// The model file read as its kind, and the name it takes in a bundle folder. Only
    /// LightGBM's text model until the loader that recognises every kind by its content
    /// (`ModelFile`) is wired in here: then `ModelFile`'s load and `fileName(for:data:)`.
    static func loadModel(_ data: Data, source: String) throws -> (model: any ScoringModel, fileName: String) {
        do {
            return (try LightGBMModel(text: String(decoding: data, as: UTF8.self)), "model.txt")
        } catch {
            throw Failure(message: "\(source): \(error)")
        }
    }
}
