#!/usr/bin/env python3
"""Tabulates per-element photon interaction data for RPTDose and writes
Sources/RPTPhysics/Generated/PhotonElementTables.swift.

Sources (see docs/methods/photon-physics.md):
  * xraylib (Schoonjans et al., Spectrochim. Acta B 66 (2011) 776; pip package `xraylib`):
    CS_Photo, CS_Compt, CS_Rayl (cm2/g) up to 800 keV, where xraylib's tables end;
    Klein-Nishina x S(x,Z) and Thomson x F(x,Z)^2 integrated here over solid angle give the
    energy dependence for 800 keV-3 MeV, normalised to CS_Compt/CS_Rayl at 800 keV; SF_Compt, FF_Rayl; EdgeEnergy, JumpFactor, FluorYield,
    LineEnergy, RadRate. CS_Energy is NOT used.
  * Photoelectric above 800 keV: xraylib's value at 800 keV times the energy dependence of
    Sauter's relativistic K-shell cross section (Sauter, Ann. Phys. 11 (1931) 454; formula as in
    Davisson & Evans, Rev. Mod. Phys. 24 (1952) 79, Eq. 20).
  * Pair production in the nuclear field: Maximon, J. Res. NBS 72B (1968) 79, Born approximation
    without screening: near-threshold series for k < 4 and high-energy expansion for k >= 4
    (k = photon energy / m_e c^2), as used by Hubbell, Gimm & Overbo, J. Phys. Chem. Ref. Data 9
    (1980) 1023. Triplet production (electron field, threshold 2.044 MeV) is neglected.

Usage: python3 scripts/generate_photon_data.py   (from the package root)
"""
import datetime
import math
import os
import re

import numpy as np
import xraylib as xrl
import xraylib_np as xnp

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "Sources", "RPTPhysics", "Generated", "PhotonElementTables.swift")

# Energy grid (MeV): uniform in ln E.
E_MIN, E_MAX, E_COUNT = 1e-3, 3.0, 701
# Momentum-transfer grid x = sin(theta/2)/lambda (1/Angstrom), uniform in ln x; xraylib's S(x,Z)
# starts at x = 1e-3.
X_MIN, X_MAX, X_COUNT = 1e-3, 1e3, 301
XRAYLIB_MAX_KEV = 800.0

MEC2_MEV = 0.51099895000          # CODATA 2018
ALPHA = 7.2973525693e-3            # CODATA 2018
R_E_CM = 2.8179403262e-13          # CODATA 2018
AVOGADRO = 6.02214076e23


def element_list():
    """(Z, atomic weight) from Sources/RPTPhysics/Element.swift, so the two never diverge."""
    text = open(os.path.join(ROOT, "Sources", "RPTPhysics", "Element.swift")).read()
    return [(int(z), float(a)) for z, a in
            re.findall(r'Element\(z:\s*(\d+),\s*symbol:\s*"\w+",\s*atomicWeight:\s*([\d.]+)\)', text)]


def integrate_over_angle(kind, z, e_kev):
    """σ (barn/atom) = ∫ dσ/dΩ dΩ, with dσ/dΩ = Klein-Nishina x S(x,Z) ("incoherent") or
    Thomson x F(x,Z)^2 ("coherent") from xraylib (DCS_KN, DCS_Thoms, SF_Compt, FF_Rayl, MomentTransf),
    trapezoid rule on a dense grid in ln(1 - cos θ). Below xraylib's first S node (x = 1e-3 /Å)
    S ∝ x², its small-x limit."""
    v = np.exp(np.linspace(math.log(1e-14), math.log(2.0), 6001))  # v = 1 - cos θ
    theta = np.arccos(1.0 - v)
    x = xnp.MomentTransf(np.array([e_kev]), theta)[0]
    if kind == "incoherent":
        xc = np.maximum(x, X_MIN)
        s = xnp.SF_Compt(np.array([z]), xc)[0] * np.where(x < X_MIN, (x / X_MIN) ** 2, 1.0)
        dcs = xnp.DCS_KN(np.array([e_kev]), theta)[0] * s
    else:
        f = xnp.FF_Rayl(np.array([z]), np.maximum(x, 1e-7))[0]
        dcs = xnp.DCS_Thoms(theta) * f * f
    return 2 * math.pi * np.trapezoid(dcs * v, np.log(v))  # dμ = v d(ln v)


