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
        // Only the CSV benchmark uses it: the yardstick our hand-written reader is measured against.
        .package(url: "https://github.com/yaslab/CSV.swift", from: "2.5.0"),
    ],
    targets: [
        .target(name: "Scoring"),
        .executableTarget(
            name: "loanrisk",
            dependencies: [
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
        .testTarget(
            name: "LoanRiskCLITests",
            dependencies: ["loanrisk", "Scoring"]
        ),
        .testTarget(
            name: "ScoringTests",
            dependencies: ["Scoring"],
            exclude: ["Fixtures"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
