import CKissFFT

/// Linear (not circular) 3-D convolution of a voxel map with a centred kernel, output on the map's grid:
/// `out(x) = Σ_d src(x − d) · ker(d)` for kernel offsets d = kernel index − centre.
///
/// Arrays are i fastest, then j, then k. Kernel offsets beyond the map (|d_a| ≥ n_a) cannot connect two
/// voxels of the map and are ignored.
enum Convolution3D {
    /// Kernel half-widths that matter for a map of shape `n`.
    static func effectiveHalfWidths(kernelShape: SIMD3<Int>, mapShape n: SIMD3<Int>) -> SIMD3<Int> {
        let h = kernelShape / 2
        return SIMD3(min(h.x, n.x - 1), min(h.y, n.y - 1), min(h.z, n.z - 1))
    }

    /// Padded FFT sizes: P_a ≥ n_a + h_a keeps circular wrap-around out of the output region (a wrapped
    /// term lands at index ≥ P_a − h_a ≥ n_a), and 5-smooth.
    static func paddedShape(mapShape n: SIMD3<Int>, halfWidths h: SIMD3<Int>) -> SIMD3<Int> {
        SIMD3(FFTSize.fiveSmooth(atLeast: n.x + h.x),
              FFTSize.fiveSmooth(atLeast: n.y + h.y),
              FFTSize.fiveSmooth(atLeast: n.z + h.z))
    }

    /// Multiply–adds of the direct method: non-zero source voxels × kernel voxels used.
    static func directCost(nonZeroSources: Int, halfWidths h: SIMD3<Int>) -> Double {
        Double(nonZeroSources) * Double((2 * h.x + 1) * (2 * h.y + 1) * (2 * h.z + 1))
    }

    /// Work of the FFT method in the same units: two complex 3-D transforms of P points,
    /// ≈ `fftWorkPerPointLog` · P · log2 P each, plus packing and the spectrum product (≈ 4 P), plus the
    /// directly summed 3×3×3 core.
    static func fftCost(paddedShape p: SIMD3<Int>, nonZeroSources: Int) -> Double {
        let total = Double(p.x * p.y * p.z)
        return 2 * fftWorkPerPointLog * total * max(1, log2(total)) + 4 * total + 27 * Double(nonZeroSources)
    }

    /// Cost of one KISS FFT butterfly step per point relative to one double multiply–add of the direct loop.
    /// Measured on x86-64, release build (docs/methods/kernel-methods.md): ≈ 1.9 ns per point·log2 P per
    /// transform against ≈ 0.9 ns per direct multiply–add.
    static let fftWorkPerPointLog = 2.0

    // MARK: - FFT with the near field in double precision

    /// FFT convolution whose kernel core (offsets |d_a| ≤ `nearHalfWidth`) is summed directly in double and
    /// only the tail goes through the single-precision FFT. The FFT's round-off scales with
    /// ε_float · ‖src‖₂ · ‖ker‖₂; a VSV kernel's norm is dominated by its centre voxel, so removing the core
    /// cuts that error by ‖ker‖₂/‖tail‖₂ (≈ 10–100 for VSV kernels; see docs/methods/kernel-methods.md).
    static func fftWithDirectCore(source: [Double], shape n: SIMD3<Int>, kernel: [Double], kernelShape ks: SIMD3<Int>,
                                  nearHalfWidth: Int = 1) -> [Double] {
        let c = ks / 2
        let hn = SIMD3(min(nearHalfWidth, c.x), min(nearHalfWidth, c.y), min(nearHalfWidth, c.z))
        let coreShape = 2 &* hn &+ 1
        var core = [Double](), tail = kernel
        for dz in -hn.z...hn.z {
            for dy in -hn.y...hn.y {
                for dx in -hn.x...hn.x {
                    let m = (c.x + dx) + ks.x * ((c.y + dy) + ks.y * (c.z + dz))
                    core.append(kernel[m]); tail[m] = 0
                }
            }
        }
        var out = direct(source: source, shape: n, kernel: core, kernelShape: coreShape)
        let far = fft(source: source, shape: n, kernel: tail, kernelShape: ks)
        for m in out.indices { out[m] += far[m] }
        return out
    }

    // MARK: - Direct (spatial) convolution, double precision

