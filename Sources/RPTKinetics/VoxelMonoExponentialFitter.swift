import RPTCore

/// Outcome of one voxel's fit. Anything but `.success` means: use the region kinetics for this voxel.
public enum VoxelFitStatus: UInt8, Sendable {
    case success = 0
    /// A frame value is ≤ 0 (log undefined).
    case nonPositiveValue = 1
    /// A frame value is NaN or infinite.
    case nonFiniteValue = 2
    /// The last frame is higher than the one before it (increasing tail).
    case increasingTail = 3
    /// The fitted rate is ≤ 0 (no finite integral).
    case notDecaying = 4
    /// The fitted rate is below λ_phys while the rate constraint is on.
    case slowerThanPhysicalDecay = 5
}

/// Fast per-voxel mono-exponential fit for a co-registered series of activity images (not decay corrected).
///
/// ln A(t) = a − λt is fitted by weighted linear least squares with weights 1/rₖ² (rₖ: relative
/// uncertainty of frame k, so σ(ln A) ≈ rₖ). Because the weights do not depend on the voxel, slope and
/// intercept are fixed linear combinations of the ln Aₖ, precomputed once: per voxel the work is one log
/// per frame and two dot products, with no allocation. Ã = e^a/λ (mono-exponential from t = 0).
public struct VoxelMonoExponentialFitter: Sendable {
    public let timesSeconds: [Double]
    public let physicalDecayConstantPerSecond: Double
    public let ratesAtLeastPhysicalDecay: Bool
    private let slopeCoefficients: [Double]
    private let interceptCoefficients: [Double]

    /// - Parameters:
    ///   - timesHours: frame times after administration (h), strictly increasing, ≥ 2 frames.
    ///   - relativeUncertainties: per-frame relative uncertainty (default: equal weights).
    public init(timesHours: [Double], relativeUncertainties: [Double]? = nil, physicalDecayConstantPerSecond: Double,
                ratesAtLeastPhysicalDecay: Bool = true, source: String = "voxel series") throws {
        try validatePhysicalDecayConstant(physicalDecayConstantPerSecond, source: source)
        guard timesHours.count >= 2 else {
            throw InputError(source: source, field: "timesHours", value: "\(timesHours.count) frame(s)",
                             reason: "a voxel mono-exponential fit needs at least 2 frames")
        }
        let rel = relativeUncertainties ?? [Double](repeating: 1, count: timesHours.count)
        guard rel.count == timesHours.count else {
            throw InputError(source: source, field: "relativeUncertainties", value: "\(rel.count) value(s)",
                             reason: "need one per frame (\(timesHours.count))")
        }
        var sw = 0.0, st = 0.0, stt = 0.0
        for (i, t) in timesHours.enumerated() {
            guard t.isFinite, t > 0, i == 0 || t > timesHours[i - 1] else {
                throw InputError(source: source, field: "timesHours[\(i)]", value: "\(t)",
                                 reason: "frame times must be finite, > 0 h and strictly increasing")
            }
            guard rel[i].isFinite, rel[i] > 0 else {
                throw InputError(source: source, field: "relativeUncertainties[\(i)]", value: "\(rel[i])",
                                 reason: "must be a finite number > 0")
            }
            let w = 1 / (rel[i] * rel[i]), ts = t * Units.secondsPerHour
            sw += w; st += w * ts; stt += w * ts * ts
        }
        let det = sw * stt - st * st
        var slope = [Double](), intercept = [Double]()
        for (i, t) in timesHours.enumerated() {
            let w = 1 / (rel[i] * rel[i]), ts = t * Units.secondsPerHour
            slope.append(w * (sw * ts - st) / det)
            intercept.append(w * (stt - st * ts) / det)
        }
        timesSeconds = timesHours.map { $0 * Units.secondsPerHour }
        self.physicalDecayConstantPerSecond = physicalDecayConstantPerSecond
        self.ratesAtLeastPhysicalDecay = ratesAtLeastPhysicalDecay
        slopeCoefficients = slope
        interceptCoefficients = intercept
    }

    /// Fits voxels `voxels` (default: all) of `frames` (one buffer per frame, all the same length; activity
    /// per voxel in Bq). Writes Ã (Bq·s; NaN on failure) and the status of each voxel. Disjoint voxel
    /// ranges may be processed concurrently. Returns the number of successful voxels.
    @discardableResult
    public func fit(frames: [UnsafeBufferPointer<Float>], timeIntegratedActivityBqS: UnsafeMutableBufferPointer<Double>,
                    status: UnsafeMutableBufferPointer<UInt8>, voxels: Range<Int>? = nil,
                    source: String = "voxel series") throws -> Int {
        let frameCount = timesSeconds.count
        guard frames.count == frameCount else {
            throw InputError(source: source, field: "frames", value: "\(frames.count) frame(s)",
                             reason: "need one frame per time (\(frameCount))")
        }
        let voxelCount = frames[0].count
        for (i, frame) in frames.enumerated() where frame.count != voxelCount {
            throw InputError(source: source, field: "frames[\(i)]", value: "\(frame.count) voxels",
                             reason: "all frames must have \(voxelCount) voxels")
        }
        let range = voxels ?? 0..<voxelCount
        guard range.lowerBound >= 0, range.upperBound <= voxelCount,
              timeIntegratedActivityBqS.count >= range.upperBound, status.count >= range.upperBound else {
            throw InputError(source: source, field: "voxels", value: "\(range)",
                             reason: "range must lie within the frames (\(voxelCount)) and the output buffers")
        }
        let lambdaMin = ratesAtLeastPhysicalDecay ? physicalDecayConstantPerSecond : 0
        var successes = 0
        frames.withUnsafeBufferPointer { framePointers in
            slopeCoefficients.withUnsafeBufferPointer { cs in
                interceptCoefficients.withUnsafeBufferPointer { ci in
                    for v in range {
                        var slope = 0.0, intercept = 0.0, previous = 0.0, last = 0.0
                        var code = VoxelFitStatus.success
                        for k in 0..<frameCount {
                            let y = Double(framePointers[k][v])
                            if !y.isFinite { code = .nonFiniteValue; break }
                            if y <= 0 { code = .nonPositiveValue; break }
                            let ly = _log(y)
                            slope += cs[k] * ly
                            intercept += ci[k] * ly
                            previous = last
                            last = y
                        }
                        let lambda = -slope
                        if code == .success {
                            if last > previous { code = .increasingTail }
                            else if !(lambda > 0) { code = .notDecaying }
                            else if lambda < lambdaMin { code = .slowerThanPhysicalDecay }
                        }
                        if code == .success {
                            timeIntegratedActivityBqS[v] = _exp(intercept) / lambda
                            successes += 1
                        } else {
                            timeIntegratedActivityBqS[v] = .nan
                        }
                        status[v] = code.rawValue
                    }
                }
            }
        }
        return successes
    }
}
