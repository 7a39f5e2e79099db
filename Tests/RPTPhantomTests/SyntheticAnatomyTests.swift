import XCTest
import RPTCore
import RPTVolume
@testable import RPTPhantom

final class SyntheticAnatomyTests: XCTestCase {
    let p = TestPhantom.patient

    func testEveryNamedRegionHasVoxels() throws {
        XCTAssertEqual(Set(p.labelNames.values), Set(PhantomRegion.allCases.map(\.name)))
        for (label, name) in p.labelNames {
            let n = p.labels.voxels.lazy.filter { $0 == label }.count
            XCTAssertGreaterThan(n, 0, name)
        }
        for name in ["kidney_left", "kidney_right", "body", "lungs", "tumors"] {
            XCTAssertGreaterThan(try p.mask(named: name).voxels.lazy.filter { $0 == 1 }.count, 0, name)
        }
    }

    func testWholeKidneyIsUnionOfCortexAndMedulla() throws {
        let whole = try p.mask(named: "kidney_left").voxels
        let cortex = try p.mask(named: "kidney_left_cortex").voxels
        let medulla = try p.mask(named: "kidney_left_medulla").voxels
        for n in whole.indices { XCTAssertEqual(whole[n], cortex[n] | medulla[n]) }
        XCTAssertEqual(cortex.filter { $0 == 1 }.count + medulla.filter { $0 == 1 }.count, whole.filter { $0 == 1 }.count)
        XCTAssertGreaterThan(medulla.filter { $0 == 1 }.count, 0)
        XCTAssertThrowsError(try p.mask(named: "kidney_middle")) { e in
            XCTAssertEqual((e as? InputError)?.value, "kidney_middle")
        }
    }

    /// Centroid (mm, LPS) of a region, from the label map and the grid only.
    func centroid(_ name: String) throws -> SIMD3<Double> {
        let m = try p.mask(named: name)
        var sum = SIMD3<Double>.zero, n = 0.0
        for i in m.voxels.indices where m.voxels[i] == 1 {
            let v = m.grid.voxelIndex(i)
            sum += m.grid.world(continuousIndex: SIMD3(Double(v.x), Double(v.y), Double(v.z)))
            n += 1
        }
        return sum / n
    }

    /// DICOM LPS: +x is the patient's left. Left kidney, spleen and left lung at +x; liver and right kidney at −x.
    func testLeftAndRightFollowLPS() throws {
        XCTAssertGreaterThan(try centroid("kidney_left").x, 40)
        XCTAssertLessThan(try centroid("kidney_right").x, -40)
        XCTAssertLessThan(try centroid("liver").x, -20)
        XCTAssertGreaterThan(try centroid("spleen").x, 40)
        XCTAssertGreaterThan(try centroid("lung_left").x, 40)
        XCTAssertLessThan(try centroid("lung_right").x, -40)
        // Kidneys and spine posterior (+y) of the liver; lungs superior (+z) to the kidneys.
        XCTAssertGreaterThan(try centroid("kidney_left").y, try centroid("liver").y)
        XCTAssertGreaterThan(try centroid("red_marrow").y, 20)
        XCTAssertGreaterThan(try centroid("lungs").z, try centroid("kidneys").z + 100)
    }

    func testTumourSizesAreInTheRequestedRange() throws {
        for name in ["tumor_1", "tumor_2", "tumor_3"] {
            let ml = try p.truth.region(named: name).volumeML
            let diameterCM = 2 * pow(3 * ml / (4 * Double.pi), 1.0 / 3)
            XCTAssertTrue((1.5...4.5).contains(diameterCM), "\(name): equivalent diameter \(diameterCM) cm")
        }
    }

    /// Mean and spread of the CT numbers per region against typical unenhanced values.
    func testHounsfieldUnitsPerRegion() throws {
        func stats(_ label: UInt16?) -> (mean: Double, sd: Double) {
            var s = 0.0, s2 = 0.0, n = 0.0
            for i in p.ct.voxels.indices where label == nil ? p.labels.voxels[i] == 0 : p.labels.voxels[i] == label {
                let v = Double(p.ct.voxels[i]); s += v; s2 += v * v; n += 1
            }
            let m = s / n
            return (m, (s2 / n - m * m).squareRoot())
        }
        let expected: [(PhantomRegion, ClosedRange<Double>)] = [
            (.lungLeft, -850 ... -750), (.lungRight, -850 ... -750), (.liver, 45...65), (.spleen, 35...60),
            (.kidneyLeftCortex, 20...45), (.kidneyRightMedulla, 15...40), (.pancreas, 25...55),
            (.redMarrow, 200...300), (.corticalBone, 600...1400), (.remainder, -90...60),
            (.tumor1, 20...60), (.tumor2, 20...60), (.tumor3, 20...60),
        ]
        for (region, range) in expected {
            let m = stats(region.label).mean
            XCTAssertTrue(range.contains(m), "\(region.name): mean \(m) HU not in \(range)")
        }
        let air = stats(nil)
        XCTAssertEqual(air.mean, -1000, accuracy: 1)
        // The liver is a single tissue: its spread is the configured noise (σ = 15 HU) ± 10 %.
        XCTAssertEqual(stats(PhantomRegion.liver.label).sd, TestPhantom.config().ctNoiseSigmaHU, accuracy: 1.5)
    }

    func testGridIsCentredLPS() {
        let g = p.ct.grid
        XCTAssertEqual(g.direction, .identity)
        let far = SIMD3<Double>(Double(g.shape.x - 1), Double(g.shape.y - 1), Double(g.shape.z - 1))
        let centre = (g.world(continuousIndex: .zero) + g.world(continuousIndex: far)) / 2
        XCTAssertEqual((centre * centre).sum().squareRoot(), 0, accuracy: 1e-9)
        XCTAssertEqual(p.labels.grid, g)
    }

    func testMassesUseNominalDensities() throws {
        let liver = try p.truth.region(named: "liver")
        XCTAssertEqual(liver.massG, liver.volumeML * 1.06, accuracy: 1e-6 * liver.massG)
        let lungs = try p.truth.region(named: "lungs")
        XCTAssertEqual(lungs.massG, lungs.volumeML * 0.26, accuracy: 1e-6 * lungs.massG)
        // Organ volumes close to the reference adult (liver 1.5–2 L, kidney 120–200 mL, spleen 150–250 mL).
        XCTAssertTrue((1400...2100).contains(liver.volumeML), "liver \(liver.volumeML) mL")
        XCTAssertTrue((110...210).contains(try p.truth.region(named: "kidney_left").volumeML))
        XCTAssertTrue((140...280).contains(try p.truth.region(named: "spleen").volumeML))
    }
}
