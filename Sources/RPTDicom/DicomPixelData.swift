import RPTCore

/// Image Pixel module attributes (PS3.3 C.7.6.3) and decoding of native (uncompressed) pixel data
/// into stored values, honouring Bits Allocated, Bits Stored, High Bit and Pixel Representation.
struct DicomPixelData {
    let rows: Int
    let columns: Int
    let frames: Int
    let bitsAllocated: Int
    let bitsStored: Int
    let highBit: Int
    /// Pixel Representation 1: two's complement signed stored values.
    let signed: Bool
    private let bytes: [UInt8]
    private let bigEndian: Bool

    var pixelsPerFrame: Int { rows * columns }

    /// Validates the pixel attributes of `ds` and that Pixel Data holds enough bytes.
    init(_ ds: DicomDataSet) throws {
        let src = ds.source
        rows = try ds.requiredInt(.rows)
        columns = try ds.requiredInt(.columns)
        frames = try ds.int(.numberOfFrames) ?? 1
        bitsAllocated = try ds.requiredInt(.bitsAllocated)
        bitsStored = try ds.int(.bitsStored) ?? bitsAllocated
        highBit = try ds.int(.highBit) ?? (bitsStored - 1)
        let representation = try ds.int(.pixelRepresentation) ?? 0
        signed = representation == 1
        bigEndian = ds.bigEndian
        guard rows > 0, columns > 0, frames > 0 else {
            throw InputError(source: src, field: "\(DicomTag.rows.label) / \(DicomTag.columns.label) / \(DicomTag.numberOfFrames.label)",
                             value: "\(rows) / \(columns) / \(frames)", reason: "must all be ≥ 1")
        }
        let samples = try ds.int(.samplesPerPixel) ?? 1
        guard samples == 1 else {
            throw InputError(source: src, field: DicomTag.samplesPerPixel.label, value: "\(samples)",
                             reason: "only single-sample (greyscale) images are supported")
        }
        guard [1, 8, 16, 32].contains(bitsAllocated) else {
            throw InputError(source: src, field: DicomTag.bitsAllocated.label, value: "\(bitsAllocated)",
                             reason: "supported values are 1, 8, 16 and 32")
        }
        guard bitsStored >= 1, bitsStored <= bitsAllocated, highBit < bitsAllocated, highBit + 1 >= bitsStored else {
            throw InputError(source: src, field: DicomTag.bitsStored.label,
                             value: "stored \(bitsStored), high bit \(highBit), allocated \(bitsAllocated)",
                             reason: "inconsistent bit layout")
        }
        guard representation == 0 || representation == 1 else {
            throw InputError(source: src, field: DicomTag.pixelRepresentation.label, value: "\(representation)", reason: "must be 0 or 1")
        }
        if bigEndian && bitsAllocated == 32 {
            throw InputError(source: src, field: DicomTag.bitsAllocated.label, value: "32",
                             reason: "32-bit pixel data in Explicit VR Big Endian files are not supported")
        }
        guard let element = ds[.pixelData] else {
            throw InputError(source: src, field: DicomTag.pixelData.label, reason: "required attribute is missing: the file has no pixel data")
        }
        if element.fragments != nil {
            throw InputError(source: src, field: DicomTag.pixelData.label, value: ds.transferSyntax.uid,
                             reason: "pixel data are still encapsulated (\(ds.transferSyntax.name)); the file was not decoded")
        }
        let needed = bitsAllocated == 1 ? (rows * columns * frames + 7) / 8 : rows * columns * frames * (bitsAllocated / 8)
        guard element.bytes.count >= needed else {
            throw InputError(source: src, field: DicomTag.pixelData.label, value: "\(element.bytes.count) bytes",
                             reason: "too short: \(rows)×\(columns) pixels × \(frames) frame(s) × \(bitsAllocated) bits need \(needed) bytes")
        }
        bytes = element.bytes
    }

    /// Stored values of frame `k` (row by row, column index fastest), as exact doubles.
    func frame(_ k: Int) -> [Double] {
        let n = pixelsPerFrame
        var out = [Double](repeating: 0, count: n)
        if bitsAllocated == 1 {
            let first = k * n
            for p in 0..<n {
                let bit = first + p
                out[p] = Double((bytes[bit >> 3] >> UInt8(bit & 7)) & 1)
            }
            return out
        }
        let width = bitsAllocated / 8
        let shift = highBit + 1 - bitsStored
        let mask: UInt64 = bitsStored == 64 ? .max : (1 << UInt64(bitsStored)) - 1
        let signBit: UInt64 = 1 << UInt64(bitsStored - 1)
        let fullWidth = shift == 0 && bitsStored == bitsAllocated
        bytes.withUnsafeBytes { raw in
            let base = k * n * width
            for p in 0..<n {
                let at = base + p * width
                var v: UInt64
                switch width {
                case 1: v = UInt64(raw[at])
                case 2:
                    let w = raw.loadUnaligned(fromByteOffset: at, as: UInt16.self)
                    v = UInt64(bigEndian ? w.byteSwapped : UInt16(littleEndian: w))
                default: v = UInt64(UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: at, as: UInt32.self)))
                }
                if !fullWidth { v = (v >> UInt64(shift)) & mask }
                if signed && v & signBit != 0 {
                    out[p] = Double(Int64(v) - Int64(mask) - 1)
                } else {
                    out[p] = Double(v)
                }
            }
        }
        return out
    }
}
