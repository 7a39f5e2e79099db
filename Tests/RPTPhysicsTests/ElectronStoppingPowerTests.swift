import Foundation
import XCTest
import RPTCore
@testable import RPTPhysics

/// Shared fixtures of the electron-physics tests.
enum ElectronTestFixtures {
    /// Liquid water as in ICRU Report 37 / NIST ESTAR: H 0.111894, O 0.888106 by mass,
    /// ρ = 1.0 g/cm³, I = 75 eV.
    static let water = Material(name: "water (ICRU 37)", density: 1.0,
                                composition: [(z: 1, massFraction: 0.111894), (z: 8, massFraction: 0.888106)],
                                meanExcitationEnergyEV: 75, source: "ICRU Report 37 (1984); NIST ESTAR")

    static let defaultCuts = try! ElectronCuts(mollerThresholdMeV: 0.010, photonThresholdMeV: 0.010)

    /// Water table with Δ = k_c = 10 keV, built once.
    static let waterTable = try! ElectronMaterialTable(material: water, cuts: defaultCuts)

    /// One row of the ESTAR reference file.
    struct EstarRow {
        let energyMeV, collision, radiative, total, csdaRange, radiationYield: Double
    }

    /// Rows of validation/reference/nist_estar_water.csv (relative to the package root); throws (the test
    /// fails) when the file cannot be read.
    static func estarWater(file: StaticString = #filePath) throws -> [EstarRow] {
        let root = URL(fileURLWithPath: "\(file)").deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let url = root.appendingPathComponent("validation/reference/nist_estar_water.csv")
        let text = try String(contentsOf: url, encoding: .utf8)
        var rows: [EstarRow] = []
        for line in text.split(separator: "\n") where !line.hasPrefix("#") && !line.hasPrefix("kinetic") {
            let v = line.split(separator: ",").compactMap { Double($0.trimmingCharacters(in: .whitespaces)) }
            guard v.count == 6 else { continue }
            rows.append(EstarRow(energyMeV: v[0], collision: v[1], radiative: v[2], total: v[3],
                                 csdaRange: v[4], radiationYield: v[5]))
        }
        XCTAssertEqual(rows.count, 33, "unexpected number of ESTAR rows")
        return rows
    }
}

/// Stopping powers, range and radiation yield of liquid water against NIST ESTAR (Berger, Coursey,
/// Zucker & Chang, NIST SRD 124; ICRU Report 37 method), every row 10 keV – 1 MeV.
final class ElectronStoppingPowerTests: XCTestCase {
    let table = ElectronTestFixtures.waterTable

    func testCollisionStoppingPowerWithinOnePercentOfESTAR() throws {
        for row in try ElectronTestFixtures.estarWater() {
            let s = try table.value(.collisionStoppingPower, energyMeV: row.energyMeV)
            XCTAssertEqual(s / row.collision, 1, accuracy: 0.01, "S_col at \(row.energyMeV) MeV: \(s) vs \(row.collision)")
        }
    }

    func testRadiativeStoppingPowerWithinFivePercentOfESTAR() throws {
        for row in try ElectronTestFixtures.estarWater() {
            let s = try table.value(.radiativeStoppingPower, energyMeV: row.energyMeV)
            XCTAssertEqual(s / row.radiative, 1, accuracy: 0.05, "S_rad at \(row.energyMeV) MeV: \(s) vs \(row.radiative)")
        }
    }

    func testCSDARangeWithinTwoPercentOfESTAR() throws {
        for row in try ElectronTestFixtures.estarWater() {
            let r = table.csdaRange(energyMeV: row.energyMeV)
            XCTAssertEqual(r / row.csdaRange, 1, accuracy: 0.02, "R at \(row.energyMeV) MeV: \(r) vs \(row.csdaRange)")
        }
    }

    /// Y is an integral of S_rad/S_tot, so it inherits the S_rad tolerance: 5 %.
    func testRadiationYieldWithinFivePercentOfESTAR() throws {
        for row in try ElectronTestFixtures.estarWater() {
            let y = table.radiationYield(energyMeV: row.energyMeV)
            XCTAssertEqual(y / row.radiationYield, 1, accuracy: 0.05, "Y at \(row.energyMeV) MeV: \(y) vs \(row.radiationYield)")
        }
    }

