// Tiny shim over HDF5: its type and property-list "constants" are C macros over global ids
// that Swift cannot import. Each is exposed here as a static inline function.
#include <hdf5.h>
static inline hid_t rpt_H5T_NATIVE_DOUBLE(void) { return H5T_NATIVE_DOUBLE; }
