import Foundation
import Hummingbird
import LoanRiskCore
import Scoring

/// Model cards, CSV templates and sample files.
struct ModelController {
    let registry: ModelRegistry
    let views: Views
    /// Where each model's sample file is.
    let samplesDirectory: URL

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
        let bundles = registry.all.sorted { ($0.name != registry.defaultBundle.name ? 1 : 0, $0.name) < ($1.name != registry.defaultBundle.name ? 1 : 0, $1.name) }
        return views.page(ModelsPage(
            base: PageBase(context, title: "Models"),
            entries: bundles.map { ModelsPage.Entry(model: ModelSummary($0), isDefault: $0.name == registry.defaultBundle.name) }))
    }

    private func card(context: AppRequestContext) throws -> Response {
        let bundle = try bundle(context)
        let features = bundle.schema.features.map { spec in
            let categories = spec.categories ?? []
            return ModelPage.Feature(
                name: spec.name, kind: spec.kind.rawValue, description: spec.description ?? "",
                range: spec.minimum.flatMap { low in spec.maximum.map { high in "\(spec.shown(low)) – \(spec.shown(high))" } } ?? "",
                categories: categories.prefix(30).map(spec.words(for:)).joined(separator: ", ") + (categories.count > 30 ? ", …" : ""),
                unit: spec.unit.flatMap { $0.isEmpty ? nil : $0 },
                phrase: spec.phrase.flatMap { $0.isEmpty || $0.lowercased() == spec.name.lowercased() ? nil : $0 })
        }
        let derived = (bundle.manifest?.derivedFeatures ?? []).map {
            ModelPage.Derived(name: $0.name, description: $0.description ?? "", inputs: $0.operation.inputs.joined(separator: ", "))
        }
        // The registered bundle.json (this version's, not the shipped folder's), for both parts of the card that quote it.
        let json = bundle.manifestData
        return views.page(ModelPage(
            base: PageBase(context, title: bundle.title), model: ModelSummary(bundle), features: features, derived: derived,
            modelWarnings: bundle.warnings, card: json.flatMap { ModelCardData(bundleJSON: $0, schema: bundle.schema) },
            fairLending: json.flatMap { FairLendingCard(bundleJSON: $0, bundle: bundle) },
            modelFacts: bundle.model.facts.map { ModelPage.Fact(label: $0.label, value: $0.value) }
                + [ModelPage.Fact(label: "Model file sha256", value: bundle.sha256)]))
    }
}
