// swift-tools-version: 6.1
// RPTDose — Monte Carlo dose engine and treatment planner for radiopharmaceutical therapy.
//
// Module dependencies point one way:
//   RPTCore (maths, random streams, errors, safe writing)
//     → RPTPhysics (nuclide emissions, materials, interaction data and samplers)
//     → RPTVolume (grids, volumes, resampling)
//     → RPTTransport (voxel world, sources, Monte Carlo, tallies)
//     → RPTPhantom (synthetic patient), RPTKinetics (time-activity fits, TIA), RPTPlanner (activity plans)
//     → RPTImageIO (NIfTI, MetaImage, Interfile; zlib) and RPTStore (HDF5, through the CHDF5 shim)
//     → RPTDosimetry (study manifest, region kinetics, TIA maps, per-cycle doses, planner input)
//     → RPTStudyReport (the study's dosimetry report, through RPTReport)
//     → RPTCommandLine (subcommands) → rptdose (executable)
import PackageDescription


let package = Package(
    name: "RPTDose",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "rptdose", targets: ["rptdose"]),
        .library(name: "RPTDose", targets: ["RPTCore", "RPTPhysics", "RPTVolume", "RPTTransport",
                                            "RPTPhantom", "RPTKinetics", "RPTPlanner", "RPTKernels",
                                            "RPTDicom", "RPTReport", "RPTImageIO", "RPTStore", "RPTValidation", "RPTDosimetry",
                                            "RPTStudyReport", "RPTCommandLine"]),
    ],
    // `swift build --traits MPI`: `rptdose simulate` started by mpirun/srun spreads its decays over the MPI
    // ranks (Debian libopenmpi-dev). Off by default: the default build needs no MPI.
    traits: [
        .trait(name: "MPI", description: "Distributed Monte Carlo runs over MPI ranks (Open MPI, pkg-config ompi-c)."),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
        .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.0"),
    ],
    targets: [
        .systemLibrary(name: "CZlib", pkgConfig: "zlib",
                       providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(name: "CHDF5", pkgConfig: "hdf5-serial",
                       providers: [.apt(["libhdf5-dev"])]),
        .systemLibrary(name: "CPNG", pkgConfig: "libpng",
                       providers: [.apt(["libpng-dev"])]),
        .systemLibrary(name: "CMPIShim", pkgConfig: "ompi-c",
                       providers: [.apt(["libopenmpi-dev", "openmpi-bin"])]),
        .systemLibrary(name: "CKissFFT", pkgConfig: "kissfft-float",
                       providers: [.apt(["libkissfft-dev"])]),
        .target(name: "RPTCore"),
        .target(name: "CPrefetch"),
        .target(name: "RPTPhysics", dependencies: ["RPTCore"]),
        .target(name: "RPTVolume", dependencies: ["RPTCore"]),
        .target(name: "RPTTransport", dependencies: ["RPTCore", "RPTPhysics", "RPTVolume", "CPrefetch"]),
        .target(name: "RPTPhantom", dependencies: ["RPTCore", "RPTVolume"]),
        .target(name: "RPTKinetics", dependencies: ["RPTCore"]),
        .target(name: "RPTPlanner", dependencies: ["RPTCore", .product(name: "Yams", package: "Yams")]),
        .target(name: "RPTKernels", dependencies: ["RPTCore", "RPTVolume", "CKissFFT"]),
        .target(name: "RPTDicom", dependencies: ["RPTCore", "RPTVolume", "CZlib"]),
        .target(name: "RPTReport", dependencies: ["RPTCore", "RPTVolume", "RPTKernels", "CPNG"]),
        .target(name: "RPTImageIO", dependencies: ["RPTCore", "RPTVolume", "CZlib"]),
        .target(name: "RPTStore", dependencies: ["RPTCore", "RPTVolume", "RPTTransport", "CHDF5"]),
        .target(name: "RPTValidation", dependencies: ["RPTCore", "RPTPhysics", "RPTVolume", "RPTTransport", "RPTKernels"]),
        .target(name: "RPTDosimetry", dependencies: [
            "RPTCore", "RPTPhysics", "RPTVolume", "RPTTransport", "RPTPhantom", "RPTKinetics", "RPTKernels",
            "RPTPlanner", "RPTStore", "RPTImageIO", "RPTDicom", .product(name: "Yams", package: "Yams"),
        ]),
        .target(name: "RPTStudyReport", dependencies: [
            "RPTCore", "RPTVolume", "RPTKinetics", "RPTKernels", "RPTPlanner", "RPTReport", "RPTStore", "RPTDosimetry", "RPTDicom",
        ]),
        .target(name: "RPTCommandLine", dependencies: [
            "RPTCore", "RPTPhysics", "RPTVolume", "RPTTransport", "RPTPhantom", "RPTKinetics", "RPTPlanner",
            "RPTKernels", "RPTDicom", "RPTReport", "RPTImageIO", "RPTStore", "RPTValidation", "RPTDosimetry", "RPTStudyReport",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .target(name: "CMPIShim", condition: .when(traits: ["MPI"])),
        ], swiftSettings: [.define("MPI", .when(traits: ["MPI"]))]),
        .executableTarget(name: "rptdose", dependencies: ["RPTCommandLine"]),

        .target(name: "RPTTestSupport", dependencies: ["RPTDicom"], path: "Tests/RPTTestSupport", exclude: ["pngprobe.py"]),
        .testTarget(name: "RPTCoreTests", dependencies: ["RPTCore"]),
        .testTarget(name: "RPTVolumeTests", dependencies: ["RPTVolume"]),
        .testTarget(name: "RPTPhysicsTests", dependencies: ["RPTPhysics"]),
        .testTarget(name: "RPTStoreTests", dependencies: ["RPTStore", "RPTVolume", "RPTCore"]),
        .testTarget(name: "RPTImageIOTests", dependencies: ["RPTImageIO"]),
        .testTarget(name: "RPTPhantomTests", dependencies: ["RPTPhantom"]),
        .testTarget(name: "RPTCommandLineTests", dependencies: ["RPTCommandLine", "RPTStore", "RPTTransport"]),
        .testTarget(name: "RPTKineticsTests", dependencies: ["RPTKinetics"]),
        .testTarget(name: "RPTTransportTests", dependencies: ["RPTTransport"]),
        .testTarget(name: "RPTReportTests", dependencies: ["RPTReport", "RPTKernels", "RPTVolume", "RPTCore", "RPTTestSupport"]),
        .testTarget(name: "RPTPlannerTests", dependencies: [
            "RPTPlanner", "RPTCore", .product(name: "PropertyBased", package: "swift-property-based"),
        ]),
        .testTarget(name: "RPTKernelsTests", dependencies: ["RPTKernels", "RPTVolume", "RPTCore"]),
        .testTarget(name: "RPTValidationTests", dependencies: ["RPTValidation"]),
        .testTarget(name: "RPTDosimetryTests", dependencies: [
            "RPTDosimetry", "RPTCommandLine", "RPTPhantom", "RPTKinetics", "RPTPhysics", "RPTTransport", "RPTImageIO", "RPTVolume", "RPTCore",
        ]),
        .testTarget(name: "RPTScaleOutTests", dependencies: ["RPTCommandLine", "RPTStore", "RPTTransport", "RPTVolume", "RPTCore"]),
        .testTarget(name: "RPTStudyReportTests", dependencies: [
            "RPTStudyReport", "RPTCommandLine", "RPTReport", "RPTDosimetry", "RPTStore", "RPTVolume", "RPTCore", "RPTTestSupport",
        ]),
        .testTarget(name: "RPTDoseMethodsTests", dependencies: [
            "RPTCommandLine", "RPTStore", "RPTTransport", "RPTKernels", "RPTPhysics", "RPTVolume", "RPTCore",
        ]),
        .testTarget(name: "RPTDicomTests", dependencies: ["RPTDicom", "RPTVolume", "RPTCore", "RPTTestSupport"], exclude: ["Resources"]),
        .testTarget(name: "RPTDicomIntegrationTests", dependencies: [
            "RPTCommandLine", "RPTDosimetry", "RPTDicom", "RPTImageIO", "RPTStore", "RPTVolume", "RPTCore", "RPTTestSupport",
        ], exclude: ["Resources"]),
    ],
    swiftLanguageModes: [.v5]
)
