import Foundation
import RPTCore
import RPTRegistration
import RPTStore
import RPTVolume

/// The registration part of a cycle's outputs: `registration` in summary.json and the `/registration` group of
/// dosimetry.h5 (docs/formats/hdf5.md, docs/methods/registration.md).
extension DosimetryOutputWriter {
    /// One object per registered time point, with the QA numbers the report shows.
    static func registrationSummary(_ setup: CycleDosimetrySetup) -> [String: Any] {
        let records = setup.images.registrations
        return [
            "mode": setup.manifest.registration.rawValue,
            "reference_time_point": setup.cycle.referenceIndex,
            "region_activity": setup.activities.registeredTimePointFrame,
            "time_points": records.map { r -> [String: Any] in
                let q = r.result
                return ["time_point": r.timePoint, "time_h": r.hoursAfterAdministration, "ct": r.ct,
                        "transforms": q.transform.stageNames,
                        "ncc_before": clean(q.nccBefore), "ncc_after": clean(q.nccAfter),
                        "tissue_dice_before": clean(q.tissueDiceBefore), "tissue_dice_after": clean(q.tissueDiceAfter),
                        "mean_displacement_mm": clean(q.meanDisplacementMM),
                        "max_displacement_mm": clean(q.maximumDisplacementMM),
                        "max_deformable_displacement_mm": clean(q.maximumNonRigidDisplacementMM),
                        "activity_ratio": clean(q.activityRatio),
                        "activity_outside_fraction": clean(q.activityOutsideFraction), "warnings": q.warnings,
                        "status": status(r), "kidney_centroid_shift_mm": clean(r.qaSlices?.centroidShiftMM ?? .nan)]
            },
            "cross_cycle": setup.crossCycle.map { c -> [String: Any] in
                ["reference_cycle": c.referenceCycle, "reference_ct": c.referenceCT, "ct": c.ct,
                 "transforms": c.transform.stageNames, "ncc_before": clean(c.nccBefore), "ncc_after": clean(c.nccAfter),
                 "lesions": c.lesions.map { ["name": $0.name, "nearest": $0.nearest ?? NSNull(),
                                             "distance_before_mm": clean($0.distanceBeforeMM),
                                             "distance_after_mm": clean($0.distanceAfterMM)] as [String: Any] }]
            } ?? NSNull(),
        ]
    }

    /// "warn" when the registration gave a warning, else "pass" (a failed registration stops the dosimetry).
    static func status(_ r: TimePointRegistrationRecord) -> String { r.result.warnings.isEmpty ? "pass" : "warn" }

    /// `/registration`: the mode, and per registered time point `/registration/tp<N>` with the QA numbers and
    /// the elastix transform parameter files as text (attribute `transform_parameters`, one string per stage).
    static func writeRegistration(_ f: H5File, setup: CycleDosimetrySetup) throws {
        let g = "/registration"
        try f.createGroup(g)
        try f.setAttribute("mode", .string(setup.manifest.registration.rawValue), at: g)
        try f.setAttribute("reference_time_point", .int(Int64(setup.cycle.referenceIndex)), at: g)
        try f.setAttribute("region_activity", .string(setup.activities.registeredTimePointFrame), at: g)
        if let c = setup.crossCycle {
            // This cycle's reference CT registered to the first imaged cycle's (CrossCycleRegistration).
            let x = g + "/cross_cycle"
            try f.createGroup(x)
            try f.setAttribute("reference_cycle", .int(Int64(c.referenceCycle)), at: x)
            try f.setAttribute("reference_ct", .string(c.referenceCT), at: x)
            try f.setAttribute("ct", .string(c.ct), at: x)
            try f.setAttribute("transform_stages", .strings(c.transform.stageNames), at: x)
            try f.setAttribute("transform_parameters", .strings(c.transform.parameterTexts), at: x)
            try f.setAttribute("ncc_before", .double(c.nccBefore), at: x)
            try f.setAttribute("ncc_after", .double(c.nccAfter), at: x)
            try f.setAttribute("lesions", .strings(c.lesions.map(\.name)), at: x)
            try f.setAttribute("lesion_nearest", .strings(c.lesions.map { $0.nearest ?? "" }), at: x)
            try f.setAttribute("lesion_distance_before_mm", .doubles(c.lesions.map(\.distanceBeforeMM)), at: x)
            try f.setAttribute("lesion_distance_after_mm", .doubles(c.lesions.map(\.distanceAfterMM)), at: x)
        }
        for r in setup.images.registrations {
            let q = r.result
            let t = g + "/tp\(r.timePoint)"
            try f.createGroup(t)
            try f.setAttribute("time_h", .double(r.hoursAfterAdministration), at: t)
            try f.setAttribute("ct", .string(r.ct), at: t)
            try f.setAttribute("transform_stages", .strings(q.transform.stageNames), at: t)
            try f.setAttribute("transform_parameters", .strings(q.transform.parameterTexts), at: t)
            try f.setAttribute("ncc_before", .double(q.nccBefore), at: t)
            try f.setAttribute("ncc_after", .double(q.nccAfter), at: t)
            try f.setAttribute("tissue_dice_before", .double(q.tissueDiceBefore), at: t)
            try f.setAttribute("tissue_dice_after", .double(q.tissueDiceAfter), at: t)
            try f.setAttribute("mean_displacement_mm", .double(q.meanDisplacementMM), at: t)
            try f.setAttribute("max_displacement_mm", .double(q.maximumDisplacementMM), at: t)
            try f.setAttribute("max_deformable_displacement_mm", .double(q.maximumNonRigidDisplacementMM), at: t)
            try f.setAttribute("activity_ratio", .double(q.activityRatio), at: t)
            try f.setAttribute("activity_outside_fraction", .double(q.activityOutsideFraction), at: t)
            try f.setAttribute("warnings", .strings(q.warnings), at: t)
            try f.setAttribute("status", .string(status(r)), at: t)
            if let s = r.qaSlices {
                // The report's QA figure: one downsampled axial slice (RegistrationQASlices).
                try f.setAttribute("kidney_centroid_shift_mm", .double(s.centroidShiftMM), at: t)
                try f.setAttribute("qa_slice_through", .string(s.through), at: t)
                try f.writeVolume(AnyVolume(s.reference), at: t + "/qa_reference_ct")
                try f.writeVolume(AnyVolume(s.before), at: t + "/qa_ct_unregistered")
                try f.writeVolume(AnyVolume(s.after), at: t + "/qa_ct_registered")
            }
        }
    }
}
