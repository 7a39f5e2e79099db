import Foundation
import RPTCore
import RPTVolume
import XCTest
@testable import RPTReport

final class SliceRendererTests: XCTestCase {
    // 20 × 16 × 12 voxels of 1 × 1.5 × 3 mm: a 20 × 24 × 36 mm box.
    let grid = Grid3D(shape: SIMD3(20, 16, 12), spacing: SIMD3(1, 1.5, 3), origin: SIMD3(-10, -12, -18))
    /// Marker at patient left (high i → +x), anterior (low j → −y), superior (high k → +z).
    let marker = SIMD3(17, 2, 10)

    private func ct(grid g: Grid3D, markerAt m: SIMD3<Int>) -> Volume<Int16> {
        var v = Volume<Int16>(grid: g, repeating: 40, unit: "HU")
        v[m.x, m.y, m.z] = 1000
        return v
    }

    private func brightest(_ s: RenderedSlice) -> (column: Int, row: Int) {
        var best = (0, 0), value = -1
        for y in 0..<s.image.height {
            for x in 0..<s.image.width {
                let c = s.image.color(x: x, y: y)
                if Int(c.red) > value { value = Int(c.red); best = (x, y) }
            }
        }
        return best
    }

    func testMarkerAppearsInTheRadiologicalCorner() throws {
        let renderer = try SliceRenderer(ct: ct(grid: grid, markerAt: marker))
        let p = renderer.voxelCentre(marker.x, marker.y, marker.z)
        // Expected corners: axial — patient left on image right, anterior up; coronal — left on the
        // right, superior up; sagittal — anterior on the left, superior up.
        let expectations: [(SlicePlane, right: Bool, top: Bool, size: (Int, Int))] = [
            (.axial, true, true, (20, 24)), (.coronal, true, true, (20, 36)), (.sagittal, false, true, (24, 36)),
        ]
        for (plane, right, top, size) in expectations {
            let s = renderer.render(plane, through: p)
            XCTAssertEqual(s.pixelSizeMM, 1)
            XCTAssertEqual(s.image.width, size.0, "\(plane) width (square 1 mm pixels)")
            XCTAssertEqual(s.image.height, size.1, "\(plane) height (square 1 mm pixels)")
            let b = brightest(s)
            XCTAssertEqual(b.column > s.image.width / 2, right, "\(plane): marker column \(b.column)")
            XCTAssertEqual(b.row < s.image.height / 2, top, "\(plane): marker row \(b.row)")
            let at = try XCTUnwrap(s.pixel(containing: p))
            XCTAssertEqual(s.image.color(x: at.column, y: at.row), .white, "\(plane): marker centre at full intensity")
        }
        XCTAssertEqual(SlicePlane.axial.edgeLetters.right, "L")
        XCTAssertEqual(SlicePlane.sagittal.edgeLetters.left, "A")
    }

    /// The same anatomy stored with flipped i and j axes (direction diag(−1, −1, 1)) renders identically.
    func testDisplayDependsOnPatientSpaceNotOnStorageOrder() throws {
        let n = grid.shape
        let far = grid.world(continuousIndex: SIMD3(Double(n.x - 1), Double(n.y - 1), 0))
        let flipped = Grid3D(shape: n, spacing: grid.spacing, origin: far,
                             direction: Matrix3(columns: SIMD3(-1, 0, 0), SIMD3(0, -1, 0), SIMD3(0, 0, 1)))
        let a = ct(grid: grid, markerAt: marker)
        var b = Volume<Int16>(grid: flipped, repeating: 0)
        for k in 0..<n.z { for j in 0..<n.y { for i in 0..<n.x { b[n.x - 1 - i, n.y - 1 - j, k] = a[i, j, k] } } }
        let ra = try SliceRenderer(ct: a), rb = try SliceRenderer(ct: b)
        let p = ra.voxelCentre(marker.x, marker.y, marker.z)
        XCTAssertEqual(rb.voxelCentre(n.x - 1 - marker.x, n.y - 1 - marker.y, marker.z), p)
        for plane in SlicePlane.allCases {
            let ia = ra.render(plane, through: p).image, ib = rb.render(plane, through: p).image
            XCTAssertEqual(ia.width, ib.width); XCTAssertEqual(ia.height, ib.height)
            guard ia.pixels.count == ib.pixels.count else { continue }
            // Equal up to one grey level (interpolation weights are summed in another order).
            let worst = zip(ia.pixels, ib.pixels).map { abs(Int($0) - Int($1)) }.max() ?? 0
            XCTAssertLessThanOrEqual(worst, 1, "\(plane)")
            XCTAssertGreaterThan(ia.pixels.filter { $0 > 200 }.count, 0, "\(plane): marker visible")
        }
    }

