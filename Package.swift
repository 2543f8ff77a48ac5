// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "Scorebook",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "scorebook", targets: ["scorebook"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/yaslab/CSV.swift", from: "2.5.2"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.20"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth", from: "2.5.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
    ],
    targets: [
        // Pure domain core: rubrics, scoring, sampling, rules, appraisal math. No I/O, no database.
        .target(
            name: "ScorebookCore",
            dependencies: [.product(name: "Yams", package: "Yams")]
        ),
        // Storage adapter: SQLite through GRDB (system libsqlite3), migrations, repositories.
        .target(
            name: "ScorebookStore",
            dependencies: ["ScorebookCore", .product(name: "GRDB", package: "GRDB.swift"),
                           .product(name: "GRDBSQLite", package: "GRDB.swift")]
        ),
        // Import adapter: roster / sessions / ratings files into the store, one transaction per file.
        .target(
            name: "ScorebookImport",
            dependencies: ["ScorebookCore", "ScorebookStore", .product(name: "CSV", package: "CSV.swift")]
        ),
        // libxlsxwriter through pkg-config.
        .systemLibrary(
            name: "CXLSXWriter",
            pkgConfig: "xlsxwriter",
            providers: [.apt(["libxlsxwriter-dev", "zlib1g-dev"])]
        ),
        // Workbook adapter: a small Swift API over libxlsxwriter, and a reader for the .xlsx files it wrote.
        .target(
            name: "ScorebookWorkbook",
            dependencies: ["CXLSXWriter", .product(name: "ZIPFoundation", package: "ZIPFoundation")]
        ),
        // Reports adapter: the HR workbook of a month or a year (store snapshot → XLSX), for the CLI's
        // `export` and the web app's download alike.
        .target(
            name: "ScorebookReports",
            dependencies: ["ScorebookCore", "ScorebookStore", "ScorebookWorkbook",
                           .product(name: "GRDB", package: "GRDB.swift"), .product(name: "Crypto", package: "swift-crypto")]
        ),
        // Seedable synthetic service-center data (roster, sessions with Chinese transcripts, ratings) for
        // the demo and the benchmark. Pure generation: it returns values, callers write files.
        .target(
            name: "ScorebookDemo",
            dependencies: ["ScorebookCore"]
        ),
        // Web adapter (Hummingbird 2): the pages agents, inspectors, supervisors and HR use in a browser,
        // sign-in with bcrypt-hashed passwords and cookie sessions, the role checked on every route.
        .target(
            name: "ScorebookWeb",
            dependencies: [
                "ScorebookCore", "ScorebookStore", "ScorebookReports", .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdAuth", package: "hummingbird-auth"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "Mustache", package: "swift-mustache"),
            ],
            resources: [.copy("Templates")]
        ),
        // The command-line surface (swift-argument-parser); rubric and scheme files ship as resources.
        .target(
            name: "ScorebookCLI",
            dependencies: [
                "ScorebookCore", "ScorebookStore", "ScorebookImport", "ScorebookWorkbook", "ScorebookReports", "ScorebookDemo",
                "ScorebookWeb",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            resources: [.copy("Resources/Rubrics"), .copy("Resources/Reports")]
        ),
        .executableTarget(name: "scorebook", dependencies: ["ScorebookCLI", "ScorebookStore",
                                                           .product(name: "ArgumentParser", package: "swift-argument-parser")]),
        .testTarget(name: "ScorebookCoreTests", dependencies: ["ScorebookCore"]),
        .testTarget(name: "ScorebookStoreTests", dependencies: ["ScorebookCore", "ScorebookStore", "ScorebookImport", "ScorebookWorkbook"]),
        .testTarget(name: "ScorebookWorkbookTests", dependencies: ["ScorebookWorkbook"]),
        .testTarget(name: "ScorebookDemoTests", dependencies: ["ScorebookDemo", "ScorebookCore"]),
        .testTarget(name: "ScorebookWebTests", dependencies: [
            "ScorebookWeb", "ScorebookStore", "ScorebookCore", "ScorebookWorkbook",
            .product(name: "GRDB", package: "GRDB.swift"), // to hold the write lock as another program would
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "HummingbirdTesting", package: "hummingbird"),
        ]),
        .testTarget(name: "ScorebookCLITests", dependencies: [
            "ScorebookCore", "ScorebookStore", "ScorebookWorkbook",
            .product(name: "ZIPFoundation", package: "ZIPFoundation"), // to edit a workbook as another program would
        ]),
    ],
    swiftLanguageModes: [.v5]
)
