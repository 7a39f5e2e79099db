import Foundation
import RPTCore

/// Plans the remaining cycles of one patient (method: docs/methods/planner.md).
///
/// - Standard arm, and the fixed cycles of the investigational arm: the protocol activity, or the
///   resume activity when a toxicity rule reduces the next cycle; doses are predicted and reported.
/// - Investigational arm, planned cycles: all remaining planned cycles are chosen jointly to
///   maximise the predicted tumour objective under the cumulative kidney dose, kidney BED and
///   marrow limits, the per-cycle cap and minimum, rounded down to the step (`ActivitySearch`).
/// - Re-planning after each cycle uses the activities actually given (the request's history).
public enum TreatmentPlanner {
    public static func plan(_ request: PlanRequest, config: ProtocolConfig) throws -> Plan {
        try config.validate()
        try validate(request, config: config)
        let src = request.source
        let inv = config.investigationalArm
        let history = request.history
        let armCycles = request.arm == .standard ? config.standardArm.cycles : inv.cycles

        // The treatment delay is measured against the arm's scheduled interval between administrations.
        var toxicity = request.toxicity
        toxicity.scheduledIntervalWeeks = request.arm == .standard ? config.standardArm.intervalWeeks : inv.intervalWeeks
        let decision: ToxicityDecision = history.isEmpty
            ? .none : try ToxicityDecision.evaluate(toxicity, policy: config.toxicity, source: src)

        let bedModel = config.limits.kidneyBEDModel
        let quantile = config.planning.uncertainty == .quantile
        let z = quantile ? StandardNormal.upperQuantile(config.planning.exceedanceProbability) : 0
        let lesionNames = history.first?.lesions.map(\.lesion) ?? []
        let kidneyBEDLimit = config.limits.kidneyBEDGy(riskFactors: request.kidneyRiskFactors)
        var notes: [String] = history.compactMap { c in c.doseNote.map { "cycle \(c.cycle) doses: \($0)" } }

        // Delivered cycles: point values (reported) and planning-basis values (checked).
        var nominal = (kidney: 0.0, bed: 0.0, marrow: 0.0)
        var basis = (kidney: 0.0, bed: 0.0, marrow: 0.0)
        var tumour = [Double](repeating: 0, count: lesionNames.count)
        var given: [GivenCycle] = []
        for c in history {
            let dk = c.activityGBq * c.kidney.gyPerGBq, dm = c.activityGBq * c.marrow.gyPerGBq
            nominal.kidney += dk
            nominal.bed += bedModel.bed(doseGy: dk, effectiveDecayPerHour: c.kidneyEffectiveDecayPerHour)
            nominal.marrow += dm
            let uk = _exp(z * DosePrediction.logSigma(relativeUncertainty: c.kidney.relativeUncertainty))
            let um = _exp(z * DosePrediction.logSigma(relativeUncertainty: c.marrow.relativeUncertainty))
            basis.kidney += dk * uk
            basis.bed += bedModel.bed(doseGy: dk * uk, effectiveDecayPerHour: c.kidneyEffectiveDecayPerHour)
            basis.marrow += dm * um
            for (l, lesion) in c.lesions.enumerated() { tumour[l] += c.activityGBq * lesion.dose.gyPerGBq }
            given.append(GivenCycle(cycle: c.cycle, activityGBq: c.activityGBq, activityMCi: ActivityUnits.mCi(fromGBq: c.activityGBq),
                                    kidneyDoseGyCumulative: nominal.kidney, kidneyBEDGyCumulative: nominal.bed,
                                    marrowDoseGyCumulative: nominal.marrow,
                                    tumourDosesGyCumulative: zip(lesionNames, tumour).map { LesionDose(lesion: $0, doseGy: $1) }))
        }

        // Predictions for each remaining cycle.
        struct Prediction { var kidney: Double; var kidneyBasis: Double; var lambda: Double; var marrow: Double
                            var marrowBasis: Double; var tumour: [Double] }
        func predict(_ cycle: Int) -> Prediction? {
            guard !history.isEmpty else { return nil }
            let m = config.planning.prediction, extra = config.planning.predictionRelativeUncertainty
            func pts(_ f: (AdministeredCycle) -> Double) -> [(cycle: Int, value: Double)] { history.map { ($0.cycle, f($0)) } }
            // Organs at risk are never predicted below their lowest measured value (a linear trend through
            // noisy cycles could otherwise extrapolate kidney or marrow dose per GBq, or the kidney's λ_eff and
            // with it the BED, towards zero); `mean` and `last` never go below it anyway.
            func lowest(_ f: (AdministeredCycle) -> Double) -> Double { history.map(f).min()! }
            let k = DosePrediction.predict(pts { $0.kidney.gyPerGBq }, at: cycle, method: m, floor: lowest { $0.kidney.gyPerGBq })
            let b = DosePrediction.predict(pts { $0.marrow.gyPerGBq }, at: cycle, method: m, floor: lowest { $0.marrow.gyPerGBq })
            let lam = DosePrediction.predict(pts { $0.kidneyEffectiveDecayPerHour }, at: cycle, method: m,
                                             floor: max(ActivityUnits.lutetium177DecayConstantPerHour,
                                                        lowest { $0.kidneyEffectiveDecayPerHour }))
            let uk = DosePrediction.relativeUncertainty(history.map(\.kidney.relativeUncertainty), method: m, extra: extra)
            let ub = DosePrediction.relativeUncertainty(history.map(\.marrow.relativeUncertainty), method: m, extra: extra)
            let t = lesionNames.indices.map { l in DosePrediction.predict(pts { $0.lesions[l].dose.gyPerGBq }, at: cycle, method: m) }
            return Prediction(kidney: k, kidneyBasis: k * _exp(z * DosePrediction.logSigma(relativeUncertainty: uk)), lambda: lam,
                              marrow: b, marrowBasis: b * _exp(z * DosePrediction.logSigma(relativeUncertainty: ub)), tumour: t)
        }

        // Decide what kind of entry each remaining cycle is.
        enum Slot { case fixed(activity: Double, binding: BindingConstraint),
                    planned(nMin: Int, nMax: Int, capBinding: BindingConstraint), withheld, discontinued, pending }
        let next = history.count + 1
        var slots: [(cycle: Int, slot: Slot)] = []
        var capNotes: [Int: String] = [:]
        let lesionRule = config.planning.lesions
        let tailored = request.arm == .investigational && lesionRule.mode == .tailored
        let resume = config.toxicity.resumeActivityGBq
        // No re-escalation after a label dose reduction unless the protocol allows it (toxicity.after_reduction).
        let afterReductionCap: Double? = {
            switch config.toxicity.activityAfterReduction {
            case .reduced: return resume
            case .labelFull: return config.standardArm.activityGBq
            case .protocolCap: return nil
            }
        }()
        let afterReductionNote = { (cap: Double) in
            "no re-escalation after the label dose reduction (" + toxicity.earlierReductions.map(\.rawValue).joined(separator: ", ")
                + (toxicity.earlierReductions.isEmpty ? "" : "; ") + "protocol toxicity.after_reduction: "
                + config.toxicity.activityAfterReduction.rawValue + "): at most \(fmt(cap)) GBq"
        }
        if let o = config.researchOverride {
            let d = LabelLimits.deviations(config)
            notes.append("RESEARCH OVERRIDE of the label activities (\(o.reason))"
                         + (d.isEmpty ? "" : ": " + d.map(\.description).joined(separator: "; ")))
        }
        if next <= armCycles {
            for j in next...armCycles {
                let isNext = j == next
                if decision.action == .discontinue { slots.append((j, .discontinued)); continue }
                if decision.action == .withhold {
                    if isNext { slots.append((j, .withheld)) }
                    continue
                }
                let reduce = isNext && decision.action == .reduce
                let afterReduction = !toxicity.earlierReductions.isEmpty || (decision.action == .reduce && !isNext)
                if request.arm == .standard || j <= inv.fixedCycles {
                    let fixed = request.arm == .standard ? config.standardArm.activityGBq : inv.fixedActivityGBq
                    if reduce && resume < fixed {
                        slots.append((j, .fixed(activity: resume, binding: .toxicityRule)))
                        capNotes[j] = decision.reason
                    } else if afterReduction, let a = afterReductionCap, a < fixed {
                        slots.append((j, .fixed(activity: a, binding: .toxicityRule)))
                        capNotes[j] = afterReductionNote(a)
                    } else {
                        slots.append((j, .fixed(activity: fixed, binding: .fixedProtocol)))
                    }
                } else if history.isEmpty {
                    slots.append((j, .pending))
                } else {
                    let step = inv.roundingStepGBq
                    var cap = inv.maxActivityGBq, capBinding = BindingConstraint.activityCap
                    if reduce && resume < cap {
                        cap = resume; capBinding = .toxicityRule; capNotes[j] = decision.reason
                    }
                    if afterReduction, let a = afterReductionCap, a < cap {
                        cap = a; capBinding = .toxicityRule; capNotes[j] = afterReductionNote(a)
                    }
                    if tailored, lesionRule.baseActivityGBq < cap {
                        let uptake = predict(j).flatMap { LesionRule.percentile($0.tumour, lesionRule.percentile) }
                        if uptake.map({ $0 < lesionRule.uptakeThresholdGyPerGBq }) ?? true {
                            cap = lesionRule.baseActivityGBq; capBinding = .uptakeThreshold
                            capNotes[j] = uptake.map {
                                "predicted lesion dose per activity (\(PlanExplanation.statisticName(lesionRule.percentile))) \(fmt2($0)) Gy/GBq is below "
                                    + "the uptake threshold \(fmt(lesionRule.uptakeThresholdGyPerGBq)) Gy/GBq: not escalated above \(fmt(cap)) GBq"
                            } ?? "no lesion dosimetry: escalation above \(fmt(cap)) GBq needs a lesion dose per activity (planning.lesions.mode: tailored)"
                        }
                    }
                    let nMax = Int((cap / step + 1e-9).rounded(.down))
                    let nMin = Int((inv.minActivityGBq / step - 1e-9).rounded(.up))
                    slots.append((j, .planned(nMin: nMin, nMax: nMax, capBinding: capBinding)))
                }
            }
        } else {
            notes.append("all \(armCycles) cycles of the \(request.arm.rawValue) arm have been given")
        }
        if slots.contains(where: { if case .pending = $0.slot { return true } else { return false } }) {
            notes.append("cycles after the fixed cycle(s) are planned from the first cycle's dosimetry; re-plan after it")
        }
        if decision.action != .none { notes.append("toxicity: " + decision.reason) }

        // Budgets left for planned cycles after given and fixed cycles (planning basis).
        let predictions = Dictionary(uniqueKeysWithValues: slots.map { ($0.cycle, predict($0.cycle)) })
        var budget = (kidney: config.limits.kidneyDoseGy - basis.kidney, bed: kidneyBEDLimit - basis.bed,
                      marrow: config.limits.marrowDoseGy - basis.marrow)
        var committedTumour = tumour
        for (j, slot) in slots {
            guard case let .fixed(a, _) = slot, let p = predictions[j] ?? nil else { continue }
            budget.kidney -= a * p.kidneyBasis
            budget.bed -= bedModel.bed(doseGy: a * p.kidneyBasis, effectiveDecayPerHour: p.lambda)
            budget.marrow -= a * p.marrowBasis
            for l in committedTumour.indices { committedTumour[l] += a * p.tumour[l] }
        }
        let plannedIndex = slots.indices.filter { if case .planned = slots[$0].slot { return true } else { return false } }
        let step = inv.roundingStepGBq
        let search = ActivitySearch(
            cycles: plannedIndex.map { i in
                guard case let .planned(nMin, nMax, _) = slots[i].slot, let p = predictions[slots[i].cycle] ?? nil else { fatalError() }
                return ActivitySearch.CycleTerms(nMin: nMin, nMax: nMax, kidneyGyPerStep: step * p.kidneyBasis,
                                                 bedCoefficient: bedModel.quadraticCoefficient(effectiveDecayPerHour: p.lambda),
                                                 marrowGyPerStep: step * p.marrowBasis, tumourGyPerStep: p.tumour.map { step * $0 })
            },
            kidneyBudgetGy: budget.kidney, bedBudgetGy: budget.bed, marrowBudgetGy: budget.marrow,
            committedTumourGy: committedTumour, objective: config.planning.objective,
            targetDoseGy: tailored ? lesionRule.targetDoseGy : nil, targetPercentile: lesionRule.percentile,
            baseLevel: Int((lesionRule.baseActivityGBq / inv.roundingStepGBq + 1e-9).rounded(.down)))
        let levels = search.solve()
        var levelOf: [Int: Int] = [:]
        for (k, i) in plannedIndex.enumerated() { levelOf[slots[i].cycle] = levels[k] }

        // Build the entries in cycle order with cumulative predictions and explanations.
        var cycles: [PlannedCycle] = []
        var exceeded: Set<String> = []
        for (j, slot) in slots {
            var entry = PlannedCycle(cycle: j, status: .planned, activityGBq: 0, activityMCi: 0, bindingConstraint: .fixedProtocol)
            switch slot {
            case let .fixed(a, binding):
                entry.activityGBq = a
                entry.bindingConstraint = binding
                if binding == .toxicityRule { entry.note = capNotes[j] }
            case let .planned(nMin, nMax, capBinding):
                let k = plannedIndex.firstIndex { slots[$0].cycle == j }!
                let n = levels[k]
                entry.activityGBq = roundedActivity(n, step: step)
                if n == 0 {
                    entry.status = .notGiven
                    entry.bindingConstraint = .minimumActivity
                    entry.note = "room left under the limits is below the minimum activity of \(fmt(inv.minActivityGBq)) GBq"
                } else if n >= nMax {
                    entry.bindingConstraint = capBinding
                    entry.note = capNotes[j]
                } else {
                    var raised = levels
                    raised[k] = max(n + 1, nMin)
                    entry.bindingConstraint = search.violations(raised).first
                        ?? (search.reachesTarget(levels) ? .lesionTarget : .activityCap)
                }
                if let p = predictions[j] ?? nil {
                    entry.candidates = PlanExplanation.candidates(
                        chosen: entry.activityGBq, cycleCap: roundedActivity(nMax, step: step), minimum: inv.minActivityGBq,
                        lesionNames: lesionNames, lesionGyPerGBq: p.tumour, kidneyGyPerGBq: p.kidney, marrowGyPerGBq: p.marrow,
                        percentile: lesionRule.percentile) { a in
                            var alt = levels
                            alt[k] = Int((a / step + 1e-9).rounded(.down))
                            let doses = search.lesionDoses(alt)
                            return (LesionRule.percentile(doses, lesionRule.percentile), search.violations(alt).isEmpty)
                        }
                }
            case .withheld:
                entry.status = .withheld
                entry.bindingConstraint = .toxicityRule
                entry.note = decision.reason
            case .discontinued:
                entry.status = .discontinued
                entry.bindingConstraint = .toxicityRule
                entry.note = decision.reason
            case .pending:
                entry.status = .pendingDosimetry
                entry.bindingConstraint = .fixedProtocol
                entry.note = "planned after dosimetry of the first cycle"
            }
            entry.activityMCi = ActivityUnits.mCi(fromGBq: entry.activityGBq)
            if let p = predictions[j] ?? nil {
                let a = entry.activityGBq
                nominal.kidney += a * p.kidney
                nominal.bed += bedModel.bed(doseGy: a * p.kidney, effectiveDecayPerHour: p.lambda)
                nominal.marrow += a * p.marrow
                basis.kidney += a * p.kidneyBasis
                basis.bed += bedModel.bed(doseGy: a * p.kidneyBasis, effectiveDecayPerHour: p.lambda)
                basis.marrow += a * p.marrowBasis
                for l in tumour.indices { tumour[l] += a * p.tumour[l] }
                entry.kidneyDoseGyPerGBq = p.kidney
                entry.marrowDoseGyPerGBq = p.marrow
                entry.kidneyEffectiveDecayPerHour = p.lambda
                entry.kidneyDoseGyCumulative = nominal.kidney
                entry.kidneyBEDGyCumulative = nominal.bed
                entry.marrowDoseGyCumulative = nominal.marrow
                entry.tumourDosesGyCumulative = zip(lesionNames, tumour).map { LesionDose(lesion: $0, doseGy: $1) }
                entry.margins = LimitMargins(kidneyDoseGy: config.limits.kidneyDoseGy - basis.kidney,
                                             kidneyBEDGy: kidneyBEDLimit - basis.bed,
                                             marrowDoseGy: config.limits.marrowDoseGy - basis.marrow)
                if quantile { entry.upperBound = OrganTotals(kidneyDoseGy: basis.kidney, kidneyBEDGy: basis.bed, marrowDoseGy: basis.marrow) }
                let tol = ActivitySearch.toleranceGy
                if let m = entry.margins, a > 0 {
                    if m.kidneyDoseGy < -tol, exceeded.insert("kidney dose").inserted {
                        notes.append("cycle \(j): the fixed schedule is predicted to exceed the kidney dose limit")
                    }
                    if m.kidneyBEDGy < -tol, exceeded.insert("kidney BED").inserted {
                        notes.append("cycle \(j): the fixed schedule is predicted to exceed the kidney BED limit")
                    }
                    if m.marrowDoseGy < -tol, exceeded.insert("marrow").inserted {
                        notes.append("cycle \(j): the fixed schedule is predicted to exceed the marrow dose limit")
                    }
                }
            }
            cycles.append(entry)
        }
        // Explanations in words, with the lesion statistic at the end of the plan.
        let planLimits = PlanLimits(kidneyDoseGy: config.limits.kidneyDoseGy, kidneyBEDGy: kidneyBEDLimit,
                                    kidneyRiskFactors: request.kidneyRiskFactors, marrowDoseGy: config.limits.marrowDoseGy,
                                    kidneyAlphaBetaGy: config.limits.kidneyAlphaBetaGy,
                                    kidneyRepairHalfTimeHours: config.limits.kidneyRepairHalfTimeHours)
        let finalStatistic = history.isEmpty ? nil : LesionRule.percentile(tumour, lesionRule.percentile)
        for i in cycles.indices {
            cycles[i].explanation = PlanExplanation.text(cycles[i], config: config, limits: planLimits, arm: request.arm,
                                                         lesionStatisticGy: finalStatistic)
        }

        return Plan(protocolID: config.protocolID, protocolVersion: config.protocolVersion, arm: request.arm,
                    mode: config.planning.uncertainty, exceedanceProbability: quantile ? config.planning.exceedanceProbability : nil,
                    quantileZ: quantile ? z : nil, predictionMethod: config.planning.prediction, objective: config.planning.objective,
                    limits: planLimits,
                    toxicity: PlanToxicity(action: decision.action, toxicities: decision.kinds, reason: decision.reason),
                    given: given, cycles: cycles, notes: notes,
                    researchOverride: config.researchOverride.map { o in
                        PlanResearchOverride(reason: o.reason, deviations: LabelLimits.deviations(config).map(\.description))
                    })
    }

