// RPTKernels: fast dose methods compared with the Monte Carlo engine — local energy deposition (LDM),
// voxel S-value (VSV) convolution with and without density correction, organ-level MIRD S-matrices,
// and dose comparison tools (region means, difference maps, DVHs, 3-D gamma index).
// See docs/methods/kernel-methods.md.
