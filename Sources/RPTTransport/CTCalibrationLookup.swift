import RPTPhysics
import RPTVolume

/// A CT calibration tabulated at every whole CT number of the accepted range (`CTNumberCheck`, −3100…30 000 HU):
/// CTs store integers, so the per-voxel conversion of a clinical CT becomes a table read instead of two binary
/// searches. Exact: each entry is the calibration's own value at that CT number; any other value (fractional
/// HU of a resampled CT, or outside the table) is passed to the calibration directly.
struct CTCalibrationLookup {
    let calibration: CTCalibration
    /// CT number of entry 0.
    let lowestHU = CTNumberCheck.minimumHU
    /// Material index and density (as the world stores it) at `lowestHU + entry`.
    let material: [UInt8]
    let density: [Float]

    init(_ calibration: CTCalibration) {
        self.calibration = calibration
        let count = Int(CTNumberCheck.maximumHU - CTNumberCheck.minimumHU) + 1
        let lowest = lowestHU
        material = (0..<count).map { UInt8(calibration.materialIndex(hu: lowest + Double($0))) }
        density = (0..<count).map { Float(calibration.density(hu: lowest + Double($0))) }
    }

    /// Material index and density of the CT numbers `hu[range]`, written to `index` and `rho` at the same offsets.
    func convert<T: VoxelScalar>(_ hu: UnsafeBufferPointer<T>, _ range: Range<Int>, index: UnsafeMutablePointer<UInt8>,
                                 rho: UnsafeMutablePointer<Float>) {
        let last = Double(material.count - 1), lowest = lowestHU
        material.withUnsafeBufferPointer { material in
            density.withUnsafeBufferPointer { density in
                for n in range {
                    let h = hu[n].doubleValue, entry = h - lowest
                    if entry >= 0 && entry <= last, case let e = Int(entry), Double(e) == entry {
                        index[n] = material[e]; rho[n] = density[e]
                    } else {
                        index[n] = UInt8(calibration.materialIndex(hu: h))
                        rho[n] = Float(calibration.density(hu: h))
                    }
                }
            }
        }
    }
}
