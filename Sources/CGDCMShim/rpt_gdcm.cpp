// GDCM behind the C interface of include/CGDCMShim.h. See that header for the contract.
#include "CGDCMShim.h"

#include <gdcmDataSet.h>
#include <gdcmDict.h>
#include <gdcmDicts.h>
#include <gdcmFileMetaInformation.h>
#include <gdcmGlobal.h>
#include <gdcmImage.h>
#include <gdcmImageReader.h>
#include <gdcmMediaStorage.h>
#include <gdcmReader.h>
#include <gdcmSequenceOfItems.h>
#include <gdcmSystem.h>
#include <gdcmTrace.h>
#include <gdcmVersion.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <mutex>
#include <cstring>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace {

const gdcm::Tag pixelDataTag(0x7fe0, 0x0010);

void setMessage(rpt_gdcm_result *r, const std::string &text) {
    std::snprintf(r->message, sizeof(r->message), "%s", text.c_str());
}

/// The VR to report: the file's explicit VR unless unknown, else the public dictionary's (single VRs only).
gdcm::VR::VRType effectiveVR(const gdcm::DataElement &de) {
    gdcm::VR vr = de.GetVR();
    if (vr != gdcm::VR::INVALID && vr != gdcm::VR::UN && !vr.IsDual()) return vr;
    const gdcm::Tag &tag = de.GetTag();
    if (tag.IsPrivate() || tag.IsPrivateCreator()) return vr == gdcm::VR::INVALID ? gdcm::VR::UN : (gdcm::VR::VRType)vr;
    const gdcm::Dicts &dicts = gdcm::Global::GetInstance().GetDicts();
    const gdcm::DictEntry &entry = dicts.GetDictEntry(tag);
    gdcm::VR dictVR = entry.GetVR();
    if (dictVR == gdcm::VR::INVALID || dictVR.IsDual()) return vr == gdcm::VR::INVALID ? gdcm::VR::UN : (gdcm::VR::VRType)vr;
    return dictVR;
}

void visitDataSet(const gdcm::DataSet &ds, rpt_gdcm_visitor visit, void *ctx, bool topLevel, rpt_gdcm_result *r,
                  bool skipPixelData);

void visitElement(const gdcm::DataElement &de, rpt_gdcm_visitor visit, void *ctx) {
    const gdcm::Tag &tag = de.GetTag();
    gdcm::VR::VRType vr = effectiveVR(de);
    bool holdsItems = !de.IsEmpty() && dynamic_cast<const gdcm::SequenceOfItems *>(&de.GetValue()) != nullptr;
    if (vr == gdcm::VR::SQ || holdsItems) {
        gdcm::SmartPointer<gdcm::SequenceOfItems> sq = de.GetValueAsSQ();
        visit(ctx, RPT_GDCM_SEQUENCE_BEGIN, tag.GetGroup(), tag.GetElement(), "SQ", nullptr, 0);
        if (sq) {
            for (gdcm::SequenceOfItems::SizeType i = 1; i <= sq->GetNumberOfItems(); ++i) {
                visit(ctx, RPT_GDCM_ITEM_BEGIN, tag.GetGroup(), tag.GetElement(), "", nullptr, 0);
                visitDataSet(sq->GetItem(i).GetNestedDataSet(), visit, ctx, false, nullptr, false);
                visit(ctx, RPT_GDCM_ITEM_END, tag.GetGroup(), tag.GetElement(), "", nullptr, 0);
            }
        }
        visit(ctx, RPT_GDCM_SEQUENCE_END, tag.GetGroup(), tag.GetElement(), "SQ", nullptr, 0);
        return;
    }
    const gdcm::ByteValue *bv = de.GetByteValue();
    const char *vrName = vr == gdcm::VR::UN ? "UN" : gdcm::VR::GetVRString(vr);
    if (bv == nullptr) {  // empty value or encapsulated (fragments) pixel data
        visit(ctx, RPT_GDCM_ELEMENT, tag.GetGroup(), tag.GetElement(), vrName, nullptr, 0);
        return;
    }
    visit(ctx, RPT_GDCM_ELEMENT, tag.GetGroup(), tag.GetElement(), vrName,
          reinterpret_cast<const uint8_t *>(bv->GetPointer()), bv->GetLength());
}

