import ArgumentParser
import Foundation
import RPTCore
import RPTWorkflow
import RPTKernels

/// `rptdose compare A.h5 B.h5`: region mean differences, difference maps, DVHs and gamma of B against A.
struct CompareCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Compare two dose files (A = reference): region mean differences, difference maps, DVHs, 3-D gamma.")

    @Argument(help: "Reference dose file (HDF5 with a 'dose' volume, or an image).", completion: .file()) var a: String
    @Argument(help: "Evaluated dose file.", completion: .file()) var b: String
    @Option(help: "Label map of the regions (default: the 'regions' volume of a dosimetry.h5).", completion: .file()) var labels: String?
    @Option(help: "CSV label,name for --labels.", completion: .file()) var labelNames: String?
    @Option(help: "Gamma criteria 'dose%,DTA mm' (global).") var gamma: String = "3,3"
    @Option(help: "Gamma lower dose threshold (% of max A).") var gammaThreshold: Double = 10
    @Option(help: "Bins of the dose–volume histograms.") var dvhBins: Int = 200
    @Flag(help: "Resample B onto A's grid (trilinear) when the grids differ, instead of failing.") var resample = false
    @Option(help: "Output HDF5 (difference maps, gamma map, region table, DVHs).", completion: .file()) var out: String?

    func run() throws {
        let c = try Self.parseGamma(gamma)
        guard dvhBins >= 1 else { throw InputError(source: "--dvh-bins", value: "\(dvhBins)", reason: "must be ≥ 1") }
        if labelNames != nil && labels == nil {
            throw InputError(source: "--label-names", reason: "needs --labels")
        }
        var cmp = try DoseFileComparison(fileA: a, fileB: b, labels: labels, labelNames: labelNames, resample: resample,
                                         criteria: GammaCriteria(doseDifferencePercent: c.0, distanceToAgreementMM: c.1,
                                                                 lowerDoseThresholdPercent: gammaThreshold))
        try cmp.compute(dvhBins: dvhBins)
        print(cmp.renderTable(), terminator: "")
        if let out {
            try cmp.write(to: out)
            print("wrote \(out)")
        }
    }

    /// "3,3" → (3 %, 3 mm).
    static func parseGamma(_ s: String) throws -> (Double, Double) {
        let p = s.split(separator: ",").map { Double($0.trimmingCharacters(in: .whitespaces)) }
        guard p.count == 2, let d = p[0], let r = p[1], d > 0, r > 0, d.isFinite, r.isFinite else {
            throw InputError(source: "--gamma", value: s, reason: "expected 'dose%,DTA mm' with both > 0, e.g. 3,3")
        }
        return (d, r)
    }
}