    /// Scatter form: each non-zero source voxel adds its weighted kernel to the output rows it reaches.
    static func direct(source: [Double], shape n: SIMD3<Int>, kernel: [Double], kernelShape ks: SIMD3<Int>) -> [Double] {
        var out = [Double](repeating: 0, count: source.count)
        let c = ks / 2
        let h = effectiveHalfWidths(kernelShape: ks, mapShape: n)
        source.withUnsafeBufferPointer { src in
            kernel.withUnsafeBufferPointer { ker in
                out.withUnsafeMutableBufferPointer { dst in
                    for z in 0..<n.z {
                        for y in 0..<n.y {
                            for x in 0..<n.x {
                                let s = src[x + n.x * (y + n.y * z)]
                                if s == 0 { continue }
                                let dx0 = max(-h.x, -x), dx1 = min(h.x, n.x - 1 - x)
                                for dz in max(-h.z, -z)...min(h.z, n.z - 1 - z) {
                                    for dy in max(-h.y, -y)...min(h.y, n.y - 1 - y) {
                                        let outRow = n.x * ((y + dy) + n.y * (z + dz)) + x
                                        let kerRow = c.x + ks.x * ((c.y + dy) + ks.y * (c.z + dz))
                                        for dx in dx0...dx1 { dst[outRow + dx] += s * ker[kerRow + dx] }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return out
    }

    // MARK: - FFT convolution, single precision (KISS FFT float build)

    /// Zero-padded FFT convolution with KISS FFT's complex N-D transform (kiss_fftnd).
    ///
    /// Both real inputs are scaled to a maximum of 1 and packed into one complex array z = a + i·b, so one
    /// forward transform gives both spectra: with Z₋ = conj(Z(−k)), A = (Z + Z₋)/2 and B = (Z − Z₋)/(2i), hence
    /// A·B = (Z² − Z₋²)/(4i). One inverse transform of A·B gives the circular convolution, which equals the
    /// linear one on the output region because of the padding. The result is scaled back in double, so the
    /// single-precision error is relative to max|src|·max|ker|. (kiss_fftndr, the real-input N-D transform of
    /// Debian's 131.1.0 build, fails to allocate for many shapes, e.g. 16×16×30, so it is not used.)
    static func fft(source: [Double], shape n: SIMD3<Int>, kernel: [Double], kernelShape ks: SIMD3<Int>) -> [Double] {
        let srcMax = source.reduce(0) { max($0, abs($1)) }
        let kerMax = kernel.reduce(0) { max($0, abs($1)) }
        guard srcMax > 0, kerMax > 0 else { return [Double](repeating: 0, count: source.count) }
        let h = effectiveHalfWidths(kernelShape: ks, mapShape: n)
        let p = paddedShape(mapShape: n, halfWidths: h)
        let count = p.x * p.y * p.z

        var z = [kiss_fft_cpx](repeating: kiss_fft_cpx(r: 0, i: 0), count: count)
        let srcScale = 1 / srcMax, kerScale = 1 / kerMax
        for iz in 0..<n.z {
            for iy in 0..<n.y {
                for ix in 0..<n.x { z[ix + p.x * (iy + p.y * iz)].r = Float(source[ix + n.x * (iy + n.y * iz)] * srcScale) }
            }
        }
        // Kernel offset d goes to index d mod P (its centre at the origin of the periodic grid).
        let c = ks / 2
        for dz in -h.z...h.z {
            for dy in -h.y...h.y {
                for dx in -h.x...h.x {
                    let v = kernel[(c.x + dx) + ks.x * ((c.y + dy) + ks.y * (c.z + dz))]
                    let ix = (dx + p.x) % p.x, iy = (dy + p.y) % p.y, iz = (dz + p.z) % p.z
                    z[ix + p.x * (iy + p.y * iz)].i = Float(v * kerScale)
                }
            }
        }

        // kiss_fftnd is row-major (last dimension fastest): dims = (k, j, i).
        var dims: [Int32] = [Int32(p.z), Int32(p.y), Int32(p.x)]
        guard let forward = kiss_fftnd_alloc(&dims, 3, 0, nil, nil),
              let inverse = kiss_fftnd_alloc(&dims, 3, 1, nil, nil) else {
            fatalError("kiss_fftnd_alloc failed for padded shape \(p) (out of memory?)")
        }
        defer { free(UnsafeMutableRawPointer(forward)); free(UnsafeMutableRawPointer(inverse)) }

        var spectrum = [kiss_fft_cpx](repeating: kiss_fft_cpx(r: 0, i: 0), count: count)
        z.withUnsafeBufferPointer { kiss_fftnd(forward, $0.baseAddress, &spectrum) }
        spectrum.withUnsafeBufferPointer { zk in
            z.withUnsafeMutableBufferPointer { out in
                for kz in 0..<p.z {
                    let mz = kz == 0 ? 0 : p.z - kz
                    for ky in 0..<p.y {
                        let my = ky == 0 ? 0 : p.y - ky
                        for kx in 0..<p.x {
                            let mx = kx == 0 ? 0 : p.x - kx
                            let u = zk[kx + p.x * (ky + p.y * kz)], w = zk[mx + p.x * (my + p.y * mz)]
                            let ur = Double(u.r), ui = Double(u.i), wr = Double(w.r), wi = -Double(w.i)
                            // q = Z² − Z₋², then A·B = q/(4i) = (q.i, −q.r)/4.
                            let qr = (ur * ur - ui * ui) - (wr * wr - wi * wi)
                            let qi = 2 * ur * ui - 2 * wr * wi
                            out[kx + p.x * (ky + p.y * kz)] = kiss_fft_cpx(r: Float(qi / 4), i: Float(-qr / 4))
                        }
                    }
                }
            }
        }
        z.withUnsafeBufferPointer { kiss_fftnd(inverse, $0.baseAddress, &spectrum) }

        // KISS transforms are unnormalised: forward then inverse multiplies by the point count.
        let scale = srcMax * kerMax / Double(count)
        var out = [Double](repeating: 0, count: source.count)
        for iz in 0..<n.z {
            for iy in 0..<n.y {
                for ix in 0..<n.x { out[ix + n.x * (iy + n.y * iz)] = Double(spectrum[ix + p.x * (iy + p.y * iz)].r) * scale }
            }
        }
        return out
    }
}
