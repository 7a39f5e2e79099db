// KISS FFT (BSD-3-Clause, Mark Borgerding), Debian libkissfft-dev, single-precision build
// (pkg-config kissfft-float: -Dkiss_fft_scalar=float, library libkissfft-float).
//
// kiss_fft_scalar is a macro in kiss_fft.h, so Swift cannot see it. The float library must be called
// with float buffers: define the macro before the headers when the build system did not pass the
// pkg-config cflags, and refuse to compile if it names anything but float.
#ifndef kiss_fft_scalar
#define kiss_fft_scalar float
#endif
#include <kissfft/kiss_fft.h>
#include <kissfft/kiss_fftr.h>
#include <kissfft/kiss_fftnd.h>
#include <kissfft/kiss_fftndr.h>

_Static_assert(sizeof(kiss_fft_scalar) == sizeof(float) && (kiss_fft_scalar)0.5 == 0.5f,
               "CKissFFT links libkissfft-float: kiss_fft_scalar must be float");

/// The scalar type of the linked KISS FFT build, visible to Swift (Float).
typedef kiss_fft_scalar rpt_kiss_fft_scalar;