void visitDataSet(const gdcm::DataSet &ds, rpt_gdcm_visitor visit, void *ctx, bool topLevel, rpt_gdcm_result *r,
                  bool skipPixelData) {
    for (gdcm::DataSet::ConstIterator it = ds.Begin(); it != ds.End(); ++it) {
        const gdcm::DataElement &de = *it;
        if (topLevel && skipPixelData && de.GetTag() == pixelDataTag) continue;
        visitElement(de, visit, ctx);
        if (topLevel && r) { r->last_group = de.GetTag().GetGroup(); r->last_element = de.GetTag().GetElement(); }
    }
}

/// Whether the Part 10 file meta information (group 0002, Explicit VR Little Endian) in `head` (the first bytes
/// of a file of `fileSize` bytes) is complete. GDCM 3.0.21 as packaged by Debian aborts on an assertion when it
/// is cut short, so this is checked before GDCM sees the file. `last` receives the last complete element.
bool metaInformationComplete(const std::string &head, size_t fileSize, uint16_t *lastGroup, uint16_t *lastElement) {
    if (head.size() < 132 || head.compare(128, 4, "DICM") != 0) return true;  // no preamble: GDCM's own checks
    auto u16 = [&](size_t at) { return uint16_t(uint8_t(head[at]) | uint8_t(head[at + 1]) << 8); };
    auto u32 = [&](size_t at) { return uint32_t(u16(at)) | uint32_t(u16(at + 2)) << 16; };
    size_t pos = 132;
    while (true) {
        if (pos + 8 > fileSize) return false;
        if (pos + 8 > head.size()) return true;  // beyond what was read: leave it to GDCM
        if (u16(pos) != 0x0002) return true;
        std::string vr = head.substr(pos + 4, 2);
        bool longLength = vr == "OB" || vr == "OW" || vr == "OF" || vr == "SQ" || vr == "UT" || vr == "UN" ||
                          vr == "UC" || vr == "UR" || vr == "OD" || vr == "OL" || vr == "OV" || vr == "SV" || vr == "UV";
        size_t headerLength = longLength ? 12 : 8;
        if (pos + headerLength > fileSize) return false;
        if (pos + headerLength > head.size()) return true;
        size_t valueLength = longLength ? u32(pos + 8) : u16(pos + 6);
        if (valueLength == 0xFFFFFFFFu || pos + headerLength + valueLength > fileSize) return false;
        *lastGroup = u16(pos); *lastElement = u16(pos + 2);
        pos += headerLength + valueLength;
    }
}

}  // namespace

extern "C" const char *rpt_gdcm_version(void) { return gdcm::Version::GetVersion(); }

