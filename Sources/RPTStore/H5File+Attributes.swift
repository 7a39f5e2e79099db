import CHDF5
import Foundation
import RPTCore

/// Attributes on the root, on groups and on datasets.
extension H5File {
    /// Writes (or replaces) attribute `name` on the object at `objectPath` (default: the root).
    public func setAttribute(_ name: String, _ value: H5AttributeValue, at objectPath: String = "/") throws {
        let p = Self.normalize(objectPath)
        _ = try requireWritable(p)
        let where_ = "\(p)@\(name)"
        try withObject(p) { obj in
            if try call("check attribute", where_, { H5Aexists(obj, name) }) > 0 {
                try call("replace attribute", where_) { H5Adelete(obj, name) }
            }
            switch value {
            case .string(let s): try writeStringAttribute(obj, name, [s], scalar: true, where_)
            case .strings(let s): try writeStringAttribute(obj, name, s, scalar: false, where_)
            case .double(let d): try writeNumericAttribute(obj, name, [d], scalar: true, where_)
            case .doubles(let d): try writeNumericAttribute(obj, name, d, scalar: false, where_)
            case .int(let i): try writeNumericAttribute(obj, name, [i], scalar: true, where_)
            case .ints(let i): try writeNumericAttribute(obj, name, i, scalar: false, where_)
            case .uint(let u): try writeNumericAttribute(obj, name, [u], scalar: true, where_)
            }
        }
    }

    /// Whether the object at `objectPath` has attribute `name`.
    public func hasAttribute(_ name: String, at objectPath: String = "/") throws -> Bool {
        let p = Self.normalize(objectPath)
        return try withObject(p) { obj in try call("check attribute", "\(p)@\(name)") { H5Aexists(obj, name) } > 0 }
    }

    /// Names of the attributes of the object at `objectPath`, in name order.
    public func attributeNames(at objectPath: String = "/") throws -> [String] {
        let p = Self.normalize(objectPath)
        final class Names { var list: [String] = [] }
        let names = Names()
        try withObject(p) { obj in
            var index: hsize_t = 0
            try withExtendedLifetime(names) {
                _ = try call("list attributes", p) {
                    H5Aiterate2(obj, H5_INDEX_NAME, H5_ITER_INC, &index, { _, name, _, data in
                        guard let name, let data else { return 0 }
                        Unmanaged<Names>.fromOpaque(data).takeUnretainedValue().list.append(String(cString: name))
                        return 0
                    }, Unmanaged.passUnretained(names).toOpaque())
                }
            }
        }
        return names.list
    }

    /// Reads attribute `name` of the object at `objectPath`.
    /// - Throws: `InputError` naming file, object and attribute if it is absent or of a type RPTStore
    ///   does not read (compound, enum, references…).
    public func attribute(_ name: String, at objectPath: String = "/") throws -> H5AttributeValue {
        guard let value = try attributeIfPresent(name, at: objectPath) else {
            throw InputError(source: path, field: "\(Self.normalize(objectPath))@\(name)", reason: "attribute is missing")
        }
        return value
    }

    /// Reads attribute `name` of the object at `objectPath`, or nil when the object lacks it.
    public func attributeIfPresent(_ name: String, at objectPath: String = "/") throws -> H5AttributeValue? {
        let p = Self.normalize(objectPath)
        let where_ = "\(p)@\(name)"
        return try withObject(p) { obj -> H5AttributeValue? in
            guard try call("check attribute", where_, { H5Aexists(obj, name) }) > 0 else { return nil }
            let aid = try call("open attribute", where_) { H5Aopen(obj, name, rpt_H5P_DEFAULT()) }
            defer { H5Aclose(aid) }
            let type = try call("get attribute type", where_) { H5Aget_type(aid) }
            defer { H5Tclose(type) }
            let space = try call("get attribute dataspace", where_) { H5Aget_space(aid) }
            defer { H5Sclose(space) }
            let shapeKind = H5Sget_simple_extent_type(space)
            let scalar = shapeKind == H5S_SCALAR
            let count = shapeKind == H5S_NULL ? 0 : Int(try call("count attribute elements", where_) {
                H5Sget_simple_extent_npoints(space)
            })
            let cls = H5Tget_class(type)
            if cls == H5T_STRING {
                let strings = try readStrings(type: type, space: space, count: count, where_) { mem, buf in
                    H5Aread(aid, mem, buf)
                }
                return scalar && strings.count == 1 ? .string(strings[0]) : .strings(strings)
            }
            if cls == H5T_FLOAT {
                let d: [Double] = try readNumbers(count: count, where_) { mem, buf in H5Aread(aid, mem, buf) }
                return scalar && d.count == 1 ? .double(d[0]) : .doubles(d)
            }
            if cls == H5T_INTEGER {
                if H5Tget_sign(type) == H5T_SGN_NONE && H5Tget_size(type) == 8 {
                    let u: [UInt64] = try readNumbers(count: count, where_) { mem, buf in H5Aread(aid, mem, buf) }
                    if scalar && u.count == 1 { return .uint(u[0]) }
                    let asSigned = u.compactMap { Int64(exactly: $0) }
                    guard asSigned.count == u.count else {
                        throw InputError(source: path, field: where_, reason: "uint64 array values exceed the int64 range")
                    }
                    return .ints(asSigned)
                }
                let i: [Int64] = try readNumbers(count: count, where_) { mem, buf in H5Aread(aid, mem, buf) }
                return scalar && i.count == 1 ? .int(i[0]) : .ints(i)
            }
            throw InputError(source: path, field: where_, value: "HDF5 type class \(cls.rawValue)",
                             reason: "unsupported attribute type (expected string, float or integer)")
        }
    }

