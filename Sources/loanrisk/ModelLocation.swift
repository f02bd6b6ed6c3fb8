import Foundation
import Scoring

/// A model given on the command line: a LightGBM `model.txt`, or a directory holding one.
struct ModelLocation {
    let path: String

    func loadScorer() throws(CommandFailure) -> BatchScorer {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw CommandFailure(message: "no model at \(path)")
        }
        let file = isDirectory.boolValue ? URL(fileURLWithPath: path).appendingPathComponent("model.txt") : URL(fileURLWithPath: path)
        do {
            let model = try LightGBMModel(contentsOf: file)
            return BatchScorer(model: model, schema: FeatureSchema(inferredFrom: model))
        } catch {
            throw CommandFailure(message: "cannot load the model \(file.path): \(error)")
        }
    }
}
