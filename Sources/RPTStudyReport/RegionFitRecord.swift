import Foundation
import RPTCore
import RPTKinetics
import RPTStore

/// The time-activity analysis of one region (`/fits/<region>` of `dosimetry.h5`) with the quantities
/// the report derives from it: the curve, parameter uncertainties, reduced χ² and Akaike weight.
public struct RegionFitRecord: Sendable {
    public var region: String
    /// Method in words (`AICc → biExponentialUptake`, `cycle-1 shape rescaled`, `trapezoid` …).
    public var method: String
    /// The curve integrated for Ã, nil for the trapezoid rule or when there is no activity.
    public var curve: ExponentialCurve?
    /// Parameter covariance (row-major k×k, natural parameters: Bq then 1/s); empty when unavailable.
    public var covariance: [Double]
    public var tiaBqS: Double
    public var tiaStandardUncertaintyBqS: Double
    /// The fitted points: time after administration (h) and activity (Bq).
    public var timesHours: [Double]
    public var activitiesBq: [Double]
    /// AICc of each candidate model (model selection only).
    public var aicc: [(model: String, value: Double)]
    public var note: String
    /// Population prior of a MAP fit (`@prior`) and the fraction of Ã's information it supplied (`@prior_tia_fraction`);
    /// nil / NaN when no prior was used.
    public var priorName: String? = nil
    public var priorTIAFraction: Double = .nan
    /// Cycles 2–3 (`cycle1_clearance`): effective half-life change against cycle 1 and its 1σ (NaN otherwise).
    public var halfLifeChange: Double = .nan
    public var halfLifeChangeUncertainty: Double = .nan

    /// 1σ of each natural parameter from the covariance diagonal (NaN when unavailable).
    public var parameterSigmas: [Double] {
        let k = curve?.parameters.count ?? 0
        guard k > 0, covariance.count == k * k else { return [Double](repeating: .nan, count: k) }
        return (0..<k).map { covariance[$0 * k + $0] >= 0 ? covariance[$0 * k + $0].squareRoot() : .nan }
    }

    /// Free parameters of the method: the model's for an AICc or MAP fit, 1 (the amplitude) for the rescaled
    /// cycle-1 shape, 2 (amplitude and clearance) for the refitted one; nil for methods that do not fit the points (two-point, single-point, trapezoid).
    public var freeParameterCount: Int? {
        guard let curve else { return nil }
        if method.hasPrefix("AICc") { return curve.model.parameterCount }
        if method == "cycle-1 shape rescaled" { return 1 }
        if method == "cycle-1 shape, clearance refitted" { return 2 }
        if method.hasPrefix("MAP") { return curve.model.parameterCount }
        return nil
    }

    /// Reduced χ² of the curve through the points, σᵢ = `relativeUncertainty` × Aᵢ (the weights of the
    /// fit, docs/methods/kinetics.md): Σ((Aᵢ − A(tᵢ))/σᵢ)² / (n − k). Nil without a fitted curve or
    /// without degrees of freedom (n ≤ k).
    public func reducedChiSquare(relativeUncertainty: Double) -> Double? {
        guard let curve, let k = freeParameterCount, activitiesBq.count > k, relativeUncertainty > 0 else { return nil }
        var sum = 0.0
        for (t, a) in zip(timesHours, activitiesBq) {
            let r = (a - curve.activityBq(atHours: t)) / (relativeUncertainty * a)
            sum += r * r
        }
        return sum / Double(activitiesBq.count - k)
    }

    /// Akaike weight of the chosen model among the candidates, wᵢ = exp(−Δᵢ/2)/Σⱼ exp(−Δⱼ/2) with
    /// Δᵢ = AICcᵢ − min AICc (Burnham & Anderson 2002, §2.9); nil without model selection or with one
    /// candidate only.
    public var akaikeWeightOfChosenModel: Double? {
        guard let curve, aicc.count >= 2 else { return nil }
        let finite = aicc.filter { $0.value.isFinite }
        guard let best = finite.map(\.value).min(),
              let chosen = finite.first(where: { $0.model == curve.model.rawValue }) else { return nil }
        let total = finite.map { exp(-($0.value - best) / 2) }.reduce(0, +)
        return exp(-(chosen.value - best) / 2) / total
    }

    static func read(from f: H5File, group g: String, region: String) throws -> RegionFitRecord {
        let modelName = try f.stringAttribute("model", at: g)
        let parameters = try f.attributeIfPresent("parameters", at: g)?.asDoubles ?? []
        var curve: ExponentialCurve?
        if modelName != "none" {
            guard let model = ExponentialModel(rawValue: modelName) else {
                throw InputError(source: f.path, field: g + "@model", value: modelName, reason: "unknown model")
            }
            guard parameters.count == model.parameterCount else {
                throw InputError(source: f.path, field: g + "@parameters", value: "\(parameters.count) values",
                                 reason: "\(modelName) has \(model.parameterCount) parameters")
            }
            curve = ExponentialCurve(model: model, amplitudesBq: Array(parameters.prefix(model.amplitudeCount)),
                                     ratesPerSecond: Array(parameters.suffix(model.rateCount)))
        }
        let times = try f.attributeIfPresent("time_h", at: g)?.asDoubles ?? []
        let activities = try f.attributeIfPresent("activity_bq", at: g)?.asDoubles ?? []
        guard times.count == activities.count else {
            throw InputError(source: f.path, field: g + "@time_h", value: "\(times.count) times, \(activities.count) activities",
                             reason: "need one activity per time")
        }
        let models = try f.attributeIfPresent("aicc_models", at: g)?.asStrings ?? []
        let values = try f.attributeIfPresent("aicc_values", at: g)?.asDoubles ?? []
        var record = RegionFitRecord(region: region, method: try f.stringAttribute("method", at: g), curve: curve,
                               covariance: try f.attributeIfPresent("covariance", at: g)?.asDoubles ?? [],
                               tiaBqS: try f.doubleAttribute("tia_bq_s", at: g),
                               tiaStandardUncertaintyBqS: try f.doubleAttribute("tia_standard_uncertainty_bq_s", at: g),
                               timesHours: times, activitiesBq: activities,
                               aicc: zip(models, values).map { (model: $0, value: $1) },
                               note: try f.attributeIfPresent("note", at: g)?.asString ?? "")
        record.priorName = try f.attributeIfPresent("prior", at: g)?.asString
        record.priorTIAFraction = try f.attributeIfPresent("prior_tia_fraction", at: g)?.asDouble ?? .nan
        record.halfLifeChange = try f.attributeIfPresent("half_life_change_vs_cycle1", at: g)?.asDouble ?? .nan
        record.halfLifeChangeUncertainty = try f.attributeIfPresent("half_life_change_uncertainty", at: g)?.asDouble ?? .nan
        return record
    }
}
