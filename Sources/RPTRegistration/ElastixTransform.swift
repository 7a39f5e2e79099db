import Foundation
import RPTCore
import RPTVolume

/// A transform found by elastix: its `TransformParameters.N.txt` files in order (rigid first, then the
/// B-spline when there is one). elastix transforms map points of the fixed (reference) image to points of
/// the moving (time-point) image, in LPS millimetres.
public struct ElastixTransform: Sendable, Equatable {
    /// The text of each transform parameter file, in the order elastix wrote them.
    public var parameterTexts: [String]

    public init(parameterTexts: [String]) { self.parameterTexts = parameterTexts }

    /// The `(Transform "…")` name of each stage, e.g. ["EulerTransform", "BSplineTransform"].
    public var stageNames: [String] { parameterTexts.map { Self.value(of: "Transform", in: $0) ?? "?" } }

    /// The transform made of the first `count` stages only (e.g. the rigid part of rigid + deformable).
    public func prefix(_ count: Int) -> ElastixTransform {
        ElastixTransform(parameterTexts: Array(parameterTexts.prefix(count)))
    }

    /// How transformix samples the moving image.
    public enum Interpolation: Sendable {
        /// Trilinear (first-order B-spline): no overshoot, but it smooths like a blur of variance h²/6 per axis
        /// (h the voxel size), which moves activity across organ edges.
        case linear
        /// Cubic B-spline (ITK's interpolating spline): much less smoothing than trilinear; it can overshoot at
        /// steep edges (slightly negative values, which the SPECT resampling sets to 0).
        case cubic
        /// Nearest neighbour (zeroth-order B-spline; elastix 5.0.1 has no separate nearest-neighbour resample
        /// interpolator installed), for label maps.
        case nearest
    }

    /// Writes the chain into `directory` as `TransformParameters.N.txt`, each file pointing to the previous one,
    /// with the output grid, interpolator and fill value of every stage replaced. Returns the last file's path.
    func write(to directory: String, outputGrid g: Grid3D, interpolation: Interpolation, fill: Double) throws -> String {
        var previous = "NoInitialTransform"
        var last = ""
        for (n, text) in parameterTexts.enumerated() {
            var t = text
            t = Self.setting("InitialTransformParametersFileName", "\"\(previous)\"", in: t)
            t = Self.setting("Size", "\(g.shape.x) \(g.shape.y) \(g.shape.z)", in: t)
            t = Self.setting("Spacing", [g.spacing.x, g.spacing.y, g.spacing.z].map(Self.number).joined(separator: " "), in: t)
            t = Self.setting("Origin", [g.origin.x, g.origin.y, g.origin.z].map(Self.number).joined(separator: " "), in: t)
            // ITK direction cosines, column after column (the direction of index axis i, then j, then k).
            let d = [g.direction.c0, g.direction.c1, g.direction.c2].flatMap { [$0.x, $0.y, $0.z] }
            t = Self.setting("Direction", d.map(Self.number).joined(separator: " "), in: t)
            t = Self.setting("Index", "0 0 0", in: t)
            switch interpolation {
            case .linear:
                t = Self.setting("ResampleInterpolator", "\"FinalBSplineInterpolator\"", in: t)
                t = Self.setting("FinalBSplineInterpolationOrder", "1", in: t)
            case .cubic:
                t = Self.setting("ResampleInterpolator", "\"FinalBSplineInterpolator\"", in: t)
                t = Self.setting("FinalBSplineInterpolationOrder", "3", in: t)
            case .nearest:
                t = Self.setting("ResampleInterpolator", "\"FinalBSplineInterpolator\"", in: t)
                t = Self.setting("FinalBSplineInterpolationOrder", "0", in: t)
            }
            t = Self.setting("DefaultPixelValue", Self.number(fill), in: t)
            t = Self.setting("ResultImagePixelType", "\"float\"", in: t)
            t = Self.setting("ResultImageFormat", "\"mhd\"", in: t)
            t = Self.setting("CompressResultImage", "\"false\"", in: t)
            last = directory + "/TransformParameters.\(n).txt"
            try t.write(toFile: last, atomically: true, encoding: .utf8)
            previous = last
        }
        return last
    }

    static func number(_ x: Double) -> String { String(format: "%.10g", x) }

    /// Replaces the line `(key …)` by `(key value)`, or appends it.
    static func setting(_ key: String, _ value: String, in text: String) -> String {
        var lines = text.components(separatedBy: "\n")
        let line = "(\(key) \(value))"
        if let i = lines.firstIndex(where: { $0.hasPrefix("(\(key) ") }) { lines[i] = line } else { lines.append(line) }
        return lines.joined(separator: "\n")
    }

    /// The value of `(key value)` without quotes, or nil.
    static func value(of key: String, in text: String) -> String? {
        guard let l = text.components(separatedBy: "\n").first(where: { $0.hasPrefix("(\(key) ") }) else { return nil }
        return String(l.dropFirst(key.count + 2).dropLast()).trimmingCharacters(in: CharacterSet(charactersIn: " \")"))
    }
}
