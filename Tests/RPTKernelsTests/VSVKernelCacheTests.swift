import XCTest
import Foundation
import RPTCore
@testable import RPTKernels

final class VSVKernelCacheTests: XCTestCase {
    var folder = ""

    override func setUpWithError() throws {
        folder = NSTemporaryDirectory() + "rpt-vsv-cache-\(getpid())-\(UUID().uuidString)"
    }

    override func tearDown() { try? FileManager.default.removeItem(atPath: folder) }

    func testStoreAndLoadRoundTripExactly() throws {
        var kernel = TestFields.kernel(shape: SIMD3(5, 3, 7), voxelMM: SIMD3(4.7952, 4.7952, 3.0))
        kernel.nuclide = "Lu-177"; kernel.medium = "ICRU soft tissue"
        kernel.uncertaintiesGyPerBqS = kernel.valuesGyPerBqS.map { $0 * 0.013 }
        kernel.provenance = ["code": "RPTDose MC", "histories": "1e8"]
        let cache = VSVKernelCache(directory: folder + "/kernels")
        let key = VSVKernelKey(kernel)
        XCTAssertNil(try cache.load(key))
        let path = try cache.store(kernel)
        XCTAssertTrue(path.hasSuffix("vsv_Lu-177_ICRU_soft_tissue_4.7952x4.7952x3.0000mm.json"), path)
        XCTAssertEqual(try cache.load(key), kernel)   // bit-exact doubles through JSON
        // Overwrite in place; no temporary files left behind.
        kernel.provenance["histories"] = "2e8"
        try cache.store(kernel)
        XCTAssertEqual(try cache.load(key)?.provenance["histories"], "2e8")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder + "/kernels").count, 1)
        // A different voxel size is a different key.
        XCTAssertNil(try cache.load(VSVKernelKey(nuclide: "Lu-177", medium: "ICRU soft tissue",
                                                 voxelSizeMM: SIMD3(4, 4, 4))))
    }

    func testCorruptOrMismatchedFilesAreRefused() throws {
        let cache = VSVKernelCache(directory: folder)
        let kernel = TestFields.kernel(shape: SIMD3(3, 3, 3), voxelMM: SIMD3(2, 2, 2))
        let path = try cache.store(kernel)
        var text = try String(contentsOfFile: path, encoding: .utf8)
        text = text.replacingOccurrences(of: "\"formatVersion\":1", with: "\"formatVersion\":9")
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try cache.load(VSVKernelKey(kernel))) { e in
            XCTAssertEqual((e as? InputError)?.field, "formatVersion")
        }
        // A file renamed to another key's name is detected.
        try cache.store(kernel)
        let otherKey = VSVKernelKey(nuclide: "Y-90", medium: kernel.medium, voxelSizeMM: kernel.voxelSizeMM)
        try FileManager.default.moveItem(atPath: path, toPath: cache.path(for: otherKey))
        XCTAssertThrowsError(try cache.load(otherKey))
        var bad = kernel
        bad.valuesGyPerBqS.removeLast()
        XCTAssertThrowsError(try cache.store(bad)) { e in
            XCTAssertEqual((e as? InputError)?.field, "valuesGyPerBqS")
        }
    }
}