    // MARK: Typed reading

    /// Reads a string attribute; throws `InputError` if missing or not a string.
    public func stringAttribute(_ name: String, at objectPath: String = "/") throws -> String {
        try typed(name, objectPath, "a string") { $0.asString }
    }
    /// Reads a list-of-strings attribute (a single string is a one-element list).
    public func stringsAttribute(_ name: String, at objectPath: String = "/") throws -> [String] {
        try typed(name, objectPath, "a list of strings") { $0.asStrings }
    }
    /// Reads a numeric scalar attribute as Double.
    public func doubleAttribute(_ name: String, at objectPath: String = "/") throws -> Double {
        try typed(name, objectPath, "a number") { $0.asDouble }
    }
    /// Reads a numeric array attribute as [Double].
    public func doublesAttribute(_ name: String, at objectPath: String = "/") throws -> [Double] {
        try typed(name, objectPath, "a list of numbers") { $0.asDoubles }
    }
    /// Reads an integer scalar attribute.
    public func intAttribute(_ name: String, at objectPath: String = "/") throws -> Int64 {
        try typed(name, objectPath, "an integer") { $0.asInt }
    }
    /// Reads an integer array attribute.
    public func intsAttribute(_ name: String, at objectPath: String = "/") throws -> [Int64] {
        try typed(name, objectPath, "a list of integers") { $0.asInts }
    }

    private func typed<T>(_ name: String, _ objectPath: String, _ expected: String,
                          _ convert: (H5AttributeValue) -> T?) throws -> T {
        let value = try attribute(name, at: objectPath)
        guard let result = convert(value) else {
            throw InputError(source: path, field: "\(Self.normalize(objectPath))@\(name)",
                             value: String(value.description.prefix(80)),
                             reason: "expected \(expected), found \(value.kindName)")
        }
        return result
    }

    // MARK: Low-level helpers shared with datasets

    /// A variable-length UTF-8 string datatype; caller closes it.
    func makeVariableStringType(_ where_: String) throws -> hid_t {
        let t = try call("create string type", where_) { H5Tcopy(rpt_H5T_C_S1()) }
        do {
            try call("set string size", where_) { H5Tset_size(t, rpt_H5T_VARIABLE()) }
            try call("set string encoding", where_) { H5Tset_cset(t, H5T_CSET_UTF8) }
        } catch { H5Tclose(t); throw error }
        return t
    }

    /// A dataspace: scalar, or 1-D / N-D simple with `dims`; caller closes it.
    func makeDataspace(scalar: Bool, dims: [Int], _ where_: String) throws -> hid_t {
        if scalar { return try call("create dataspace", where_) { H5Screate(H5S_SCALAR) } }
        let h = dims.map { hsize_t($0) }
        return try call("create dataspace", where_) { H5Screate_simple(Int32(h.count), h, nil) }
    }

