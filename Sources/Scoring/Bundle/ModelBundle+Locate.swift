import Foundation

extension ModelBundle {
    /// Loads what a user points at: a bundle folder (with `bundle.json`), a folder holding
    /// only a `model.txt`, or a LightGBM model file itself — so anyone can bring their own model.
    public convenience init(location url: URL) throws(BundleLoadError) {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else {
            throw BundleLoadError("There is no model at \(url.path).")
        }
        if isDirectory.boolValue, FileManager.default.fileExists(atPath: url.appendingPathComponent("bundle.json").path) {
            try self.init(directory: url)
            return
        }
        let file = isDirectory.boolValue ? url.appendingPathComponent("model.txt") : url
        let name = isDirectory.boolValue || file.lastPathComponent == "model.txt"
            ? file.deletingLastPathComponent().lastPathComponent
            : file.deletingPathExtension().lastPathComponent
        let data: Data
        do {
            data = try Data(contentsOf: file)
        } catch {
            throw BundleLoadError("Cannot read \(file.path): \(error.localizedDescription)")
        }
        try self.init(bareModelData: data, name: name, source: file.path)
    }

    /// A bare model.txt's bytes, served under `name`.
    public convenience init(bareModelData data: Data, name: String, source: String = "model.txt") throws(BundleLoadError) {
        do {
            let model = try LightGBMModel(text: String(decoding: data, as: UTF8.self))
            self.init(bareModel: model, name: name, sha256: SHA256.hexDigest(data))
        } catch {
            throw BundleLoadError("\(source): \(error)")
        }
    }
}
