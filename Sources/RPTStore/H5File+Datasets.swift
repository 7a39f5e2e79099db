import CHDF5
import Foundation
import RPTCore

/// How a dataset is laid out on disk.
public struct H5DatasetOptions: Equatable, Sendable {
    /// Chunk shape (same rank as the data; clamped to the data shape); nil = contiguous storage.
    public var chunkShape: [Int]?
    /// gzip (deflate) level 1…9 applied to each chunk; nil = uncompressed. Requires `chunkShape`.
    public var deflateLevel: Int?
    /// Byte shuffle before deflate (groups the bytes of each significance together; helps numbers compress).
    public var shuffle: Bool

    public init(chunkShape: [Int]? = nil, deflateLevel: Int? = nil, shuffle: Bool = false) {
        self.chunkShape = chunkShape; self.deflateLevel = deflateLevel; self.shuffle = shuffle
    }

    /// Plain contiguous storage (tables, small arrays).
    public static let contiguous = H5DatasetOptions()

    /// Chunked, shuffled and gzip-compressed storage.
    public static func compressed(chunkShape: [Int], level: Int = 4) -> H5DatasetOptions {
        H5DatasetOptions(chunkShape: chunkShape, deflateLevel: level, shuffle: true)
    }
}

/// Shape and element type of a dataset in a file.
public struct H5DatasetInfo: Equatable, Sendable {
    /// Dimensions, slowest-varying first (C order, as h5py reports `.shape`).
    public var shape: [Int]
    /// The numeric element type, or nil for strings and unsupported types.
    public var elementType: H5ElementType?
    /// Whether the elements are strings (fixed- or variable-length).
    public var isString: Bool
    /// Number of elements.
    public var count: Int { shape.reduce(1, *) }
}

/// An N-D array read from a dataset: values in C order (last index fastest) and the shape.
public struct H5Array<Element: H5Scalar>: Sendable {
    public var shape: [Int]
    public var values: [Element]
}

/// Numeric and string datasets.
extension H5File {
    /// Writes an N-D numeric dataset at `objectPath` (parent groups are created).
    /// - Parameters:
    ///   - values: elements in C order: the last dimension of `shape` varies fastest.
    ///   - shape: dimensions, slowest first; their product must equal `values.count`.
    public func writeDataset<T: H5Scalar>(_ values: [T], shape: [Int], at objectPath: String,
                                          options: H5DatasetOptions = .contiguous) throws {
        let p = Self.normalize(objectPath)
        guard shape.allSatisfy({ $0 >= 0 }), shape.reduce(1, *) == values.count else {
            throw InputError(source: path, field: p, value: "\(shape)",
                             reason: "dataset shape does not match the \(values.count) values given")
        }
        let e = T.h5ElementType
        try createDataset(p, type: e.fileType, shape: shape, options: options) { did in
            if values.isEmpty { return }
            try values.withUnsafeBytes { raw in
                _ = try call("write dataset", p) {
                    H5Dwrite(did, e.memoryType, rpt_H5S_ALL(), rpt_H5S_ALL(), rpt_H5P_DEFAULT(), raw.baseAddress)
                }
            }
        }
    }

    /// Writes a 1-D dataset of variable-length UTF-8 strings (h5py: `ds.asstr()[:]`).
    public func writeStrings(_ values: [String], at objectPath: String) throws {
        let p = Self.normalize(objectPath)
        let type = try makeVariableStringType(p)
        defer { H5Tclose(type) }
        try createDataset(p, type: type, shape: [values.count], options: .contiguous) { did in
            if values.isEmpty { return }
            _ = try withCStringArray(values) { pointers in
                try call("write dataset", p) {
                    H5Dwrite(did, type, rpt_H5S_ALL(), rpt_H5S_ALL(), rpt_H5P_DEFAULT(), pointers)
                }
            }
        }
    }

    /// Shape and element type of the dataset at `objectPath`.
    public func datasetInfo(at objectPath: String) throws -> H5DatasetInfo {
        let p = Self.normalize(objectPath)
        return try withDataset(p) { did, type, space in
            let rank = Int(try call("get rank", p) { H5Sget_simple_extent_ndims(space) })
            var dims = [hsize_t](repeating: 0, count: rank)
            if rank > 0 { try call("get dimensions", p) { H5Sget_simple_extent_dims(space, &dims, nil) } }
            return H5DatasetInfo(shape: dims.map { Int($0) }, elementType: H5ElementType(hdf5Type: type),
                                 isString: H5Tget_class(type) == H5T_STRING)
        }
    }