    /// L_Δ + n_e ∫_Δ^{T/2} W dσ/dW dW = S_col: the restricted formula against a numerical integral
    /// of the Møller cross section.
    func testRestrictedCollisionPlusHardMollerLossEqualsUnrestricted() {
        let ne = ElectronTestFixtures.water.electronsPerGram
        for (t, cut) in [(0.05, 0.01), (0.3, 0.01), (1.0, 0.02), (3.0, 0.1)] {
            let unrestricted = ElectronCollisionStoppingPower.unrestricted(
                kineticEnergyMeV: t, electronsPerGram: ne, meanExcitationEnergyEV: 75, delta: 0.1)
            let restricted = ElectronCollisionStoppingPower.restricted(
                kineticEnergyMeV: t, cutMeV: cut, electronsPerGram: ne, meanExcitationEnergyEV: 75, delta: 0.1)
            let hard = ne * electronTestSimpson(from: cut, to: t / 2, intervals: 20_000) {
                $0 * MollerScattering.differentialCrossSection(kineticEnergyMeV: t, deltaRayEnergyMeV: $0)
            }
            XCTAssertEqual((restricted + hard) / unrestricted, 1, accuracy: 1e-6, "T=\(t) Δ=\(cut)")
        }
    }

    func testMollerTotalCrossSectionEqualsIntegralOfDifferential() {
        for (t, cut) in [(0.03, 0.01), (0.5, 0.01), (3.0, 0.2)] {
            let numeric = electronTestSimpson(from: cut, to: t / 2, intervals: 20_000) {
                MollerScattering.differentialCrossSection(kineticEnergyMeV: t, deltaRayEnergyMeV: $0)
            }
            let closed = MollerScattering.crossSectionPerElectron(kineticEnergyMeV: t, cutMeV: cut)
            XCTAssertEqual(closed / numeric, 1, accuracy: 1e-6, "T=\(t) Δ=\(cut)")
        }
        XCTAssertEqual(MollerScattering.crossSectionPerElectron(kineticEnergyMeV: 0.015, cutMeV: 0.01), 0)
    }

    func testRestrictedRadiativeAndBremsCrossSectionVanishBelowCut() throws {
        let t = 0.008  // below k_c = 10 keV: every photon is "soft"
        XCTAssertEqual(try table.value(.bremsstrahlungCrossSection, energyMeV: t), 0)
        XCTAssertEqual(try table.value(.restrictedRadiativeStoppingPower, energyMeV: t),
                       try table.value(.radiativeStoppingPower, energyMeV: t), accuracy: 1e-12)
        XCTAssertLessThan(try table.value(.restrictedRadiativeStoppingPower, energyMeV: 1.0),
                          try table.value(.radiativeStoppingPower, energyMeV: 1.0))
    }

    func testResidualRangeInvertsCSDARange() {
        for t in [0.0005, 0.001, 0.0123, 0.1, 0.777, 3.0] {
            let r = table.csdaRange(energyMeV: t)
            XCTAssertEqual(table.energyFromResidualRange(gramPerCm2: r) / t, 1, accuracy: 1e-3, "T=\(t)")
        }
    }

    /// R_L(T₂) − R_L(T₁) = ∫ dT/L (restricted stopping power, Simpson rule), R_L = R below both cuts,
    /// R_L > R above them, and T(R_L(T)) = T.
    func testRestrictedRangeIntegratesRestrictedStoppingPower() throws {
        for (t1, t2) in [(0.02, 0.05), (0.2, 0.3), (2.0, 3.0)] {
            let integral = electronTestSimpson(from: t1, to: t2, intervals: 2000) {
                1 / (try! self.table.value(.restrictedStoppingPower, energyMeV: $0))
            }
            let difference = table.restrictedRange(energyMeV: t2) - table.restrictedRange(energyMeV: t1)
            XCTAssertEqual(difference / integral, 1, accuracy: 1e-3, "\(t1)...\(t2) MeV")
            XCTAssertGreaterThan(table.restrictedRange(energyMeV: t2), table.csdaRange(energyMeV: t2))
            let v = table.view
            let back = withExtendedLifetime(table) { v.energyFromRestrictedRange(gramPerCm2: v.restrictedRange(energyMeV: t2)) }
            XCTAssertEqual(back / t2, 1, accuracy: 1e-3)
        }
        XCTAssertEqual(table.restrictedRange(energyMeV: 0.009) / table.csdaRange(energyMeV: 0.009), 1, accuracy: 1e-9)
    }

