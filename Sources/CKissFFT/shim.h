// KISS FFT (BSD-3-Clause), Debian libkissfft-dev, single precision build.
#include <kissfft/kiss_fft.h>
#include <kissfft/kiss_fftnd.h>
#include <kissfft/kiss_fftndr.h>