    /// Reads a numeric dataset, converting its elements to `T` (HDF5 converts; integer targets clip).
    /// - Throws: `InputError` if there is no dataset at the path or it does not hold numbers.
    public func readDataset<T: H5Scalar>(at objectPath: String, as: T.Type = T.self) throws -> H5Array<T> {
        let p = Self.normalize(objectPath)
        let info = try datasetInfo(at: p)
        return try withDataset(p) { did, type, _ in
            let cls = H5Tget_class(type)
            guard cls == H5T_INTEGER || cls == H5T_FLOAT else {
                throw InputError(source: path, field: p, value: info.isString ? "strings" : "type class \(cls.rawValue)",
                                 reason: "expected a numeric dataset")
            }
            let values: [T] = try readNumbers(count: info.count, p) { mem, buf in
                H5Dread(did, mem, rpt_H5S_ALL(), rpt_H5S_ALL(), rpt_H5P_DEFAULT(), buf)
            }
            return H5Array(shape: info.shape, values: values)
        }
    }

    /// Reads a 1-D (or any-rank, flattened) string dataset, fixed- or variable-length.
    public func readStrings(at objectPath: String) throws -> [String] {
        let p = Self.normalize(objectPath)
        let info = try datasetInfo(at: p)
        guard info.isString else {
            throw InputError(source: path, field: p, value: info.elementType?.rawValue ?? "non-string",
                             reason: "expected a string dataset")
        }
        return try withDataset(p) { did, type, space in
            try readStrings(type: type, space: space, count: info.count, p) { mem, buf in
                H5Dread(did, mem, rpt_H5S_ALL(), rpt_H5S_ALL(), rpt_H5P_DEFAULT(), buf)
            }
        }
    }

    // MARK: Helpers

    /// Opens dataset `p` with its file type and dataspace, runs `body`, closes all three.
    private func withDataset<R>(_ p: String, _ body: (hid_t, hid_t, hid_t) throws -> R) throws -> R {
        let fid = try requireOpen(p)
        guard kind(of: p) == .dataset else {
            throw InputError(source: path, field: p,
                             reason: exists(p) ? "is a group, expected a dataset" : "no dataset at this path in the file")
        }
        let did = try call("open dataset", p) { H5Dopen2(fid, p, rpt_H5P_DEFAULT()) }
        defer { H5Dclose(did) }
        let type = try call("get dataset type", p) { H5Dget_type(did) }
        defer { H5Tclose(type) }
        let space = try call("get dataset dataspace", p) { H5Dget_space(did) }
        defer { H5Sclose(space) }
        return try body(did, type, space)
    }

    /// Creates dataset `p` of file type `type` and `shape`, then lets `fill` write it.
    func createDataset(_ p: String, type: hid_t, shape: [Int], options: H5DatasetOptions,
                               fill: (hid_t) throws -> Void) throws {
        let fid = try requireWritable(p)
        guard !exists(p) else {
            throw InputError(source: path, field: p, reason: "an object already exists at this path")
        }
        let space = try makeDataspace(scalar: false, dims: shape, p)
        defer { H5Sclose(space) }
        let dcpl = try call("create dataset property list", p) { H5Pcreate(rpt_H5P_DATASET_CREATE()) }
        defer { H5Pclose(dcpl) }
        let count = shape.reduce(1, *)
        if let chunk = options.chunkShape, count > 0 {
            guard chunk.count == shape.count else {
                throw InputError(source: path, field: p, value: "\(chunk)", reason: "chunk rank differs from data rank \(shape.count)")
            }
            let dims = zip(chunk, shape).map { hsize_t(Swift.max(1, Swift.min($0, $1))) }
            try call("set chunking", p) { H5Pset_chunk(dcpl, Int32(dims.count), dims) }
            if options.shuffle { try call("set shuffle filter", p) { H5Pset_shuffle(dcpl) } }
            if let level = options.deflateLevel {
                try call("set deflate filter", p) { H5Pset_deflate(dcpl, UInt32(Swift.max(0, Swift.min(9, level)))) }
            }
        }
        let lcpl = try intermediateGroupLinkList(p)
        defer { H5Pclose(lcpl) }
        let did = try call("create dataset", p) { H5Dcreate2(fid, p, type, space, lcpl, dcpl, rpt_H5P_DEFAULT()) }
        defer { H5Dclose(did) }
        try fill(did)
    }
}
