// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "territorio",
    platforms: [.macOS(.v13)],
    products: [
        .library(name: "GIS", targets: ["GIS"]),
        .executable(name: "territorio", targets: ["territorio"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.6.0")
    ],
    targets: [
        // C libraries from Debian, found through their pkg-config files.
        .systemLibrary(
            name: "CGEOS", pkgConfig: "geos", providers: [.apt(["libgeos-dev"])]),
        .systemLibrary(
            name: "CPROJ", pkgConfig: "proj", providers: [.apt(["libproj-dev"])]),
        .systemLibrary(
            name: "CShapelib", pkgConfig: "shapelib", providers: [.apt(["libshp-dev"])]),

        // The only module that imports C. Its public API is pure Swift.
        .target(name: "GIS", dependencies: ["CGEOS", "CPROJ", "CShapelib"]),

        // The command-line tool: parse, call the library, print.
        .executableTarget(
            name: "territorio",
            dependencies: [
                "GIS",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),

        // Deterministic generator of the bundled synthetic demo territory.
        .executableTarget(name: "generate-demo", dependencies: ["GIS"]),

        // Benchmarks on the real national data (run by Scripts/bench-*.sh).
        .executableTarget(name: "territorio-bench", dependencies: ["GIS"]),

        .testTarget(name: "GISTests", dependencies: ["GIS"]),
        // Depends on the executable so `swift test` builds the binary it runs.
        .testTarget(
            name: "TerritorioCLITests", dependencies: ["GIS", "territorio", "generate-demo"]),
    ]
)
