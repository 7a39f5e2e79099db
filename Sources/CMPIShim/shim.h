// Tiny shim over MPI (Open MPI 4/5): MPI_COMM_WORLD, MPI_DOUBLE, MPI_SUM, MPI_IN_PLACE… are C macros over
// hidden global structs, which Swift cannot import. Each one RPTDose needs is exposed here as a static
// inline function named rpt_<MACRO>, plus the exact 128-bit sum used to reduce integer tallies.
#ifndef RPTDOSE_CMPISHIM_H
#define RPTDOSE_CMPISHIM_H
#include <mpi.h>
#include <stdint.h>

static inline MPI_Comm rpt_MPI_COMM_WORLD(void) { return MPI_COMM_WORLD; }
static inline MPI_Datatype rpt_MPI_UINT64_T(void) { return MPI_UINT64_T; }
static inline MPI_Datatype rpt_MPI_DOUBLE(void) { return MPI_DOUBLE; }
static inline MPI_Op rpt_MPI_SUM(void) { return MPI_SUM; }
static inline MPI_Op rpt_MPI_MAX(void) { return MPI_MAX; }
static inline void *rpt_MPI_IN_PLACE(void) { return MPI_IN_PLACE; }
static inline int rpt_MPI_THREAD_FUNNELED(void) { return MPI_THREAD_FUNNELED; }
static inline int rpt_MPI_SUCCESS(void) { return MPI_SUCCESS; }

// Exact sum of unsigned 128-bit integers stored as (low, high) pairs of uint64 — the little-endian layout
// of Swift's UInt128. Adding low and high words separately with MPI_SUM would lose the carries.
static void rpt_uint128_sum(void *in, void *inout, int *len, MPI_Datatype *type) {
    (void)type;
    const uint64_t *a = (const uint64_t *)in;
    uint64_t *b = (uint64_t *)inout;
    for (int i = 0; i < *len; i++) {
        uint64_t lo = b[2 * i] + a[2 * i];
        b[2 * i + 1] += a[2 * i + 1] + (lo < a[2 * i] ? 1u : 0u);
        b[2 * i] = lo;
    }
}

// Creates the datatype "two uint64" (one unsigned 128-bit integer) and the commutative operation that adds
// such integers exactly. Returns MPI_SUCCESS or the first MPI error code.
static inline int rpt_make_uint128_sum(MPI_Datatype *type, MPI_Op *op) {
    int rc = MPI_Type_contiguous(2, MPI_UINT64_T, type);
    if (rc != MPI_SUCCESS) return rc;
    rc = MPI_Type_commit(type);
    if (rc != MPI_SUCCESS) return rc;
    return MPI_Op_create(rpt_uint128_sum, 1, op);
}
#endif
