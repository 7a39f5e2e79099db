import Foundation
@testable import RPTRegistration
import RPTImageIO
import RPTVolume
import XCTest

/// The transform files RPTDose hands to transformix describe the output grid as ITK does (elastix 5.0 writes the
/// `Direction` of a MetaImage it read in the order of the file's `TransformMatrix`: checked by hand with elastix
/// 5.0.1 on an oblique image; docs/methods/registration.md).
final class ElastixTransformFileTests: XCTestCase {
    func testOutputGridMatchesTheMetaImageHeaderOfTheSameGrid() throws {
        let dir = NSTemporaryDirectory() + "rpt-elastix-tp-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        // A 90° rotation about z, then a small tilt: every direction element differs.
        let c = cos(0.1), s = sin(0.1)
        let direction = Matrix3(columns: SIMD3(0, c, s), SIMD3(-1, 0, 0), SIMD3(0, -s, c))
        let grid = Grid3D(shape: SIMD3(5, 6, 7), spacing: SIMD3(1.5, 2, 2.5), origin: SIMD3(-10, 20, 30.5), direction: direction)
        try ImageIO.write(Volume<Float>(grid: grid, repeating: 0, unit: ""), to: dir + "/image.mhd")
        let header = try String(contentsOfFile: dir + "/image.mhd", encoding: .utf8)
        func numbers(_ line: String?) -> [Double] {
            (line ?? "").split(whereSeparator: { " =()\"".contains($0) }).compactMap { Double($0) }
        }
        let matrix = numbers(header.split(separator: "\n").first { $0.hasPrefix("TransformMatrix") }.map(String.init))
        let offset = numbers(header.split(separator: "\n").first { $0.hasPrefix("Offset") }.map(String.init))

        let rigid = "(Transform \"EulerTransform\")\n(Size 1 1 1)\n(Spacing 1 1 1)\n(Origin 0 0 0)\n(Direction 1 0 0 0 1 0 0 0 1)\n"
        let path = try ElastixTransform(parameterTexts: [rigid]).write(to: dir, outputGrid: grid, interpolation: .nearest, fill: 0)
        let text = try String(contentsOfFile: path, encoding: .utf8)
        func value(_ key: String) -> [Double] { numbers(ElastixTransform.value(of: key, in: text)) }
        XCTAssertEqual(matrix.count, 9)
        for (a, b) in zip(value("Direction"), matrix) { XCTAssertEqual(a, b, accuracy: 1e-9) }
        for (a, b) in zip(value("Origin"), offset) { XCTAssertEqual(a, b, accuracy: 1e-9) }
        XCTAssertEqual(value("Size"), [5, 6, 7])
        XCTAssertEqual(value("Spacing"), [1.5, 2, 2.5])
        // Nearest neighbour is the zeroth-order B-spline (elastix 5.0.1 has no FinalNearestNeighborInterpolator).
        XCTAssertEqual(ElastixTransform.value(of: "ResampleInterpolator", in: text), "FinalBSplineInterpolator")
        XCTAssertEqual(ElastixTransform.value(of: "FinalBSplineInterpolationOrder", in: text), "0")
        XCTAssertEqual(ElastixTransform.value(of: "InitialTransformParametersFileName", in: text), "NoInitialTransform")
    }

    /// transformix resamples a label map by nearest neighbour exactly: a translation by one voxel shifts the labels
    /// by one voxel, with no value that is not a label.
    func testNearestNeighbourResamplingOfLabels() throws {
        let reg = ElastixRegistration(tools: try ElastixTools.locate(), parameterFiles: [])
        let grid = Grid3D(shape: SIMD3(6, 5, 4), spacing: SIMD3(2, 2, 2), origin: SIMD3(-5, -4, -3))
        let labels = Volume(grid: grid, voxels: (0..<grid.voxelCount).map { Double(($0 * 7) % 5 + 1) }, unit: "label")
        let euler = """
        (Transform "EulerTransform")
        (NumberOfParameters 6)
        (TransformParameters 0 0 0 2 0 0)
        (CenterOfRotationPoint 0 0 0)
        (ComputeZYX "false")
        (HowToCombineTransforms "Compose")
        (FixedImageDimension 3)
        (MovingImageDimension 3)
        (FixedInternalImagePixelType "float")
        (MovingInternalImagePixelType "float")
        (UseDirectionCosines "true")
        (Resampler "DefaultResampler")
        """
        let out = try reg.resample(labels, with: ElastixTransform(parameterTexts: [euler]), onto: grid,
                                   interpolation: .nearest, fill: 0)
        for k in 0..<4 { for j in 0..<5 { for i in 0..<6 {
            let expected = i < 5 ? labels.voxels[grid.linearIndex(i + 1, j, k)] : 0
            XCTAssertEqual(out.voxels[grid.linearIndex(i, j, k)], expected, "voxel \(i) \(j) \(k)")
        } } }
    }
}