    func testDensityEffectVanishesAtLowEnergyInWater() throws {
        XCTAssertEqual(try table.value(.densityEffect, energyMeV: 0.1), 0)
        XCTAssertGreaterThan(try table.value(.densityEffect, energyMeV: 1.0), 0)
    }

    func testEnergyOutsideTableIsAClearError() {
        for t in [0.0005, 3.5, -1, .nan] {
            XCTAssertThrowsError(try table.value(.csdaRange, energyMeV: t)) { error in
                guard let e = error as? InputError else { return XCTFail("not an InputError: \(error)") }
                XCTAssertEqual(e.field, "energy_MeV")
                XCTAssertTrue(e.description.contains("0.001...3.0 MeV"), e.description)
            }
        }
    }

    func testInvalidCutsAndMaterialsAreClearErrors() {
        XCTAssertThrowsError(try ElectronCuts(mollerThresholdMeV: 0.0001)) { error in
            XCTAssertEqual((error as? InputError)?.field, "moller_threshold_MeV")
        }
        XCTAssertThrowsError(try ElectronCuts(photonThresholdMeV: 5)) { error in
            XCTAssertEqual((error as? InputError)?.field, "photon_threshold_MeV")
        }
        let badSum = Material(name: "bad", density: 1, composition: [(z: 1, massFraction: 0.5)],
                              meanExcitationEnergyEV: 75, source: "test")
        XCTAssertThrowsError(try ElectronMaterialTable(material: badSum, cuts: ElectronTestFixtures.defaultCuts)) { error in
            XCTAssertEqual((error as? InputError)?.field, "composition")
        }
        let uranium = Material(name: "uranium", density: 19, composition: [(z: 92, massFraction: 1)],
                               meanExcitationEnergyEV: 890, source: "test")
        XCTAssertThrowsError(try ElectronMaterialTable(material: uranium, cuts: ElectronTestFixtures.defaultCuts)) { error in
            XCTAssertEqual((error as? InputError)?.value, "Z=92")
        }
        let noDensity = Material(name: "vacuum", density: 0, composition: [(z: 8, massFraction: 1)],
                                 meanExcitationEnergyEV: 95, source: "test")
        XCTAssertThrowsError(try ElectronMaterialTable(material: noDensity, cuts: ElectronTestFixtures.defaultCuts)) { error in
            XCTAssertEqual((error as? InputError)?.field, "density")
        }
    }
}

/// Composite Simpson rule on [a, b] with an even number of intervals.
func electronTestSimpson(from a: Double, to b: Double, intervals n: Int, _ f: (Double) -> Double) -> Double {
    let h = (b - a) / Double(n)
    var s = f(a) + f(b)
    for i in 1..<n { s += f(a + Double(i) * h) * (i % 2 == 1 ? 4 : 2) }
    return s * h / 3
}

final class ElectronStepQuantitiesTests: XCTestCase {
    /// The one-logarithm bundle used by the transport loop returns exactly the individual look-ups.
    func testStepQuantitiesEqualIndividualLookups() {
        let v = ElectronTestFixtures.waterTable.view
        for e in [0.0005, 0.001, 0.0123, 0.1333, 0.4977, 2.9] {
            let q = v.stepQuantities(at: v.location(energyMeV: e))
            XCTAssertEqual(q.restrictedStoppingPower, v.restrictedStoppingPower(energyMeV: e))
            XCTAssertEqual(q.csdaRange, v.csdaRange(energyMeV: e))
            XCTAssertEqual(q.moller, v.mollerCrossSection(energyMeV: e))
            XCTAssertEqual(q.bremsstrahlung, v.bremsstrahlungCrossSection(energyMeV: e))
            XCTAssertEqual(q.lambda1, v.firstTransportMeanFreePath(energyMeV: e))
            XCTAssertEqual(q.lambda2, v.secondTransportMeanFreePath(energyMeV: e))
        }
    }
}
