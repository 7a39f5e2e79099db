import RPTCore

/// A validated time-activity series in SI units: times (s), activities (Bq) and σ (Bq).
struct PreparedSeries {
    var timesSeconds: [Double]
    var activitiesBq: [Double]
    var relativeUncertainties: [Double]
    var sigmasBq: [Double]
    var count: Int { timesSeconds.count }

    /// Validates `points`: times finite, > 0 and strictly increasing; activities finite and > 0
    /// (≥ 0 when `allowZeroActivity`); relative uncertainties finite and > 0. Errors name the field,
    /// e.g. `timePoints[2].timeHours`.
    init(points: [TimeActivityPoint], options: KineticsFitOptions, source: String,
         minimumCount: Int, minimumReason: String, allowZeroActivity: Bool = false) throws {
        guard points.count >= minimumCount else {
            throw InputError(source: source, field: "timePoints", value: "\(points.count) point(s)",
                             reason: minimumReason)
        }
        let r0 = options.defaultRelativeUncertainty
        guard r0.isFinite, r0 > 0 else {
            throw InputError(source: source, field: "options.defaultRelativeUncertainty", value: "\(r0)",
                             reason: "must be a finite number > 0")
        }
        var t = [Double](), y = [Double](), rel = [Double](), s = [Double]()
        for (i, p) in points.enumerated() {
            guard p.timeHours.isFinite, p.timeHours > 0 else {
                throw InputError(source: source, field: "timePoints[\(i)].timeHours", value: "\(p.timeHours)",
                                 reason: "scan time after administration must be a finite number > 0 h")
            }
            if i > 0, !(p.timeHours > points[i - 1].timeHours) {
                throw InputError(source: source, field: "timePoints[\(i)].timeHours", value: "\(p.timeHours)",
                                 reason: "times must be strictly increasing (timePoints[\(i - 1)].timeHours = "
                                    + "\(points[i - 1].timeHours)); sort the points and remove duplicates")
            }
            let activityOK = p.activityBq.isFinite && (allowZeroActivity ? p.activityBq >= 0 : p.activityBq > 0)
            guard activityOK else {
                throw InputError(source: source, field: "timePoints[\(i)].activityBq", value: "\(p.activityBq)",
                                 reason: allowZeroActivity ? "activity must be a finite number ≥ 0 Bq"
                                    : "activity must be a finite number > 0 Bq (relative weights need A > 0)")
            }
            let r = p.relativeUncertainty ?? r0
            guard r.isFinite, r > 0 else {
                throw InputError(source: source, field: "timePoints[\(i)].relativeUncertainty", value: "\(r)",
                                 reason: "relative uncertainty must be a finite number > 0")
            }
            t.append(p.timeHours * Units.secondsPerHour)
            y.append(p.activityBq)
            rel.append(r)
            s.append(r * p.activityBq)
        }
        timesSeconds = t
        activitiesBq = y
        relativeUncertainties = rel
        sigmasBq = s
    }
}

/// Validates a physical decay constant (1/s).
func validatePhysicalDecayConstant(_ lambda: Double, source: String) throws {
    guard lambda.isFinite, lambda > 0 else {
        throw InputError(source: source, field: "physicalDecayConstantPerSecond", value: "\(lambda)",
                         reason: "must be a finite number > 0 (e.g. Nuclide.decayConstant; Lu-177: ln2/6.647 d)")
    }
}
