// A plain C interface to GDCM (Grassroots DICOM, Debian libgdcm-dev) for RPTDicom.
//
// GDCM parses the file (Part 10 or raw data set; implicit/explicit VR, little/big endian, deflate) and decodes
// the pixel data of every transfer syntax it has a codec for (JPEG baseline/extended/lossless, JPEG-LS,
// JPEG 2000, RLE). The shim walks the parsed data set and hands every element to a visitor, binary values in
// little-endian byte order, and the decoded pixel data as a native (7FE0,0010) element. Interpretation
// (geometry, rescale, functional groups, series assembly) stays in Swift.
#ifndef CGDCMSHIM_H
#define CGDCMSHIM_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// Events of the data-set walk, in document order.
enum {
    /// A non-sequence element: `vr` is its two-letter VR ("" when unknown), `value`/`length` its bytes.
    RPT_GDCM_ELEMENT = 0,
    /// A sequence (VR SQ) starts; its items follow, then RPT_GDCM_SEQUENCE_END.
    RPT_GDCM_SEQUENCE_BEGIN = 1,
    RPT_GDCM_ITEM_BEGIN = 2,
    RPT_GDCM_ITEM_END = 3,
    RPT_GDCM_SEQUENCE_END = 4,
};

/// Outcome of `rpt_gdcm_read`.
enum {
    RPT_GDCM_OK = 0,
    /// The file cannot be opened or is not DICOM.
    RPT_GDCM_NOT_READABLE = 1,
    /// GDCM stopped parsing before the end of the data set (truncated or corrupt file); the elements read
    /// before the failure were visited and `last_group`/`last_element` name the last one.
    RPT_GDCM_PARSE_FAILED = 2,
    /// The data set was read but its pixel data could not be decoded (unsupported or corrupt codestream).
    RPT_GDCM_DECODE_FAILED = 3,
};

typedef void (*rpt_gdcm_visitor)(void *context, int event, uint16_t group, uint16_t element, const char *vr,
                                 const uint8_t *value, size_t length);

typedef struct {
    int status;
    /// Transfer Syntax UID of the file as stored (NUL-terminated).
    char transfer_syntax[72];
    /// The last top-level element read (useful when parsing failed).
    uint16_t last_group, last_element;
    /// 1 when the file has Pixel Data and it was decoded and visited as a native element.
    int pixels_decoded;
    /// Layout of the decoded pixel buffer (GDCM's PixelFormat and dimensions).
    uint32_t rows, columns, frames, samples_per_pixel, bits_allocated, bits_stored, high_bit, pixel_representation;
    /// Human-readable cause of a failure (NUL-terminated).
    char message[512];
} rpt_gdcm_result;

/// Reads a DICOM file from `path` (when `bytes` is NULL) or from `length` bytes in memory, visits its file meta
/// information and data set, and (unless `header_only`) decodes and visits its pixel data.
/// `header_only` stops before Pixel Data (7FE0,0010). Returns `result->status`.
int rpt_gdcm_read(const char *path, const uint8_t *bytes, size_t length, int header_only,
                  rpt_gdcm_visitor visitor, void *context, rpt_gdcm_result *result);

/// GDCM's version string (e.g. "3.0.21").
const char *rpt_gdcm_version(void);

#ifdef __cplusplus
}
#endif

#endif