    func testDoseWashThresholdAndOutlines() throws {
        let ctVolume = Volume<Int16>(grid: grid, repeating: 40, unit: "HU")
        var dose = Volume<Double>(grid: grid, repeating: 0, unit: "Gy")
        var labels = Volume<UInt16>(grid: grid, repeating: 0, unit: "label")
        for k in 0..<12 { for j in 4...8 { for i in 5...9 { labels[i, j, k] = 3; dose[i, j, k] = 5 } } }
        dose[15, 12, 6] = 0.9  // below the 1 Gy threshold
        let renderer = try SliceRenderer(ct: ctVolume, dose: dose, labels: labels)
        let style = DoseOverlayStyle(lowerGy: 1, upperGy: 10, opacity: 0.5)
        let outline = RegionOutlineStyle(label: 3, name: "Kidney", color: RGBColor(hex: "#ff00ff")!)
        let p = renderer.voxelCentre(7, 6, 6)
        let s = renderer.render(.axial, through: p, options: SliceRenderOptions(dose: style, outlines: [outline]))
        let grey = RGBColor(red: 128, green: 128, blue: 128)  // 40 HU in W400/L40: (40 + 160)/400 · 255
        let centre = try XCTUnwrap(s.pixel(containing: p))
        // Inside: grey blended half-and-half with viridis at (5 − 1)/(10 − 1).
        let wash = ColorMap.viridis.entries[Int((4.0 / 9 * 255).rounded())]
        let expected = RGBColor(red: UInt8(((128 + Double(wash.red)) / 2).rounded()),
                                green: UInt8(((128 + Double(wash.green)) / 2).rounded()),
                                blue: UInt8(((128 + Double(wash.blue)) / 2).rounded()))
        XCTAssertEqual(s.image.color(x: centre.column, y: centre.row), expected)
        let low = try XCTUnwrap(s.pixel(containing: renderer.voxelCentre(15, 12, 6)))
        XCTAssertEqual(s.image.color(x: low.column, y: low.row), grey, "below threshold: no colour")
        // Outline: the left edge column of the box (voxel i = 5) is magenta, the voxel left of it grey.
        let edge = try XCTUnwrap(s.pixel(containing: renderer.voxelCentre(5, 6, 6)))
        XCTAssertEqual(s.image.color(x: edge.column, y: edge.row), outline.color)
        XCTAssertEqual(s.image.color(x: edge.column - 1, y: edge.row), grey)
        // Every outline pixel borders a pixel that is not outline-coloured and not inside the box.
        var outlined = 0
        for y in 0..<s.image.height { for x in 0..<s.image.width where s.image.color(x: x, y: y) == outline.color {
            outlined += 1
            let w = s.world(column: x, row: y)
            let ijk = grid.continuousIndex(world: w).rounded(.toNearestOrAwayFromZero)
            XCTAssertTrue((5...9).contains(Int(ijk.x)) && (4...8).contains(Int(ijk.y)), "outline outside the region")
        } }
        XCTAssertGreaterThan(outlined, 12)
        XCTAssertEqual(s.outlines, [outline])
        XCTAssertEqual(s.doseStyle, style)
    }

    func testMismatchedDoseGridIsRejected() throws {
        let other = Grid3D(shape: SIMD3(20, 16, 11), spacing: grid.spacing, origin: grid.origin)
        XCTAssertThrowsError(try SliceRenderer(ct: Volume<Int16>(grid: grid, repeating: 0),
                                               dose: Volume<Double>(grid: other, repeating: 0))) {
            XCTAssertEqual(($0 as? InputError)?.source, "dose map")
        }
    }

    func testMaximumDimensionLimitsTheImage() throws {
        let renderer = try SliceRenderer(ct: Volume<Int16>(grid: grid, repeating: 0))
        let s = renderer.render(.coronal, through: renderer.voxelCentre(0, 0, 0),
                                options: SliceRenderOptions(pixelSizeMM: 0.1, maximumDimension: 90))
        XCTAssertEqual(s.image.height, 90)
        XCTAssertEqual(s.image.width, 50)  // 20 mm at 36/90 = 0.4 mm per pixel
        XCTAssertEqual(s.pixelSizeMM, 0.4, accuracy: 1e-12)
    }
}