extern "C" int rpt_gdcm_read(const char *path, const uint8_t *bytes, size_t length, int header_only,
                             rpt_gdcm_visitor visit, void *ctx, rpt_gdcm_result *r) {
    std::memset(r, 0, sizeof(*r));
    // GDCM reports some defects only as trace warnings (e.g. "Incomplete Pixel Data found"): collect them.
    // The trace streams are global, so reads are serialised.
    static std::mutex traceLock;
    static std::ostringstream trace;
    std::lock_guard<std::mutex> guard(traceLock);
    trace.str("");
    trace.clear();
    gdcm::Trace::SetWarningStream(trace);
    gdcm::Trace::SetErrorStream(trace);
    gdcm::Trace::SetWarning(true);
    gdcm::Trace::SetError(true);
    gdcm::Trace::SetDebug(false);
    try {
        // Each attempt reads from a fresh stream (in-memory bytes) or the file.
        std::string copy = bytes != nullptr ? std::string(reinterpret_cast<const char *>(bytes), length) : std::string();
        std::istringstream memory1(copy), memory2(copy);
        {
            std::string head = copy.substr(0, 65536);
            size_t fileSize = copy.size();
            if (bytes == nullptr) {
                std::ifstream in(path, std::ios::binary);
                in.seekg(0, std::ios::end);
                fileSize = in.good() ? size_t(in.tellg()) : 0;
                in.seekg(0);
                head.resize(std::min<size_t>(fileSize, 65536));
                in.read(&head[0], std::streamsize(head.size()));
            }
            if (!metaInformationComplete(head, fileSize, &r->last_group, &r->last_element)) {
                r->status = RPT_GDCM_PARSE_FAILED;
                setMessage(r, "the file meta information (group 0002) is truncated");
                return r->status;
            }
        }
        auto attach = [&](gdcm::Reader &reader, std::istringstream &memory) {
            if (bytes != nullptr) reader.SetStream(memory); else reader.SetFileName(path);
        };
        auto describe = [&](const gdcm::File &file) {
            const char *ts = gdcm::TransferSyntax::GetTSString(file.GetHeader().GetDataSetTransferSyntax());
            if (ts) std::snprintf(r->transfer_syntax, sizeof(r->transfer_syntax), "%s", ts);
        };

        // GDCM 3.0.21 as packaged aborts on an assertion when building the image of a file with Frame Increment
        // Pointer (0028,0009) but no Number of Frames (0028,0008): check the header first and refuse such files.
        if (!header_only) {
            std::istringstream memory0(copy);
            gdcm::Reader headerReader;
            attach(headerReader, memory0);
            if (headerReader.ReadUpToTag(pixelDataTag, std::set<gdcm::Tag>())) {
                const gdcm::DataSet &hds = headerReader.GetFile().GetDataSet();
                const gdcm::Tag frames(0x0028, 0x0008), increment(0x0028, 0x0009);
                bool noFrames = !hds.FindDataElement(frames) || hds.GetDataElement(frames).IsEmpty();
                if (hds.FindDataElement(increment) && noFrames) {
                    describe(headerReader.GetFile());
                    r->status = RPT_GDCM_DECODE_FAILED;
                    setMessage(r, "Frame Increment Pointer (0028,0009) is present but Number of Frames (0028,0008) is "
                                  "missing or empty; GDCM cannot build such an image");
                    return r->status;
                }
            }
        }

        // Images: GDCM's ImageReader parses the file and builds the image (pixel data decoded on GetBuffer).
        gdcm::ImageReader imageReader;
        bool imageRead = false;
        if (!header_only) {
            attach(imageReader, memory1);
            imageRead = imageReader.Read();
        }
        if (!imageRead) {
            // Header scans, non-image objects (RTSTRUCT, …) and failures: parse with the plain Reader.
            gdcm::Reader reader;
            attach(reader, memory2);
            bool parsed = header_only ? reader.ReadUpToTag(pixelDataTag, std::set<gdcm::Tag>()) : reader.Read();
            const gdcm::File &file = reader.GetFile();
            const gdcm::DataSet &ds = file.GetDataSet();
            describe(file);
            if (!parsed && ds.IsEmpty() && file.GetHeader().IsEmpty()) {
                r->status = RPT_GDCM_NOT_READABLE;
                setMessage(r, "GDCM cannot read it as DICOM (missing, unreadable or not a DICOM file)");
                return r->status;
            }
            visitDataSet(file.GetHeader(), visit, ctx, false, nullptr, false);
            visitDataSet(ds, visit, ctx, true, r, true);
            if (!parsed) {
                r->status = RPT_GDCM_PARSE_FAILED;
                setMessage(r, "GDCM stopped parsing before the end of the data set (truncated or corrupt file)");
            } else if (!header_only && ds.FindDataElement(pixelDataTag) && !ds.GetDataElement(pixelDataTag).IsEmpty()) {
                r->status = RPT_GDCM_DECODE_FAILED;
                setMessage(r, std::string("GDCM could not build an image from the pixel data and its attributes (") +
                                  r->transfer_syntax + ")");
            }
            return r->status;
        }

        const gdcm::File &file = imageReader.GetFile();
        describe(file);
        visitDataSet(file.GetHeader(), visit, ctx, false, nullptr, false);
        visitDataSet(file.GetDataSet(), visit, ctx, true, r, true);
        const gdcm::Image &image = imageReader.GetImage();
        // GDCM pads native pixel data cut short by the end of the file (with a warning); refuse it instead.
        if (trace.str().find("Incomplete Pixel Data") != std::string::npos) {
            r->status = RPT_GDCM_PARSE_FAILED;
            r->last_group = 0x7fe0; r->last_element = 0x0010;
            setMessage(r, "file is truncated: Pixel Data ends before the length its header declares");
            return r->status;
        }
        const gdcm::DataElement &pixelElement = file.GetDataSet().GetDataElement(pixelDataTag);
        if (const gdcm::ByteValue *stored = pixelElement.GetByteValue()) {
            const gdcm::PixelFormat &pf = image.GetPixelFormat();
            unsigned long long pixels = (unsigned long long)image.GetDimension(0) * image.GetDimension(1) *
                                        (image.GetNumberOfDimensions() > 2 ? image.GetDimension(2) : 1) *
                                        pf.GetSamplesPerPixel();
            unsigned long long needed = (pixels * pf.GetBitsAllocated() + 7) / 8;
            if (stored->GetLength() < needed) {
                r->status = RPT_GDCM_PARSE_FAILED;
                r->last_group = 0x7fe0; r->last_element = 0x0010;
                setMessage(r, "file is truncated: Pixel Data holds " + std::to_string(stored->GetLength()) +
                                  " bytes but the image needs " + std::to_string(needed));
                return r->status;
            }
        }
        std::vector<char> buffer(image.GetBufferLength());
        if (buffer.empty() || !image.GetBuffer(buffer.data())) {
            r->status = RPT_GDCM_DECODE_FAILED;
            setMessage(r, std::string("GDCM could not decode the pixel data (") + r->transfer_syntax + ")");
            return r->status;
        }
        const gdcm::PixelFormat &pf = image.GetPixelFormat();
        // Explicit VR Big Endian: GDCM swaps Pixel Data (OW) as 16-bit words while reading, which leaves the two
        // halves of each 32-bit value in big-endian order; put them in native (little-endian) order.
        if (file.GetHeader().GetDataSetTransferSyntax() == gdcm::TransferSyntax::ExplicitVRBigEndian &&
            pf.GetBitsAllocated() > 16) {
            const gdcm::DataElement &pixels = file.GetDataSet().GetDataElement(pixelDataTag);
            if (pixels.GetVR() != gdcm::VR::OW || pf.GetBitsAllocated() != 32) {
                r->status = RPT_GDCM_DECODE_FAILED;
                setMessage(r, "Explicit VR Big Endian pixel data with more than 16 bits are only read as OW of 32-bit values");
                return r->status;
            }
            for (size_t at = 0; at + 4 <= buffer.size(); at += 4) {
                std::swap(buffer[at], buffer[at + 2]);
                std::swap(buffer[at + 1], buffer[at + 3]);
            }
        }
        r->columns = image.GetDimension(0);
        r->rows = image.GetDimension(1);
        r->frames = image.GetNumberOfDimensions() > 2 ? image.GetDimension(2) : 1;
        r->samples_per_pixel = pf.GetSamplesPerPixel();
        r->bits_allocated = pf.GetBitsAllocated();
        r->bits_stored = pf.GetBitsStored();
        r->high_bit = pf.GetHighBit();
        r->pixel_representation = pf.GetPixelRepresentation();
        r->pixels_decoded = 1;
        visit(ctx, RPT_GDCM_ELEMENT, 0x7fe0, 0x0010, pf.GetBitsAllocated() > 8 ? "OW" : "OB",
              reinterpret_cast<const uint8_t *>(buffer.data()), buffer.size());
        return r->status;
    } catch (const std::exception &e) {
        r->status = RPT_GDCM_PARSE_FAILED;
        setMessage(r, std::string("GDCM failed: ") + e.what());
        return r->status;
    } catch (...) {
        r->status = RPT_GDCM_PARSE_FAILED;
        setMessage(r, "GDCM failed with an unknown exception");
        return r->status;
    }
}
