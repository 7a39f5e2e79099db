import CHDF5
import Foundation
import RPTCore
import RPTVolume

/// Datasets written slab by slab (hyperslabs along the slowest dimension), so that a full-grid array never has
/// to exist in memory: the caller computes each slab into a reused buffer.
extension H5File {
    /// Writes an N-D numeric dataset at `objectPath` in slabs of `slabRows` indices of its first (slowest)
    /// dimension. `fill(rows, buffer)` writes the elements of rows `rows` (C order) into `buffer`, whose count is
    /// `rows.count × (product of the other dimensions)`. The file holds the same bytes as `writeDataset` of the
    /// concatenated slabs. Choose `slabRows` as a multiple of the chunk's first dimension, so that every chunk is
    /// compressed once.
    public func writeDatasetInSlabs<T: H5Scalar>(shape: [Int], at objectPath: String, options: H5DatasetOptions = .contiguous,
                                                 slabRows: Int,
                                                 fill: (Range<Int>, UnsafeMutableBufferPointer<T>) throws -> Void) throws {
        let p = Self.normalize(objectPath)
        guard !shape.isEmpty, shape.allSatisfy({ $0 >= 0 }) else {
            throw InputError(source: path, field: p, value: "\(shape)", reason: "dataset shape must have at least one dimension ≥ 0")
        }
        let e = T.h5ElementType
        let rowCount = shape[0]
        let rowElements = shape.dropFirst().reduce(1, *)
        let rowsPerSlab = Swift.max(1, Swift.min(slabRows, Swift.max(1, rowCount)))
        try createDataset(p, type: e.fileType, shape: shape, options: options) { did in
            guard rowCount > 0, rowElements > 0 else { return }
            let fileSpace = try call("get dataset dataspace", p) { H5Dget_space(did) }
            defer { H5Sclose(fileSpace) }
            let buffer = UnsafeMutableBufferPointer<T>.allocate(capacity: rowsPerSlab * rowElements)
            defer { buffer.deallocate() }
            var r0 = 0
            while r0 < rowCount {
                let r1 = Swift.min(rowCount, r0 + rowsPerSlab)
                let slab = UnsafeMutableBufferPointer(rebasing: buffer[0..<((r1 - r0) * rowElements)])
                try fill(r0..<r1, slab)
                var start = [hsize_t](repeating: 0, count: shape.count)
                start[0] = hsize_t(r0)
                var count = shape.map { hsize_t($0) }
                count[0] = hsize_t(r1 - r0)
                try call("select hyperslab", p) { H5Sselect_hyperslab(fileSpace, H5S_SELECT_SET, start, nil, count, nil) }
                let memSpace = try call("create dataspace", p) { H5Screate_simple(Int32(count.count), count, nil) }
                defer { H5Sclose(memSpace) }
                _ = try call("write dataset", p) {
                    H5Dwrite(did, e.memoryType, memSpace, fileSpace, rpt_H5P_DEFAULT(), UnsafeRawPointer(slab.baseAddress))
                }
                r0 = r1
            }
        }
    }
}