    /// n·step, rounded to 1e-9 GBq so that e.g. 52 × 0.1 prints as 5.2.
    static func roundedActivity(_ n: Int, step: Double) -> Double { (Double(n) * step * 1e9).rounded() / 1e9 }

    /// Checks the request against the protocol; throws InputErrors listing every problem.
    static func validate(_ r: PlanRequest, config: ProtocolConfig) throws {
        var e: [InputError] = []
        let src = r.source
        func err(_ f: String, _ v: Any, _ reason: String) { e.append(InputError(source: src, field: f, value: "\(v)", reason: reason)) }
        let armCycles = r.arm == .standard ? config.standardArm.cycles : config.investigationalArm.cycles
        if r.history.count > armCycles {
            err("history", r.history.count, "more cycles given than the \(r.arm.rawValue) arm has (\(armCycles))")
        }
        let lesionNames = r.history.first?.lesions.map(\.lesion) ?? []
        if Set(lesionNames).count != lesionNames.count { err("history[0].lesions", lesionNames.joined(separator: ","), "lesion names must be unique") }
        for (i, c) in r.history.enumerated() {
            let f = "history[\(i)]"
            if c.cycle != i + 1 { err(f + ".cycle", c.cycle, "cycles must be listed in order 1, 2, …; expected \(i + 1)") }
            if !(c.activityGBq > 0) || !c.activityGBq.isFinite { err(f + ".activity_gbq", c.activityGBq, "must be a positive number") }
            let ceiling = LabelLimits.cycleCeilingGBq(config)
            if c.activityGBq > ceiling * (1 + 1e-9) {
                err(f + ".activity_gbq", c.activityGBq, "expected an administered activity of at most \(fmt(ceiling)) GBq (\(fmt(ActivityUnits.mCi(fromGBq: ceiling))) mCi) per cycle (was the activity typed in mCi?)")
            }
            for (name, d) in [("kidney", c.kidney), ("marrow", c.marrow)] + c.lesions.map({ ("lesions.\($0.lesion)", $0.dose) }) {
                if !(d.gyPerGBq >= 0) || !d.gyPerGBq.isFinite { err(f + "." + name + ".gy_per_gbq", d.gyPerGBq, "must be a finite number ≥ 0") }
                if !(d.relativeUncertainty >= 0) || !d.relativeUncertainty.isFinite {
                    err(f + "." + name + ".relative_uncertainty", d.relativeUncertainty, "must be a finite number ≥ 0")
                }
            }
            if !(c.kidneyEffectiveDecayPerHour > 0) || !c.kidneyEffectiveDecayPerHour.isFinite {
                err(f + ".kidney_lambda_eff_per_h", c.kidneyEffectiveDecayPerHour, "must be a positive number (1/h)")
            }
            if c.lesions.map(\.lesion) != lesionNames {
                err(f + ".lesions", c.lesions.map(\.lesion).joined(separator: ","),
                    "must list the same lesions in the same order as cycle 1 (\(lesionNames.joined(separator: ",")))")
            }
        }
        if r.history.isEmpty && !r.toxicity.observations.isEmpty {
            err("toxicity.observations", r.toxicity.observations.count, "toxicity refers to a previous administration, but none has been given")
        }
        if !e.isEmpty { throw InputErrors(e) }
    }
}
