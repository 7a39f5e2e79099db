#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Memory for large, randomly accessed buffers of the transport (tallies, voxel data).
///
/// Buffers of 2 MiB or more are 2 MiB-aligned and, on Linux, marked `MADV_HUGEPAGE`, so that random
/// access needs one TLB entry per 2 MiB instead of per 4 KiB (a hint to the kernel's transparent huge
/// pages; contents and results are unaffected, and where the kernel declines the buffer is simply made of
/// small pages). Memory from `allocate` must be returned with `deallocate`.
public enum LargeAllocation {
    /// Huge-page size (bytes) on x86-64 and arm64 Linux with 4 KiB base pages.
    public static let hugePageBytes = 1 << 21

    /// Uninitialised memory for `count` values of `T`.
    public static func allocate<T>(_ type: T.Type, count: Int) -> UnsafeMutablePointer<T> {
        let bytes = max(1, count * MemoryLayout<T>.stride)
        let large = bytes >= hugePageBytes
        let alignment = large ? hugePageBytes : max(16, MemoryLayout<T>.alignment)
        let rounded = large ? (bytes + hugePageBytes - 1) / hugePageBytes * hugePageBytes : bytes
        var raw: UnsafeMutableRawPointer? = nil
        guard posix_memalign(&raw, alignment, rounded) == 0, let raw else {
            fatalError("out of memory allocating \(rounded) bytes")
        }
        #if os(Linux)
        if large { _ = madvise(raw, rounded, MADV_HUGEPAGE) }
        #endif
        return raw.bindMemory(to: T.self, capacity: count)
    }

    /// Returns memory obtained from `allocate` (values must already be deinitialised if non-trivial).
    public static func deallocate<T>(_ pointer: UnsafeMutablePointer<T>) {
        free(UnsafeMutableRawPointer(pointer))
    }
}
