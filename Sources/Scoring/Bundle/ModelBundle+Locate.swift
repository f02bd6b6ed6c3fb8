import Foundation

extension ModelBundle {
    /// Loads what a user points at: a bundle folder (with `bundle.json`), a folder holding
    /// only a model file, or a model file itself (LightGBM, XGBoost, a scikit-learn or
    /// scorecard export: `ModelFile`) — so anyone can bring their own model.
    public convenience init(location url: URL) throws(BundleLoadError) {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else {
            throw BundleLoadError("There is no model at \(url.path).")
        }
        if isDirectory.boolValue, FileManager.default.fileExists(atPath: url.appendingPathComponent("bundle.json").path) {
            try self.init(directory: url)
            return
        }
        let file = isDirectory.boolValue ? Self.modelFile(in: url) : url
        let name = isDirectory.boolValue || ModelFile.bundleFileNames.contains(file.lastPathComponent)
            ? file.deletingLastPathComponent().lastPathComponent
            : Self.stem(of: file)
        let data: Data
        do {
            data = try Data(contentsOf: file)
        } catch {
            throw BundleLoadError("Cannot read \(file.path): \(error.localizedDescription)")
        }
        try self.init(bareModelData: data, name: name, source: file.path)
    }

    /// A bare model file's bytes (any kind `ModelFile` reads), served under `name`.
    public convenience init(bareModelData data: Data, name: String, source: String = "model.txt") throws(BundleLoadError) {
        let model = try ModelFile.load(data, source: source)
        self.init(bareModel: model, name: name, sha256: SHA256.hexDigest(data))
    }

    /// A file's name without its extension, and without the kind LoanRisk's exports add
    /// ("acme-v2.sklearn.json" → "acme-v2").
    public static func stem(of file: URL) -> String {
        let name = file.deletingPathExtension().lastPathComponent
        for suffix in [".sklearn", ".scorecard"] where name.hasSuffix(suffix) { return String(name.dropLast(suffix.count)) }
        return name
    }
}