    private func writeStringAttribute(_ obj: hid_t, _ name: String, _ strings: [String], scalar: Bool,
                                      _ where_: String) throws {
        let type = try makeVariableStringType(where_)
        defer { H5Tclose(type) }
        let space = try makeDataspace(scalar: scalar, dims: [strings.count], where_)
        defer { H5Sclose(space) }
        let aid = try call("create attribute", where_) { H5Acreate2(obj, name, type, space, rpt_H5P_DEFAULT(), rpt_H5P_DEFAULT()) }
        defer { H5Aclose(aid) }
        _ = try withCStringArray(strings) { pointers in
            try call("write attribute", where_) { H5Awrite(aid, type, pointers) }
        }
    }

    private func writeNumericAttribute<T: H5Scalar>(_ obj: hid_t, _ name: String, _ values: [T], scalar: Bool,
                                                    _ where_: String) throws {
        let space = try makeDataspace(scalar: scalar, dims: [values.count], where_)
        defer { H5Sclose(space) }
        let e = T.h5ElementType
        let aid = try call("create attribute", where_) { H5Acreate2(obj, name, e.fileType, space, rpt_H5P_DEFAULT(), rpt_H5P_DEFAULT()) }
        defer { H5Aclose(aid) }
        if values.isEmpty { return }
        try values.withUnsafeBytes { raw in
            _ = try call("write attribute", where_) { H5Awrite(aid, e.memoryType, raw.baseAddress) }
        }
    }

    /// Reads `count` numbers converting to `T` in HDF5 (`read` gets memory type and buffer).
    func readNumbers<T: H5Scalar>(count: Int, _ where_: String,
                                  _ read: (hid_t, UnsafeMutableRawPointer?) -> herr_t) throws -> [T] {
        if count == 0 { return [] }
        return try [T](unsafeUninitializedCapacity: count) { buffer, initialized in
            try call("read values", where_) { read(T.h5ElementType.memoryType, UnsafeMutableRawPointer(buffer.baseAddress)) }
            initialized = count
        }
    }

    /// Reads `count` strings of file type `type` (variable- or fixed-length) through `read`.
    func readStrings(type: hid_t, space: hid_t, count: Int, _ where_: String,
                     _ read: (hid_t, UnsafeMutableRawPointer?) -> herr_t) throws -> [String] {
        if count == 0 { return [] }
        let isVariable = try call("inspect string type", where_) { H5Tis_variable_str(type) } > 0
        if isVariable {
            let mem = try makeVariableStringType(where_)
            defer { H5Tclose(mem) }
            var pointers = [UnsafeMutablePointer<CChar>?](repeating: nil, count: count)
            try pointers.withUnsafeMutableBytes { raw in
                _ = try call("read strings", where_) { read(mem, raw.baseAddress) }
            }
            let strings = pointers.map { $0.map { String(decoding: UnsafeRawBufferPointer(start: $0, count: strlen($0)), as: UTF8.self) } ?? "" }
            pointers.withUnsafeMutableBytes { raw in
                _ = H5Dvlen_reclaim(mem, space, rpt_H5P_DEFAULT(), raw.baseAddress)
            }
            return strings
        }
        let size = H5Tget_size(type)
        guard size > 0 else { throw InputError(source: path, field: where_, reason: "string type has size 0") }
        let mem = try call("create string type", where_) { H5Tcopy(rpt_H5T_C_S1()) }
        defer { H5Tclose(mem) }
        try call("set string size", where_) { H5Tset_size(mem, size) }
        try call("set string padding", where_) { H5Tset_strpad(mem, H5T_STR_NULLPAD) }
        var bytes = [UInt8](repeating: 0, count: size * count)
        try bytes.withUnsafeMutableBytes { raw in _ = try call("read strings", where_) { read(mem, raw.baseAddress) } }
        let spacePadded = H5Tget_strpad(type) == H5T_STR_SPACEPAD
        return (0..<count).map { n in
            var slice = bytes[(n * size)..<((n + 1) * size)]
            if let nul = slice.firstIndex(of: 0) { slice = slice[..<nul] }
            if spacePadded { while slice.last == 0x20 { slice = slice.dropLast() } }
            return String(decoding: slice, as: UTF8.self)
        }
    }

    /// Calls `body` with a buffer of C string pointers (for variable-length string writes).
    func withCStringArray<R>(_ strings: [String], _ body: (UnsafeRawPointer?) throws -> R) throws -> R {
        let pointers: [UnsafeMutablePointer<CChar>?] = strings.map { strdup($0) }
        defer { pointers.forEach { free($0) } }
        return try pointers.withUnsafeBytes { raw in try body(raw.baseAddress) }
    }
}
