// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "LoanRisk",
    platforms: [.macOS(.v14)],
    products: [
        .library(name: "Scoring", targets: ["Scoring"]),
        .executable(name: "loanrisk", targets: ["loanrisk"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.0.0"),
        .package(url: "https://github.com/adam-fowler/compress-nio", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.0.0"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.5.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.1.0"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.21.0"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.21.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.80.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.27.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.6.0"),
        // The KServe v2 gRPC inference protocol (GRPC_PORT); Sources/InferenceGRPC is generated from proto/.
        .package(url: "https://github.com/grpc/grpc-swift-2", from: "2.4.3"),
        .package(url: "https://github.com/grpc/grpc-swift-nio-transport", from: "2.9.2"),
        .package(url: "https://github.com/grpc/grpc-swift-protobuf", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-protobuf", from: "1.39.0"),
        // Only the CSV benchmark uses it: the yardstick our hand-written reader is measured against.
        .package(url: "https://github.com/yaslab/CSV.swift", from: "2.5.0"),
        // .xlsx uploads and results (Sources/Workbook): the zip container; the sheet XML is read with Foundation's parser.
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.20"),
        // Accounts: bcrypt password hashes (HummingbirdBcrypt) and OpenID Connect ID tokens checked against the provider's JWKS.
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth", from: "2.5.0"),
        .package(url: "https://github.com/vapor/jwt-kit", from: "5.7.1"),
        // API keys are looked up by their SHA-256 on every request: BoringSSL's digest (already
        // built for jwt-kit) costs a fraction of Scoring's portable one.
        .package(url: "https://github.com/apple/swift-crypto.git", "4.1.0"..<"6.0.0"),
    ],
    targets: [
        .target(name: "Scoring"),
        // Excel workbooks: the first sheet read as the cells a CSV would give, results written as a sheet.
        // A target of its own so Scoring stays Foundation-only.
        .target(
            name: "Workbook",
            dependencies: [
                "Scoring",
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ]
        ),
        // Generated once by protoc from proto/grpc_predict_v2.proto and committed (proto/README.md).
        .target(
            name: "InferenceGRPC",
            dependencies: [
                .product(name: "GRPCCore", package: "grpc-swift-2"),
                .product(name: "GRPCProtobuf", package: "grpc-swift-protobuf"),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
            ]
        ),
        // The layers, each its own target so no dependency can run backwards:
        // storage (one SQL protocol, SQLite and PostgreSQL) ← core (registry, the decision
        // service, batches, audit, monitoring, challenger; no HTTP) ← HTTP (the surfaces) ← App
        // (reads the configuration and wires them).
        .target(
            name: "LoanRiskStorage",
            dependencies: [
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .target(
            name: "LoanRiskCore",
            dependencies: [
                "Scoring",
                "Workbook",
                "LoanRiskStorage",
                .product(name: "CompressNIO", package: "compress-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .target(
            name: "LoanRiskHTTP",
            dependencies: [
                "Scoring",
                "Workbook",
                "LoanRiskStorage",
                "LoanRiskCore",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "CompressNIO", package: "compress-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                "InferenceGRPC",
                .product(name: "GRPCCore", package: "grpc-swift-2"),
                .product(name: "GRPCNIOTransportHTTP2", package: "grpc-swift-nio-transport"),
            ]
        ),
        .target(
            name: "App",
            dependencies: [
                "Scoring",
                "LoanRiskStorage",
                "LoanRiskCore",
                "LoanRiskHTTP",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .executableTarget(
            name: "loanrisk",
            dependencies: [
                "App",
                "LoanRiskHTTP",
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                "LoanRiskStorage",
                "LoanRiskCore",
                "Scoring",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(
            name: "scoring-bench",
            dependencies: [
                "Scoring",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "CSV", package: "CSV.swift"),
            ],
            path: "bench/Sources/scoring-bench"
        ),
        // The HTTP ceiling for the API benchmark: a bare Hummingbird echo of the request body.
        .executableTarget(
            name: "echo-bench",
            dependencies: [
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            path: "bench/Sources/echo-bench"
        ),
        .testTarget(
            name: "AppTests",
            dependencies: [
                "App",
                "LoanRiskStorage",
                "LoanRiskCore",
                "LoanRiskHTTP",
                "Scoring",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                "InferenceGRPC",
                .product(name: "GRPCCore", package: "grpc-swift-2"),
                .product(name: "GRPCNIOTransportHTTP2", package: "grpc-swift-nio-transport"),
                .product(name: "GRDB", package: "GRDB.swift"),
            ]
        ),
        .testTarget(
            name: "LoanRiskCLITests",
            dependencies: ["loanrisk", "Scoring"]
        ),
        .testTarget(
            name: "WorkbookTests",
            dependencies: ["Workbook", "Scoring"]
        ),
        .testTarget(
            name: "ScoringTests",
            dependencies: ["Scoring"],
            exclude: ["Fixtures"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