def sauter_k_shell(e_mev, binding_mev):
    """Sauter's K-shell photoeffect cross section up to a constant factor (energy dependence only)."""
    k = e_mev / MEC2_MEV
    gamma = 1.0 + (e_mev - binding_mev) / MEC2_MEV
    p = math.sqrt(gamma * gamma - 1.0)
    bracket = 4.0 / 3.0 + gamma * (gamma - 2.0) / (gamma + 1.0) * (
        1.0 - 1.0 / (2.0 * gamma * p) * math.log((gamma + p) / (gamma - p)))
    return p ** 3 / k ** 5 * bracket


def pair_nuclear_cm2_per_atom(z, e_mev):
    """Maximon (1968) Born-approximation pair cross section in the field of a nucleus of charge Z."""
    k = e_mev / MEC2_MEV
    if k <= 2.0:
        return 0.0
    pre = ALPHA * R_E_CM ** 2 * z * z
    if k < 4.0:
        eps = (2 * k - 4) / (2 + k + 2 * math.sqrt(2 * k))
        series = 1 + eps / 2 + 23 * eps ** 2 / 40 + 11 * eps ** 3 / 60 + 29 * eps ** 4 / 960
        return pre * 2 * math.pi / 3 * ((k - 2) / k) ** 3 * series
    l = math.log(2 * k)
    zeta3 = 1.2020569031595942
    return pre * (28 / 9 * l - 218 / 27
                  + (2 / k) ** 2 * (6 * l - 7 / 2 + 2 / 3 * l ** 3 - l ** 2 - math.pi ** 2 / 3 * l
                                    + 2 * zeta3 + math.pi ** 2 / 6)
                  - (2 / k) ** 4 * (3 / 16 * l + 1 / 8)
                  - (2 / k) ** 6 * (29 / (9 * 256) * l - 77 / (27 * 512)))


def safe(f, *args, default=0.0):
    try:
        return f(*args)
    except ValueError:
        return default


def atomic_data(z):
    """K edge, L1 edge (MeV), K jump ratio, K fluorescence yield, Kα and Kβ energies (MeV), Kα share."""
    k_edge = safe(xrl.EdgeEnergy, z, xrl.K_SHELL) * 1e-3
    l1_edge = safe(xrl.EdgeEnergy, z, xrl.L1_SHELL) * 1e-3
    jump = safe(xrl.JumpFactor, z, xrl.K_SHELL, default=1.0)
    if z >= 15:
        omega = xrl.FluorYield(z, xrl.K_SHELL)
        ka, kb = xrl.LineEnergy(z, xrl.KA_LINE) * 1e-3, xrl.LineEnergy(z, xrl.KB_LINE) * 1e-3
        ra, rb = xrl.RadRate(z, xrl.KA_LINE), xrl.RadRate(z, xrl.KB_LINE)
        share = ra / (ra + rb)
    else:
        omega, ka, kb, share = 0.0, 0.0, 0.0, 1.0
    return [k_edge, l1_edge, jump, omega, ka, kb, share]


def tabulate(z, a):
    energies = E_MIN * (E_MAX / E_MIN) ** (np.arange(E_COUNT) / (E_COUNT - 1))
    to_cm2_g = AVOGADRO / a * 1e-24  # barn/atom -> cm2/g
    k_edge = safe(xrl.EdgeEnergy, z, xrl.K_SHELL) * 1e-3
    photo_800 = xrl.CS_Photo(z, XRAYLIB_MAX_KEV)
    # Above 800 keV the integrals give the energy dependence; they are normalised to xraylib's
    # tabulated value at 800 keV so that the table is continuous (see check_extensions).
    incoh_800, coh_800 = xrl.CS_Compt(z, XRAYLIB_MAX_KEV), xrl.CS_Rayl(z, XRAYLIB_MAX_KEV)
    incoh_800_integral = integrate_over_angle("incoherent", z, XRAYLIB_MAX_KEV)
    coh_800_integral = integrate_over_angle("coherent", z, XRAYLIB_MAX_KEV)
    photo, incoh, coh, pair = [], [], [], []
    for e in energies:
        e_kev = e * 1e3
        if e_kev <= XRAYLIB_MAX_KEV:
            photo.append(xrl.CS_Photo(z, e_kev))
            incoh.append(xrl.CS_Compt(z, e_kev))
            coh.append(xrl.CS_Rayl(z, e_kev))
        else:
            photo.append(photo_800 * sauter_k_shell(e, k_edge) / sauter_k_shell(XRAYLIB_MAX_KEV * 1e-3, k_edge))
            incoh.append(incoh_800 * integrate_over_angle("incoherent", z, e_kev) / incoh_800_integral)
            coh.append(coh_800 * integrate_over_angle("coherent", z, e_kev) / coh_800_integral)
        pair.append(pair_nuclear_cm2_per_atom(z, e) * to_cm2_g * 1e24)
    xs = X_MIN * (X_MAX / X_MIN) ** (np.arange(X_COUNT) / (X_COUNT - 1))
    ff = [xrl.FF_Rayl(z, float(x)) for x in xs]
    sf = [xrl.SF_Compt(z, float(x)) for x in xs]
    return photo, incoh, coh, pair, ff, sf


