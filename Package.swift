// swift-tools-version: 6.1
// RPTDose — Monte Carlo dose engine and treatment planner for radiopharmaceutical therapy.
//
// Module dependencies point one way, from RPTCore (maths, random streams, errors) through the domain modules
// (physics, volumes, transport, kinetics, planner, kernels, images, HDF5, DICOM, dosimetry, report) to the
// application layer RPTWorkflow, then RPTValidation, RPTCommandLine and the executable. The generated map and
// the rules it keeps: docs/architecture.md (scripts/architecture.py --check, run by `make test`).
import PackageDescription


let package = Package(
    name: "RPTDose",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "rptdose", targets: ["rptdose"]),
        .library(name: "RPTDose", targets: ["RPTCore", "RPTPhysics", "RPTVolume", "RPTTransport",
                                            "RPTPhantom", "RPTKinetics", "RPTPlanner", "RPTKernels",
                                            "RPTDicom", "RPTReport", "RPTImageIO", "RPTStore", "RPTValidation", "RPTDosimetry",
                                            "RPTStudyReport", "RPTYAML", "RPTWorkflow", "RPTCohort", "RPTRegistration",
                                            "RPTCommandLine"]),
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
        // DICOM parsing and pixel decoding through GDCM 3 (Debian libgdcm-dev), behind a small C interface.
        // libgdcm-dev ships no pkg-config file, hence the explicit include path and libraries.
        .target(name: "CGDCMShim",
                cxxSettings: [.unsafeFlags(["-isystem", "/usr/include/gdcm-3.0"])],
                linkerSettings: [.linkedLibrary("gdcmMSFF"), .linkedLibrary("gdcmDSED"), .linkedLibrary("gdcmDICT"),
                                 .linkedLibrary("gdcmIOD"), .linkedLibrary("gdcmCommon")]),
        .target(name: "RPTCore", plugins: ["BuildInfoPlugin"]),
        .target(name: "CPrefetch"),
        .target(name: "RPTPhysics", dependencies: ["RPTCore"]),
        .target(name: "RPTVolume", dependencies: ["RPTCore"]),
        .target(name: "RPTTransport", dependencies: ["RPTCore", "RPTPhysics", "RPTVolume", "CPrefetch"]),
        .target(name: "RPTPhantom", dependencies: ["RPTCore", "RPTPhysics", "RPTVolume"]),
        .target(name: "RPTKinetics", dependencies: ["RPTCore"]),
        .target(name: "RPTYAML", dependencies: ["RPTCore", .product(name: "Yams", package: "Yams")]),
        .target(name: "RPTPlanner", dependencies: ["RPTCore", "RPTPhysics", "RPTYAML", .product(name: "Yams", package: "Yams")]),
        .target(name: "RPTKernels", dependencies: ["RPTCore", "RPTVolume", "CKissFFT"]),
        .target(name: "RPTDicom", dependencies: ["RPTCore", "RPTVolume", "CGDCMShim"]),
        .target(name: "RPTReport", dependencies: ["RPTCore", "RPTVolume", "RPTKinetics", "RPTKernels", "CPNG"]),
        .target(name: "RPTImageIO", dependencies: ["RPTCore", "RPTVolume", "CZlib"]),
        .target(name: "RPTStore", dependencies: ["RPTCore", "RPTVolume", "CHDF5"]),
        // Registration of time points with elastix/transformix run as subprocesses (Debian package `elastix`).
        .target(name: "RPTRegistration", dependencies: ["RPTCore", "RPTVolume", "RPTImageIO"]),
        .target(name: "RPTDosimetry", dependencies: [
            "RPTCore", "RPTPhysics", "RPTVolume", "RPTTransport", "RPTPhantom", "RPTKinetics", "RPTKernels",
            "RPTPlanner", "RPTStore", "RPTImageIO", "RPTDicom", "RPTYAML", "RPTRegistration", .product(name: "Yams", package: "Yams"),
        ]),
        .target(name: "RPTStudyReport", dependencies: [
            "RPTCore", "RPTVolume", "RPTKinetics", "RPTKernels", "RPTPlanner", "RPTReport", "RPTStore", "RPTDosimetry", "RPTDicom",
        ]),
        // The application layer: simulation runs (checkpoint, resume, merge), dose-method dispatch, kernel
        // generation and caching, a cycle's dosimetry end to end, planning and reporting entry points.
        .target(name: "RPTWorkflow", dependencies: [
            "RPTCore", "RPTPhysics", "RPTVolume", "RPTTransport", "RPTPhantom", "RPTKinetics", "RPTPlanner",
            "RPTKernels", "RPTDicom", "RPTReport", "RPTImageIO", "RPTStore", "RPTDosimetry", "RPTStudyReport",
        ]),
        .target(name: "RPTValidation", dependencies: ["RPTCore", "RPTPhysics", "RPTVolume", "RPTTransport", "RPTKernels", "RPTWorkflow"]),
        .target(name: "RPTCommandLine", dependencies: [
            "RPTCore", "RPTPhysics", "RPTVolume", "RPTTransport", "RPTPhantom", "RPTKinetics", "RPTPlanner",
            "RPTKernels", "RPTDicom", "RPTReport", "RPTImageIO", "RPTStore", "RPTValidation", "RPTDosimetry", "RPTStudyReport",
            "RPTWorkflow", "RPTCohort",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .target(name: "CMPIShim", condition: .when(traits: ["MPI"])),
        ], swiftSettings: [.define("MPI", .when(traits: ["MPI"]))]),
        .executableTarget(name: "rptdose", dependencies: ["RPTCore", "RPTCommandLine"]),
        // Embeds the git commit and build date into RPTCore (RPTDoseVersion) on every build.
        .plugin(name: "BuildInfoPlugin", capability: .buildTool()),

        .target(name: "RPTTestSupport", dependencies: ["RPTDicom", "RPTPhantom"], path: "Tests/RPTTestSupport", exclude: ["pngprobe.py"]),
        .testTarget(name: "RPTCoreTests", dependencies: ["RPTCore"]),
        .testTarget(name: "RPTVolumeTests", dependencies: ["RPTVolume"]),
        .testTarget(name: "RPTPhysicsTests", dependencies: ["RPTPhysics"]),
        .testTarget(name: "RPTStoreTests", dependencies: ["RPTStore", "RPTVolume", "RPTCore", "RPTTestSupport"]),
        .testTarget(name: "RPTImageIOTests", dependencies: ["RPTImageIO", "RPTTestSupport"]),
        .testTarget(name: "RPTPhantomTests", dependencies: ["RPTPhantom"]),
        .testTarget(name: "RPTRegistrationTests", dependencies: [
            "RPTRegistration", "RPTDosimetry", "RPTPhantom", "RPTKinetics", "RPTVolume", "RPTCore", "RPTTestSupport",
        ]),
        .testTarget(name: "RPTCommandLineTests", dependencies: ["RPTCommandLine", "RPTWorkflow", "RPTStore", "RPTTransport"]),
        .testTarget(name: "RPTKineticsTests", dependencies: ["RPTKinetics"]),
        .testTarget(name: "RPTTransportTests", dependencies: ["RPTTransport"]),
        .testTarget(name: "RPTReportTests", dependencies: ["RPTReport", "RPTKinetics", "RPTKernels", "RPTVolume", "RPTCore", "RPTTestSupport"]),
        .testTarget(name: "RPTPlannerTests", dependencies: [
            "RPTPlanner", "RPTCore", .product(name: "PropertyBased", package: "swift-property-based"),
        ]),
        .testTarget(name: "RPTKernelsTests", dependencies: ["RPTKernels", "RPTVolume", "RPTCore"]),
        .testTarget(name: "RPTValidationTests", dependencies: ["RPTValidation"]),
        .testTarget(name: "RPTDosimetryTests", dependencies: ["RPTTestSupport", 
            "RPTDosimetry", "RPTCommandLine", "RPTWorkflow", "RPTPhantom", "RPTKinetics", "RPTPhysics", "RPTTransport", "RPTImageIO", "RPTVolume", "RPTCore",
        ]),
        .testTarget(name: "RPTScaleOutTests", dependencies: ["RPTCommandLine", "RPTWorkflow", "RPTStore", "RPTTransport", "RPTVolume", "RPTCore"]),
        .testTarget(name: "RPTStudyReportTests", dependencies: [
            "RPTStudyReport", "RPTCommandLine", "RPTWorkflow", "RPTReport", "RPTDosimetry", "RPTStore", "RPTVolume", "RPTCore", "RPTTestSupport",
            "RPTPhantom", "RPTImageIO",
        ]),
        .testTarget(name: "RPTDoseMethodsTests", dependencies: ["RPTTestSupport", 
            "RPTCommandLine", "RPTWorkflow", "RPTStore", "RPTTransport", "RPTKernels", "RPTPhysics", "RPTVolume", "RPTCore",
        ]),
        .testTarget(name: "RPTWorkflowTests", dependencies: ["RPTWorkflow", "RPTStore", "RPTTransport", "RPTPhysics", "RPTVolume", "RPTCore"],
                    exclude: ["fixed-seed-digests.json"]),
        .testTarget(name: "RPTDicomTests", dependencies: ["RPTDicom", "RPTVolume", "RPTCore", "RPTTestSupport"], exclude: ["Resources"]),
        .testTarget(name: "RPTDicomIntegrationTests", dependencies: [
            "RPTCommandLine", "RPTWorkflow", "RPTDosimetry", "RPTDicom", "RPTPhantom", "RPTImageIO", "RPTStore", "RPTVolume", "RPTCore", "RPTTestSupport",
        ], exclude: ["Resources"]),

        // Cohort endpoints and follow-up records (issue 17): SQLite through Debian libsqlite3-dev.
        .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),
        .target(name: "RPTCohort", dependencies: ["RPTCore", "RPTPhysics", "RPTVolume", "RPTImageIO", "RPTKinetics", "RPTPlanner", "RPTDosimetry", "RPTReport", "CSQLite"]),
        .testTarget(name: "RPTCohortTests", dependencies: ["RPTCohort", "RPTCore", "RPTTestSupport"]),
        .testTarget(name: "RPTReliabilityTests", dependencies: ["RPTTestSupport", 
            "RPTDosimetry", "RPTDicom", "RPTTransport", "RPTImageIO", "RPTStore", "RPTVolume", "RPTCore",
        ]),
    ],
    swiftLanguageModes: [.v5]
)
