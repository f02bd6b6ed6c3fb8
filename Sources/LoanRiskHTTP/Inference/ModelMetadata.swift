import LoanRiskCore
import Scoring

/// Model metadata: the input tensors a client must send and the outputs it gets — one input
/// per model input, FP64 for numeric ones (any number type is accepted) and BYTES for
/// categorical ones. REST answers it as JSON, gRPC as `ModelMetadataResponse`.
struct ModelMetadata: Encodable, Sendable {
    struct Tensor: Encodable, Sendable {
        let name: String
        let datatype: String
        let shape: [Int]
    }

    let name: String
    let versions: [String]
    let platform = "lightgbm"
    let inputs: [Tensor]
    let outputs: [Tensor]

    init(_ bundle: ModelBundle) {
        name = bundle.name
        versions = [bundle.version]
        inputs = bundle.schema.features.map { Tensor(name: $0.name, datatype: $0.kind == .categorical ? "BYTES" : "FP64", shape: [-1]) }
        outputs = InferenceOutputs.metadata(featureCount: bundle.model.featureCount, canExplain: bundle.model.canExplain)
    }
}
