import Foundation
import Hummingbird
import LoanRiskCore
import LoanRiskStorage
import Scoring

/// Model cards, CSV templates and sample files.
struct ModelController {
    let registry: ModelRegistry
    let views: Views
    /// Where each model's sample file is.
    let samplesDirectory: URL
    /// `Data/models`, where a bundle's own bundle.json is shown from.
    let modelsDirectory: URL

    func addRoutes(to router: some RouterMethods<AppRequestContext>) {
        router.get("/models") { _, context in index(context: context) }
        router.get("/models/:name") { _, context in try card(context: context) }
        router.get("/models/:name/template.csv") { _, context in try template(bundle(context)) }
        router.get("/models/:name/sample.csv") { _, context in try sample(bundle(context)) }
        router.get("/template.csv") { _, _ in template(registry.defaultBundle) }
    }

    private func bundle(_ context: AppRequestContext) throws -> ModelBundle {
        guard let name = context.parameters.get("name"), let bundle = registry.bundle(named: name) else {
            throw HTTPError(.notFound, message: "There is no such model.")
        }
        return bundle
    }

    /// The header in schema order and one example row.
    func template(_ bundle: ModelBundle) -> Download {
        let schema = bundle.schema
        var header = schema.requiredColumns
        var example = schema.features.map { $0.typicalValue }
        if let id = schema.idColumn {
            header.insert(id, at: 0)
            example.insert("A-0001", at: 0)
        }
        var bytes: [UInt8] = []
        CSVEncoder.appendRecord(header, to: &bytes)
        CSVEncoder.appendRecord(example, to: &bytes)
        return Download(fileName: "\(bundle.name)-template.csv", body: .plain(ByteBuffer(bytes: bytes)))
    }

    private func sample(_ bundle: ModelBundle) throws -> Download {
        let url = samplesDirectory.appendingPathComponent("\(bundle.name)-sample.csv")
        guard let data = try? Data(contentsOf: url) else { throw HTTPError(.notFound, message: "This model has no sample file.") }
        return Download(fileName: "\(bundle.name)-sample.csv", body: .plain(ByteBuffer(data: data)))
    }

    /// Every model served, the default first.
    private func index(context: AppRequestContext) -> Response {
        var values = PageContext(registry: registry).base(context, title: "Models")
        let bundles = registry.all.sorted { ($0.name != registry.defaultBundle.name ? 1 : 0, $0.name) < ($1.name != registry.defaultBundle.name ? 1 : 0, $1.name) }
        values["entries"] = bundles.map { bundle -> [String: Any] in
            var entry = PageContext.model(bundle)
            entry["isDefault"] = bundle.name == registry.defaultBundle.name
            return entry
        }
        return views.page("models", values)
    }

    private func card(context: AppRequestContext) throws -> Response {
        let bundle = try bundle(context)
        var values = PageContext(registry: registry).base(context, title: bundle.title)
        values["model"] = PageContext.model(bundle)
        values["features"] = bundle.schema.features.map { spec -> [String: Any] in
            var range = ""
            if let low = spec.minimum, let high = spec.maximum { range = "\(Formatting.number(low)) – \(Formatting.number(high))" }
            let categories = spec.categories ?? []
            var row: [String: Any] = [
                "name": spec.name, "kind": spec.kind.rawValue, "description": spec.description ?? "",
                "range": range, "categories": categories.prefix(30).joined(separator: ", ") + (categories.count > 30 ? ", …" : ""),
            ]
            if let unit = spec.unit, !unit.isEmpty { row["unit"] = unit }
            return row
        }
        if let manifest = bundle.manifest {
            values["derived"] = manifest.derivedFeatures.map { ["name": $0.name, "description": $0.description ?? "", "inputs": $0.operation.inputs.joined(separator: ", ")] }
        }
        values["modelWarnings"] = bundle.warnings
        // One read of bundle.json for both parts of the card that quote it.
        if let json = try? Data(contentsOf: modelsDirectory.appendingPathComponent(bundle.name).appendingPathComponent("bundle.json")) {
            if let card = ModelCardData(bundleJSON: json) { values["card"] = card.values }
            if let fairLending = FairLendingCard(bundleJSON: json, bundle: bundle) { values["fairLending"] = fairLending.values }
        }
        return views.page("model", values)
    }
}
