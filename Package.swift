// swift-tools-version: 6.1
import PackageDescription

/// Strictness shared by every target (ARCHITECTURE.md, habit 6).
let strict: [SwiftSetting] = [
  .enableUpcomingFeature("ExistentialAny"),
]

/// Data loading and hashing run over every dataset file (`assay validate`, `assay suites`); unoptimized they are
/// about 6x slower, so these targets are optimized in debug builds too (tests still see internals).
let optimizedInDebug: [SwiftSetting] = strict + [.unsafeFlags(["-O"], .when(configuration: .debug))]

let package = Package(
  name: "Assay",
  platforms: [.macOS(.v15)],
  products: [
    .executable(name: "assay", targets: ["assay"]),
    .executable(name: "assay-mock-server", targets: ["AssayMockServer"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
    .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
    .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
    .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
  ],
  targets: [
    .target(
      name: "AssayText",
      swiftSettings: optimizedInDebug),
    .target(
      name: "AssayCore",
      dependencies: ["AssayText", "AssayToolUse"],
      swiftSettings: optimizedInDebug),
    .systemLibrary(name: "CZlib", path: "Sources/CZlib"),
    .target(
      name: "AssaySuites",
      dependencies: ["AssayCore", "AssayText", "CZlib", "Yams"],
      swiftSettings: optimizedInDebug),
    .target(
      name: "AssayRuntime",
      dependencies: [
        "AssayCore",
        .product(name: "AsyncHTTPClient", package: "async-http-client"),
        .product(name: "Logging", package: "swift-log"),
        .product(name: "NIOCore", package: "swift-nio"),
        .product(name: "NIOHTTP1", package: "swift-nio"),
      ],
      resources: [.copy("Resources/assay_llama_server.py")],
      swiftSettings: strict),
    .target(name: "CSandbox"),
    .target(
      name: "AssaySandbox",
      dependencies: ["AssayCore", "AssayText", "CSandbox"],
      swiftSettings: strict),
    .target(
      name: "AssayStore",
      dependencies: ["AssayCore", .product(name: "GRDB", package: "GRDB.swift")],
      swiftSettings: strict),
    .target(
      name: "AssayRunner",
      dependencies: ["AssayCore", .product(name: "Logging", package: "swift-log")],
      swiftSettings: strict),
    .target(
      name: "AssayReport",
      dependencies: ["AssayCore", "AssayToolUse"],
      swiftSettings: strict),
    .target(
      name: "AssayRate",
      dependencies: ["AssayCore"],
      swiftSettings: strict),
    .target(
      name: "AssayInstructions",
      dependencies: ["AssayCore", "AssayText"],
      swiftSettings: optimizedInDebug),
    .target(
      name: "AssayToolUse",
      dependencies: ["AssayText"],
      swiftSettings: strict),
    .target(
      name: "AssayMockKit",
      dependencies: ["AssayCore"],
      swiftSettings: strict),
    .target(
      name: "AssayTesting",
      dependencies: ["AssayCore", "AssayMockKit"],
      swiftSettings: strict),
    .executableTarget(
      name: "assay",
      dependencies: [
        "AssayCore", "AssayText", "AssaySuites", "AssayRuntime", "AssayStore", "AssayRunner", "AssayReport",
        "AssayRate", "AssaySandbox", "AssayInstructions",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
        .product(name: "Logging", package: "swift-log"),
      ],
      swiftSettings: strict),
    .executableTarget(
      name: "AssayMockServer",
      dependencies: [
        "AssayCore", "AssayMockKit",
        .product(name: "NIOCore", package: "swift-nio"),
        .product(name: "NIOPosix", package: "swift-nio"),
        .product(name: "NIOHTTP1", package: "swift-nio"),
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ],
      swiftSettings: strict),
    .testTarget(
      name: "AssayCoreTests",
      dependencies: ["AssayCore", "AssayTesting"],
      swiftSettings: strict),
    .testTarget(
      name: "AssayInstructionsTests",
      dependencies: ["AssayInstructions", "AssayCore", "AssayText", "AssaySuites"],
      swiftSettings: strict),
    .testTarget(
      name: "AssaySuitesTests",
      dependencies: ["AssaySuites", "AssayCore", "AssayText", "AssayTesting"],
      swiftSettings: strict),
    .testTarget(
      name: "AssayToolUseTests",
      dependencies: ["AssayToolUse", "AssayText"],
      swiftSettings: strict),
    .testTarget(
      name: "AssayRateTests",
      dependencies: ["AssayRate", "AssayCore"],
      swiftSettings: strict),
    .testTarget(
      name: "AssayRuntimeTests",
      dependencies: ["AssayRuntime", "AssayCore", "AssayTesting", .product(name: "Logging", package: "swift-log")],
      swiftSettings: strict),
    .testTarget(
      name: "AssayRunnerTests",
      dependencies: ["AssayRunner", "AssayStore", "AssayTesting", "AssayCore", "AssayReport", "AssaySuites"],
      swiftSettings: strict),
    .testTarget(
      name: "AssayStoreTests",
      dependencies: ["AssayStore", "AssayTesting", "AssayCore"],
      swiftSettings: strict),
    .testTarget(
      name: "AssayReportTests",
      dependencies: ["AssayReport", "AssayCore", "AssayToolUse"],
      swiftSettings: strict),
    .testTarget(
      name: "AssaySandboxTests",
      dependencies: ["AssaySandbox", "AssayCore", "AssaySuites", "AssayRunner", "AssayTesting"],
      swiftSettings: strict),
    .testTarget(
      name: "AssayCLITests",
      dependencies: ["AssayCore", "AssayText", "AssayTesting", .product(name: "GRDB", package: "GRDB.swift")],
      swiftSettings: strict),
  ]
)
