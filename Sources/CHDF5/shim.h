// Tiny shim over HDF5 1.10 (Debian's hdf5-serial): its type, property-list and flag "constants" are
// C macros (most expand to `(H5OPEN H5T_NATIVE_DOUBLE_g)`-style expressions that also initialise the
// library), which Swift cannot import. Each one RPTStore needs is exposed here as a static inline
// function named rpt_<MACRO>.
#ifndef RPTDOSE_CHDF5_SHIM_H
#define RPTDOSE_CHDF5_SHIM_H
#include <hdf5.h>

// Default property list, error stack, "whole dataspace" selection.
static inline hid_t rpt_H5P_DEFAULT(void) { return H5P_DEFAULT; }
static inline hid_t rpt_H5E_DEFAULT(void) { return H5E_DEFAULT; }
static inline hid_t rpt_H5S_ALL(void) { return H5S_ALL; }

// File access flags.
static inline unsigned rpt_H5F_ACC_RDONLY(void) { return H5F_ACC_RDONLY; }
static inline unsigned rpt_H5F_ACC_RDWR(void) { return H5F_ACC_RDWR; }
static inline unsigned rpt_H5F_ACC_TRUNC(void) { return H5F_ACC_TRUNC; }
static inline unsigned rpt_H5F_ACC_EXCL(void) { return H5F_ACC_EXCL; }

// Property list classes.
static inline hid_t rpt_H5P_DATASET_CREATE(void) { return H5P_DATASET_CREATE; }
static inline hid_t rpt_H5P_LINK_CREATE(void) { return H5P_LINK_CREATE; }
static inline hid_t rpt_H5P_FILE_ACCESS(void) { return H5P_FILE_ACCESS; }

// Memory (native) types.
static inline hid_t rpt_H5T_NATIVE_DOUBLE(void) { return H5T_NATIVE_DOUBLE; }
static inline hid_t rpt_H5T_NATIVE_FLOAT(void) { return H5T_NATIVE_FLOAT; }
static inline hid_t rpt_H5T_NATIVE_UINT8(void) { return H5T_NATIVE_UINT8; }
static inline hid_t rpt_H5T_NATIVE_INT16(void) { return H5T_NATIVE_INT16; }
static inline hid_t rpt_H5T_NATIVE_UINT16(void) { return H5T_NATIVE_UINT16; }
static inline hid_t rpt_H5T_NATIVE_INT32(void) { return H5T_NATIVE_INT32; }
static inline hid_t rpt_H5T_NATIVE_INT64(void) { return H5T_NATIVE_INT64; }
static inline hid_t rpt_H5T_NATIVE_UINT64(void) { return H5T_NATIVE_UINT64; }

// File (standard, little-endian) types.
static inline hid_t rpt_H5T_STD_U8LE(void) { return H5T_STD_U8LE; }
static inline hid_t rpt_H5T_STD_I16LE(void) { return H5T_STD_I16LE; }
static inline hid_t rpt_H5T_STD_U16LE(void) { return H5T_STD_U16LE; }
static inline hid_t rpt_H5T_STD_I32LE(void) { return H5T_STD_I32LE; }
static inline hid_t rpt_H5T_STD_I64LE(void) { return H5T_STD_I64LE; }
static inline hid_t rpt_H5T_STD_U64LE(void) { return H5T_STD_U64LE; }
static inline hid_t rpt_H5T_IEEE_F32LE(void) { return H5T_IEEE_F32LE; }
static inline hid_t rpt_H5T_IEEE_F64LE(void) { return H5T_IEEE_F64LE; }

// Strings: the C string base type and the "variable length" size marker.
static inline hid_t rpt_H5T_C_S1(void) { return H5T_C_S1; }
static inline size_t rpt_H5T_VARIABLE(void) { return H5T_VARIABLE; }

#endif
