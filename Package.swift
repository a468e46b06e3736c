// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "territorio",
    platforms: [.macOS(.v13)],
    products: [
        .library(name: "GIS", targets: ["GIS"]),
        .library(name: "Planning", targets: ["Planning"]),
        .library(name: "Optimization", targets: ["Optimization"]),
        .library(name: "Workflows", targets: ["Workflows"]),
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
        // GLPK has no pkg-config file on Debian: the module map links it by name.
        .systemLibrary(name: "CGLPK", providers: [.apt(["libglpk-dev"])]),
        // COIN-OR CBC, the stronger branch-and-cut for hard covering decisions (p-center).
        .systemLibrary(name: "CCBC", pkgConfig: "cbc", providers: [.apt(["coinor-libcbc-dev"])]),
        // zlib: gzip-compressed inputs (.csv.gz).
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        // SQLite: GeoPackage files (OGC 12-128r18), with the R*Tree module for spatial indexes.
        .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),
        // cairo: map rendering to PNG and SVG (text in DejaVu Sans, from fonts-dejavu-core).
        .systemLibrary(name: "CCairo", pkgConfig: "cairo", providers: [.apt(["libcairo2-dev"])]),
        // glibc's malloc.h: CBCSolver returns the pages a freed model leaves (malloc_trim).
        .systemLibrary(name: "CMalloc"),

        // JSON and CSV text helpers shared by GIS and Planning (no dependencies).
        .target(name: "TextFormat"),

        // Imports the geometry C libraries; its public API is pure Swift.
        .target(name: "GIS", dependencies: ["CGEOS", "CPROJ", "CShapelib", "CSQLite", "CZlib", "TextFormat"]),

        // Maps: a page of panels, layers, legend, scale bar and north arrow in page units, drawn by
        // cairo to PNG or SVG; class breaks and map colouring. Takes projected coordinates: it
        // never projects (Workflows does, through GIS).
        .target(name: "Cartography", dependencies: ["CCairo", "GIS"]),

        // The planning domain: pure Swift values, no C and no GIS (enforced here: no dependency).
        .target(name: "Planning", dependencies: ["TextFormat"]),

        // The exact solvers behind Planning's LinearSolver protocol (GLPK's and CBC's C APIs).
        .target(name: "Optimization", dependencies: ["CGLPK", "CCBC", "CMalloc", "Planning"]),

        // Turns layers into Planning inputs; travel times; writers; typed, range-checked options;
        // each run's all-or-nothing output set. Everything the CLI does, callable in-process.
        .target(name: "Workflows", dependencies: ["GIS", "Cartography", "Planning", "Optimization"]),

        // The command-line tool: one command per file; parse, call Workflows, print.
        .executableTarget(
            name: "territorio",
            dependencies: [
                "Cartography",
                "GIS",
                "Planning",
                "Workflows",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),

        // Deterministic generator of the bundled synthetic demo territory.
        .executableTarget(name: "generate-demo", dependencies: ["GIS"]),

        // Benchmarks on the real national data (run by Scripts/bench-*.sh).
        .executableTarget(name: "territorio-bench", dependencies: ["GIS"]),

        .testTarget(name: "GISTests", dependencies: ["GIS"]),
        .testTarget(name: "CartographyTests", dependencies: ["Cartography", "GIS"]),
        .testTarget(name: "PlanningTests", dependencies: ["Planning", "Optimization"]),
        .testTarget(
            name: "WorkflowsTests", dependencies: ["Workflows", "GIS", "Cartography", "Planning", "Optimization"]),
        // Depends on the executable so `swift test` builds the binary it runs.
        .testTarget(
            name: "TerritorioCLITests",
            dependencies: ["GIS", "Cartography", "Planning", "territorio", "generate-demo"]),
    ]
)
