// swift-tools-version: 6.1
// RPTDose benchmarks: a separate package so that benchmark code never reaches the library.
// Run: cd benchmarks && swift run -c release rpt-benchmarks [transport|breakdown|methods|estimators|clinical|wholebody|all]
import PackageDescription

let package = Package(
    name: "RPTDoseBenchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [.package(name: "RPTDose", path: "..")],
    targets: [
        .executableTarget(name: "rpt-benchmarks", dependencies: [.product(name: "RPTDose", package: "RPTDose")],
                          path: "Sources/RPTBenchmarks"),
    ],
    swiftLanguageModes: [.v5]
)
