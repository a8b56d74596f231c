// swift-tools-version:6.1
import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "monitord",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "monitord", targets: ["monitord"]),
        .library(name: "MonitorKitCore", targets: ["MonitorKitCore"]),
        .library(name: "CacheSource", targets: ["CacheSource"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1", traits: []),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-collections.git", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        // Already in the graph through Hummingbird; named so tests can run small real HTTP peers.
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        // Already in the graph through async-http-client: HTTPS on the http sink, and the clients' TLS options.
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        // NIOHTTPTypes and NIOHTTPTypesHTTP1 only (Hummingbird builds both anyway): the parts the
        // HTTP sink writes to a connection itself, the interim 100 Continue and sendfile bodies.
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.35.2"),
    ],
    targets: [
        .systemLibrary(
            name: "CYAML",
            pkgConfig: "yaml-0.1",
            providers: [.apt(["libyaml-dev"])]
        ),
        // SHA-256 (cache entry names, the dashboard's CSP hashes) from the system's libcrypto
        // (Debian's libssl-dev) rather than swift-crypto, whose own BoringSSL copy was about a
        // third of a first build's compile time; NIOSSL's copy stays, for async-http-client.
        .systemLibrary(
            name: "CLibCrypto",
            pkgConfig: "libcrypto",
            providers: [.apt(["libssl-dev"])]
        ),
        .target(
            name: "SHA256Digest",
            dependencies: [.target(name: "CLibCrypto", condition: .when(platforms: [.linux]))],
            swiftSettings: swiftSettings
        ),
        // Certificates and keys from PEM files, checked, for the http sink, the notifiers and the clients.
        .target(
            name: "PEMFiles",
            dependencies: [.product(name: "NIOSSL", package: "swift-nio-ssl")],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "MonitorKitCore",
            dependencies: [
                "CYAML",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "DequeModule", package: "swift-collections"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                // ByteBuffer: a store's values are shared with the HTTP sink's responses without a copy.
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "CacheSource",
            dependencies: [
                "MonitorKitCore",
                "SHA256Digest",
                .product(name: "Logging", package: "swift-log"),
                // NIOThreadPool: the cache's file work runs on its threads, off Swift's cooperative pool.
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "SystemSource",
            dependencies: [
                "MonitorKitCore",
                // NIOThreadPool: statvfs of a hung network filesystem blocks a thread of its own.
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "SinkHTTP",
            dependencies: [
                "MonitorKitCore", "PEMFiles",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Logging", package: "swift-log"),
                "SHA256Digest",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "NIOHTTPTypesHTTP1", package: "swift-nio-extras"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOTLS", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            resources: [.embedInCode("Resources")],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "SinkTUI",
            dependencies: [
                "MonitorKitCore", "PEMFiles",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "SinkLog",
            dependencies: [
                "MonitorKitCore",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "SinkAlert",
            dependencies: [
                "MonitorKitCore", "PEMFiles",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "monitord",
            dependencies: [
                "MonitorKitCore", "CacheSource", "SystemSource", "SinkHTTP", "SinkTUI", "SinkLog", "SinkAlert",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                // `monitord reload` asks the running daemon's API (already built for the terminal view).
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            resources: [.embedInCode("Resources")],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "monitord-bench",
            dependencies: [
                "MonitorKitCore", "CacheSource", "SinkLog", "SinkAlert",
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Benchmarks/monitord-bench",
            swiftSettings: swiftSettings
        ),
        // A child process for the cache crash test: it writes in a loop until it is killed.
        .executableTarget(
            name: "cache-writer",
            dependencies: ["CacheSource"],
            path: "Tests/Fixtures/cache-writer",
            swiftSettings: swiftSettings
        ),
        // Child processes for the two-process tests: one-shot set/delete/clear, and a 30 s
        // hammer of set, delete, get and clear that logs every operation for the test to check.
        .executableTarget(
            name: "cache-hammer",
            dependencies: ["CacheSource"],
            path: "Tests/Fixtures/cache-hammer",
            swiftSettings: swiftSettings
        ),
        .testTarget(name: "SHA256DigestTests", dependencies: ["SHA256Digest"], swiftSettings: swiftSettings),
        .testTarget(name: "MonitorKitCoreTests", dependencies: ["MonitorKitCore"], swiftSettings: swiftSettings),
        .testTarget(
            name: "CacheSourceTests",
            dependencies: ["CacheSource", .product(name: "Logging", package: "swift-log")],
            swiftSettings: swiftSettings
        ),
        .testTarget(name: "SystemSourceTests", dependencies: ["SystemSource"], swiftSettings: swiftSettings),
        .testTarget(
            name: "SinkHTTPTests",
            dependencies: [
                "SinkHTTP", "CacheSource",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "SinkTUITests",
            dependencies: ["SinkTUI", "CacheSource", .product(name: "Logging", package: "swift-log")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "SinkLogTests",
            dependencies: ["SinkLog", .product(name: "Logging", package: "swift-log")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "SinkAlertTests",
            dependencies: [
                "SinkAlert",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "monitordTests",
            dependencies: [
                "MonitorKitCore",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
    ],
    swiftLanguageModes: [.v6]
)
