import RPTCore

/// The outcome of fitting several models to one series and choosing the one with the lowest AICc.
public struct ModelSelection: Sendable, Equatable {
    /// Fits of every candidate that could be fitted (k < n − 1), in the order given.
    public let fits: [TimeActivityFit]
    /// Candidates not fitted because k ≥ n − 1 (AICc undefined).
    public let skippedModels: [ExponentialModel]
    /// The fit with the lowest AICc (ties go to the model with fewer parameters).
    public let selected: TimeActivityFit

    /// Akaike weights wᵢ = exp(−Δᵢ/2)/Σ exp(−Δⱼ/2), Δᵢ = AICcᵢ − min AICc (Burnham & Anderson 2002, §2.9),
    /// in the order of `fits`.
    public var akaikeWeights: [Double] {
        let values = fits.map(\.aicc)
        guard let best = values.min(), best.isFinite else {
            return values.map { $0 == values.min() ? 1.0 / Double(values.filter { $0 == values.min() }.count) : 0 }
        }
        let raw = values.map { _exp(-($0 - best) / 2) }
        let total = raw.reduce(0, +)
        return raw.map { $0 / total }
    }
}

extension TimeActivityFitter {
    /// Fits every candidate with k < n − 1 and selects by AICc (Burnham & Anderson 2002; recommended for
    /// time-activity-curve model selection by Glatting et al. 2007, Med Phys 34(11):4285, and the EANM
    /// dosimetry guidance). Fits that did not produce a finite χ² are not eligible.
    public func selectModel(for points: [TimeActivityPoint],
                            candidates: [ExponentialModel] = ExponentialModel.allCases) throws -> ModelSelection {
        try validatePhysicalDecayConstant(physicalDecayConstantPerSecond, source: source)
        let smallestK = candidates.map(\.parameterCount).min() ?? 0
        let series = try PreparedSeries(points: points, options: options, source: source, minimumCount: smallestK + 2,
                                        minimumReason: "AICc model selection needs k < n − 1, i.e. at least "
                                            + "\(smallestK + 2) points for the smallest candidate model")
        var fits = [TimeActivityFit](), skipped = [ExponentialModel]()
        for model in candidates {
            if model.parameterCount >= series.count - 1 { skipped.append(model); continue }
            fits.append(fit(model, series: series))
        }
        let eligible = fits.filter { $0.chiSquare.isFinite && $0.timeIntegratedActivity.valueBqS.isFinite }
        guard let selected = eligible.min(by: { $0.ranksBefore($1) }) else {
            throw InputError(source: source, field: "timePoints", value: "\(series.count) point(s)",
                             reason: "no candidate model could be fitted to these points")
        }
        return ModelSelection(fits: fits, skippedModels: skipped, selected: selected)
    }
}
