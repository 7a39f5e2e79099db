/// Random stream ids of the synthetic patient, one per purpose (top byte) and item, so that every noise
/// realisation depends only on (seed, purpose, item) and never on the order things are generated in.
enum PhantomStream {
    /// CT noise of axial slice k.
    static func ctNoise(slice k: Int) -> UInt64 { 1 << 56 | UInt64(k) }
    /// SPECT counts of one scan, addressed by cycle and scan time rounded to the minute.
    static func spectCounts(cycle: Int, timeHours: Double) -> UInt64 {
        2 << 56 | UInt64(cycle) << 32 | UInt64((timeHours * 60).rounded())
    }
    /// Noise of blood sample `index`.
    static func bloodSample(_ index: Int) -> UInt64 { 3 << 56 | UInt64(index) }
    /// Motion (repositioning and deformation) of one scan, when `SyntheticPatientConfig.motion` is set.
    static func motion(cycle: Int, timeHours: Double) -> UInt64 {
        4 << 56 | UInt64(cycle) << 32 | UInt64((timeHours * 60).rounded())
    }
    /// CT noise of axial slice k of a moved scan's CT.
    static func movedCTNoise(cycle: Int, timeHours: Double, slice k: Int) -> UInt64 {
        5 << 56 | UInt64(cycle) << 40 | UInt64((timeHours * 60).rounded()) << 16 | UInt64(k)
    }
}
