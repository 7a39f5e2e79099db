#ifndef RPTDOSE_CPREFETCH_H
#define RPTDOSE_CPREFETCH_H

#include <stdint.h>

/// Hints the CPU to start loading the cache line holding `address` for reading (GCC/Clang
/// `__builtin_prefetch`, locality 3 = keep in all cache levels). A hint only: no effect on results.
static inline __attribute__((always_inline)) void rpt_prefetch(const void *address) {
    __builtin_prefetch(address, 0, 3);
}

/// As `rpt_prefetch`, for a line about to be written.
static inline __attribute__((always_inline)) void rpt_prefetch_for_write(const void *address) {
    __builtin_prefetch(address, 1, 3);
}

/// Atomically adds `value` to `*address` (relaxed order: integer sums need no ordering) and returns the
/// previous value (GCC/Clang `__atomic_fetch_add`), for the run's shared energy tally (`SharedTally`).
static inline __attribute__((always_inline)) uint64_t rpt_atomic_fetch_add_u64(uint64_t *address, uint64_t value) {
    return __atomic_fetch_add(address, value, __ATOMIC_RELAXED);
}

#endif
