import XCTest
import RPTCore
@testable import RPTKinetics

final class VoxelFitTests: XCTestCase {
    let timesHours = [4.0, 24, 48, 72, 96]
    let relative = [0.1, 0.05, 0.05, 0.06, 0.08]

    private func run(_ frames: [[Float]], fitter: VoxelMonoExponentialFitter) throws -> ([Double], [UInt8], Int) {
        let n = frames[0].count
        var tia = [Double](repeating: 0, count: n), status = [UInt8](repeating: 255, count: n)
        // Frames copied into owned buffers (as an image reader would hand them over).
        let owned = frames.map { frame -> UnsafeMutableBufferPointer<Float> in
            let b = UnsafeMutableBufferPointer<Float>.allocate(capacity: frame.count)
            _ = b.initialize(from: frame)
            return b
        }
        defer { owned.forEach { $0.deallocate() } }
        let buffers = owned.map { UnsafeBufferPointer($0) }
        let successes = try tia.withUnsafeMutableBufferPointer { t in
            try status.withUnsafeMutableBufferPointer { s in
                try fitter.fit(frames: buffers, timeIntegratedActivityBqS: t, status: s)
            }
        }
        return (tia, status, successes)
    }

    /// Noiseless mono-exponential voxels: Ã = A₀/λ to Float rounding (1e-5 relative); noisy voxels agree
    /// with an independent Double weighted log-linear regression.
    func testMonoExponentialVoxels() throws {
        let fitter = try VoxelMonoExponentialFitter(timesHours: timesHours, relativeUncertainties: relative,
                                                    physicalDecayConstantPerSecond: lu177DecayConstantPerSecond)
        var rng = RandomStream(seed: 3, stream: 0)
        let n = 2000
        var truthA0 = [Double](), truthLambda = [Double]()
        var frames = [[Float]](repeating: [], count: timesHours.count)
        for v in 0..<n {
            let a0 = 1e3 + 1e6 * rng.uniform()
            let lambda = rate(halfLifeHours: 20 + 120 * rng.uniform())  // faster than Lu-177 (159.5 h)
            truthA0.append(a0); truthLambda.append(lambda)
            for (k, t) in timesHours.enumerated() {
                let noisy = v >= n / 2 ? 1 + 0.05 * gaussian(&rng) : 1
                frames[k].append(Float(a0 * exp(-lambda * t * 3600) * noisy))
            }
        }
        let (tia, status, successes) = try run(frames, fitter: fitter)
        var expectedSuccesses = 0
        for v in 0..<n {
            // Independent regression in Double on the same Float data.
            var sw = 0.0, st = 0.0, stt = 0.0, sy = 0.0, sty = 0.0
            for k in timesHours.indices {
                let w = 1 / (relative[k] * relative[k]), t = timesHours[k] * 3600, y = log(Double(frames[k][v]))
                sw += w; st += w * t; stt += w * t * t; sy += w * y; sty += w * t * y
            }
            let slope = (sw * sty - st * sy) / (sw * stt - st * st)
            let intercept = (sy - slope * st) / sw
            let lastTwo = (frames[3][v], frames[4][v])
            if v < n / 2 {
                XCTAssertEqual(status[v], VoxelFitStatus.success.rawValue)
                let exact = truthA0[v] / truthLambda[v]
                XCTAssertEqual(tia[v], exact, accuracy: 1e-5 * exact)
            }
            if lastTwo.1 > lastTwo.0 {
                XCTAssertEqual(status[v], VoxelFitStatus.increasingTail.rawValue)
            } else if -slope < lu177DecayConstantPerSecond {
                XCTAssertEqual(status[v], VoxelFitStatus.slowerThanPhysicalDecay.rawValue)
            } else {
                expectedSuccesses += 1
                XCTAssertEqual(status[v], VoxelFitStatus.success.rawValue)
                let expected = exp(intercept) / -slope
                XCTAssertEqual(tia[v], expected, accuracy: 1e-10 * expected)
            }
        }
        XCTAssertEqual(successes, expectedSuccesses)
    }

    func testFailureFlags() throws {
        let fitter = try VoxelMonoExponentialFitter(timesHours: [4, 24, 96],
                                                    physicalDecayConstantPerSecond: lu177DecayConstantPerSecond)
        let frames: [[Float]] = [[10, 10, 10, .nan, 10, 10],
                                 [8, 0, 3, 8, 12, 9.9],
                                 [3, 3, 4, 3, 11, 9.8]]
        let (tia, status, successes) = try run(frames, fitter: fitter)
        XCTAssertEqual(status, [VoxelFitStatus.success, .nonPositiveValue, .increasingTail, .nonFiniteValue,
                                .notDecaying, .slowerThanPhysicalDecay].map(\.rawValue))
        XCTAssertEqual(successes, 1)
        XCTAssertTrue(tia[0].isFinite && tia[0] > 0)
        XCTAssertTrue(tia[1...].allSatisfy { $0.isNaN })
    }

    func testBadConfiguration() {
        XCTAssertThrowsError(try VoxelMonoExponentialFitter(timesHours: [4], physicalDecayConstantPerSecond: 1e-6)) {
            XCTAssertEqual(($0 as? InputError)?.field, "timesHours")
        }
        XCTAssertThrowsError(try VoxelMonoExponentialFitter(timesHours: [4, 4], physicalDecayConstantPerSecond: 1e-6)) {
            XCTAssertEqual(($0 as? InputError)?.field, "timesHours[1]")
        }
    }
}
