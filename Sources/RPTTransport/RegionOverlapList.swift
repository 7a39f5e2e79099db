/// The region slots of voxels that lie in several scored regions (a kidney and its cortex), for the transport
/// loop: entry k lists slots `slots[offsets[k] ..< offsets[k + 1]]`. A pointer view into arrays owned by the
/// `PreparedSimulation` that made it (valid for its lifetime).
public struct RegionOverlapList: @unchecked Sendable {
    let offsets: UnsafePointer<Int32>
    let slots: UnsafePointer<Int32>

    /// The region slots of overlap entry `k`.
    @inline(__always)
    func slots(entry k: Int) -> UnsafeBufferPointer<Int32> {
        let start = Int(offsets[k])
        return UnsafeBufferPointer(start: slots + start, count: Int(offsets[k + 1]) - start)
    }
}
