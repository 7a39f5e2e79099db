import Foundation
import XCTest
@testable import RPTCore

final class MathTests: XCTestCase {
    /// cosSinOfTurn against libm's cos/sin of 2πu on 10⁶ seeded turns and the quadrant edges: within
    /// 1e-15 (libm's own argument 2πu carries a rounding error of that order), and cos² + sin² = 1.
    func testCosSinOfTurnMatchesLibm() {
        var rng = RandomStream(seed: 11, stream: 0)
        var turns = [0, 0.125, 0.25, 0.375, 0.5, 0.625, 0.75, 0.875, 1, 0.1249999999, 0.1250000001, 1 - 0x1p-53]
        for _ in 0..<1_000_000 { turns.append(rng.uniform()) }
        var worst = 0.0
        for u in turns {
            let (c, s) = cosSinOfTurn(u)
            let phi = 2 * Double.pi * u
            worst = max(worst, abs(c - cos(phi)), abs(s - sin(phi)))
            XCTAssertEqual(c * c + s * s, 1, accuracy: 1e-15)  // a few ulp
        }
        XCTAssertLessThan(worst, 1e-15)
    }

    /// rotate with (cos φ, sin φ) equals rotate with φ, and keeps unit length and the polar angle.
    func testRotateWithAzimuthPairEqualsAngleForm() {
        var rng = RandomStream(seed: 3, stream: 1)
        for _ in 0..<10_000 {
            let u = rng.isotropicDirection()
            let cosTheta = 2 * rng.uniform() - 1
            let turn = rng.uniform()
            let a = rotate(u, cosTheta: cosTheta, azimuth: cosSinOfTurn(turn))
            let b = rotate(u, cosTheta: cosTheta, phi: 2 * Double.pi * turn)
            XCTAssertLessThan(max(abs(a.x - b.x), abs(a.y - b.y), abs(a.z - b.z)), 1e-14)
            XCTAssertEqual((a * a).sum(), 1, accuracy: 1e-12)
            XCTAssertEqual((a * u).sum(), cosTheta, accuracy: 1e-12)
        }
    }
}
