import RPTCore

/// Rescale Slope (0028,1053) and Rescale Intercept (0028,1052): real value = stored × slope + intercept.
///
/// A slope of 0 maps every voxel to the intercept (a CT becomes uniform: all water or all air) and a
/// non-finite value makes every voxel NaN, so both are refused instead of silently used.
enum RescaleValues {
    static func checked(slope: Double, intercept: Double, source: String) throws -> (slope: Double, intercept: Double) {
        guard slope.isFinite, slope != 0 else {
            throw InputError(source: source, field: DicomTag.rescaleSlope.label, value: "\(slope)",
                             reason: "Rescale Slope must be a finite non-zero number (0 would make every voxel \(intercept))")
        }
        guard intercept.isFinite else {
            throw InputError(source: source, field: DicomTag.rescaleIntercept.label, value: "\(intercept)",
                             reason: "Rescale Intercept must be a finite number")
        }
        return (slope, intercept)
    }
}