def check_extensions(elements):
    """Prints how well the >800 keV methods reproduce xraylib's own tables below 800 keV."""
    lines = []
    for z, a in elements:
        to_cm2_g = AVOGADRO / a * 1e-24
        if z not in (1, 8, 20, 53):
            continue
        for e_kev in (300.0, 790.0):
            ci = integrate_over_angle("incoherent", z, e_kev) * to_cm2_g / xrl.CS_Compt(z, e_kev) - 1
            cr = integrate_over_angle("coherent", z, e_kev) * to_cm2_g / xrl.CS_Rayl(z, e_kev) - 1
            k = safe(xrl.EdgeEnergy, z, xrl.K_SHELL) * 1e-3
            sp = (xrl.CS_Photo(z, 800.0) * sauter_k_shell(e_kev * 1e-3, k) / sauter_k_shell(0.8, k)) \
                / xrl.CS_Photo(z, e_kev) - 1
            lines.append(f"Z={z} {e_kev:.0f} keV: KN*S integral {ci:+.2e}, Thomson*F^2 integral {cr:+.2e}, "
                         f"Sauter-scaled photo from 800 keV {sp:+.2e} (relative to xraylib CS_*)")
    return lines


def fmt(values, per_line=10):
    items = [f"{v:.5g}" for v in values]
    rows = [" ".join(items[i:i + per_line]) for i in range(0, len(items), per_line)]
    return '"""\n' + "\n".join("        " + r for r in rows) + '\n        """'


def main():
    elements = element_list()
    checks = check_extensions(elements)
    for c in checks:
        print(c)
    out = []
    out.append("// Generated by scripts/generate_photon_data.py. Do not edit by hand; re-run the script.")
    out.append(f"// xraylib {xrl.__version__}, generated {datetime.date.today().isoformat()}.")
    out.append("// Consistency of the >800 keV extensions with xraylib's own tables (printed by the script):")
    for c in checks:
        out.append("//   " + c)
    out.append("")
    out.append("extension PhotonElementTables {")
    out.append(f'    static let provenance = "xraylib {xrl.__version__} (CS_Photo, CS_Compt, CS_Rayl <= 800 keV; '
               f'integrated KN*S and Thomson*F^2 and Sauter-scaled photo above, normalised at 800 keV); pair: Maximon 1968; '
               f'generated {datetime.date.today().isoformat()} by scripts/generate_photon_data.py"')
    out.append(f"    static let energyMinMeV = {E_MIN!r}")
    out.append(f"    static let energyMaxMeV = {E_MAX!r}")
    out.append(f"    static let energyCount = {E_COUNT}")
    out.append(f"    static let momentumMin = {X_MIN!r}")
    out.append(f"    static let momentumMax = {X_MAX!r}")
    out.append(f"    static let momentumCount = {X_COUNT}")
    out.append("    static let elementTexts: [PhotonElementText] = [")
    for z, a in elements:
        photo, incoh, coh, pair, ff, sf = tabulate(z, a)
        out.append(f"        PhotonElementText(z: {z}, atomic: \"{' '.join(f'{v:.6g}' for v in atomic_data(z))}\",")
        out.append(f"            photoelectric: {fmt(photo)},")
        out.append(f"            incoherent: {fmt(incoh)},")
        out.append(f"            coherent: {fmt(coh)},")
        out.append(f"            pair: {fmt(pair)},")
        out.append(f"            formFactor: {fmt(ff)},")
        out.append(f"            scatteringFunction: {fmt(sf)}),")
        print("Z", z, "done")
    out.append("    ]")
    out.append("}")
    with open(OUT, "w") as fh:
        fh.write("\n".join(out) + "\n")
    print("wrote", OUT)


if __name__ == "__main__":
    main()
