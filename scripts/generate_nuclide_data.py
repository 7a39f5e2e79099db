#!/usr/bin/env python3
"""Generate Sources/RPTPhysics/Generated/NuclideData.swift from the PyPI package `icrp107-database`.

Source data: ICRP Publication 107, "Nuclear Decay Data for Dosimetric Calculations"
(K.F. Eckerman and A. Endo, Ann. ICRP 38(3), 2008), as redistributed by the OpenGATE collaboration in
the PyPI package `icrp107-database` (one JSON file per nuclide under icrp107_database/icrp107/).

Package facts this script relies on (see docs/methods/nuclide-data.md):
  * each nuclide file holds a JSON *string* whose content is JSON, so it is decoded twice;
  * emission lists are [energy MeV, yield per decay] pairs; "b-spectra" is a density
    (betas per MeV per decay) on a non-uniform energy grid, the SUM of the beta- and beta+ spectra;
  * "beta-" / "beta+" list the branches as [mean energy MeV, yield per decay].

Usage:  python3 scripts/generate_nuclide_data.py [--output PATH]
To add a nuclide, add its ICRP-107 name to NUCLIDES and rerun; commit the regenerated file.
The generation date is today's UTC date, or SOURCE_DATE_EPOCH if set (reproducible output).
"""
import argparse
import datetime
import json
import os
import pathlib
import sys
from importlib import metadata

import icrp107_database

NUCLIDES = ["Lu-177", "Y-90", "I-131", "Tb-161", "Ho-166"]

PACKAGE = "icrp107-database"
PUBLICATION = ("ICRP Publication 107, Nuclear Decay Data for Dosimetric Calculations "
               "(K.F. Eckerman, A. Endo), Ann. ICRP 38(3), 2008")

# ICRP-107 category (package key) -> EmissionKind raw value in Swift.
LINE_KINDS = {
    "gamma": "gamma",
    "X": "xray",
    "annihilation": "annihilation",
    "IE": "conversionElectron",
    "auger": "augerElectron",
    "alpha": "alpha",
    "alpha recoil": "alphaRecoil",
}
BETA_KINDS = {"beta-": "betaMinus", "beta+": "betaPlus"}
UNSUPPORTED = ["neutron", "fission", "betaD"]
TIME_UNITS = {"us", "ms", "s", "m", "h", "d", "y"}
KNOWN_KEYS = set(LINE_KINDS) | set(BETA_KINDS) | set(UNSUPPORTED) | {"b-spectra"}


def fail(nuclide, message):
    sys.exit(f"generate_nuclide_data: {nuclide}: {message}")


def num(x):
    """Shortest text that round-trips the float (Python repr), as Swift's Double(String) reads it."""
    return repr(float(x))


def load(nuclide):
    path = pathlib.Path(icrp107_database.__file__).parent / "icrp107" / f"{nuclide}.json"
    if not path.exists():
        fail(nuclide, f"no file {path}")
    with open(path, "rb") as f:
        outer = json.load(f)
    data = json.loads(outer) if isinstance(outer, str) else outer   # JSON string holding JSON
    for key in ("name", "half_life", "time_unit", "emissions"):
        if key not in data:
            fail(nuclide, f"missing key '{key}'")
    if data["name"] != nuclide:
        fail(nuclide, f"file names nuclide '{data['name']}'")
    return data


def record(nuclide):
    """One nuclide as compact line-oriented text (parsed by NuclideDataParser.swift)."""
    data = load(nuclide)
    em = data["emissions"]
    unknown = set(em) - KNOWN_KEYS
    if unknown:
        fail(nuclide, f"unknown emission categories {sorted(unknown)}")
    for key in UNSUPPORTED:
        if em.get(key):
            fail(nuclide, f"category '{key}' is not supported by RPTDose")
    if data["time_unit"] not in TIME_UNITS:
        fail(nuclide, f"unknown time unit '{data['time_unit']}'")
    half_life = float(data["half_life"])
    if not half_life > 0:
        fail(nuclide, f"half-life {half_life} is not positive")

    out = [f"name {nuclide}", f"halfLife {num(half_life)} {data['time_unit']}"]
    for key, kind in LINE_KINDS.items():
        for energy, yld in em.get(key, []):
            if not (energy > 0 and yld > 0):
                fail(nuclide, f"{key} line ({energy}, {yld}) has a non-positive energy or yield")
            out.append(f"line {kind} {num(energy)} {num(yld)}")

    beta_kinds = [k for k in BETA_KINDS if em.get(k)]
    if len(beta_kinds) > 1:
        # The package's "b-spectra" is the sum of both spectra and cannot be split.
        fail(nuclide, "both beta- and beta+ branches: the package's single b-spectra cannot be split")
    spectrum = em.get("b-spectra", [])
    if beta_kinds:
        kind = beta_kinds[0]
        for mean, yld in em[kind]:
            if not (mean > 0 and yld > 0):
                fail(nuclide, f"{kind} branch ({mean}, {yld}) has a non-positive energy or yield")
            out.append(f"branch {BETA_KINDS[kind]} {num(mean)} {num(yld)}")
        if len(spectrum) < 2:
            fail(nuclide, f"{kind} branches but no b-spectra")
        energies = [float(e) for e, _ in spectrum]
        density = [float(n) for _, n in spectrum]
        if any(b <= a for a, b in zip(energies, energies[1:])):
            fail(nuclide, "b-spectra energy grid is not strictly increasing")
        if energies[0] < 0 or any(n < 0 for n in density):
            fail(nuclide, "b-spectra has a negative energy or density")
        pairs = " ".join(f"{num(e)} {num(n)}" for e, n in zip(energies, density))
        out.append(f"spectrum {BETA_KINDS[kind]} {pairs}")
    elif spectrum:
        fail(nuclide, "b-spectra without beta branches")
    return "\n".join(out)


def swift_identifier(nuclide):
    return nuclide.replace("-", "").lower()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    root = pathlib.Path(__file__).resolve().parent.parent
    parser.add_argument("--output", default=root / "Sources/RPTPhysics/Generated/NuclideData.swift")
    args = parser.parse_args()

    version = metadata.version(PACKAGE)
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    when = (datetime.datetime.fromtimestamp(int(epoch), datetime.timezone.utc) if epoch
            else datetime.datetime.now(datetime.timezone.utc))
    date = when.strftime("%Y-%m-%d")

    lines = [
        "// GENERATED FILE — do not edit. Regenerate with: python3 scripts/generate_nuclide_data.py",
        f"// Source data: {PUBLICATION},",
        f"// read from the PyPI package {PACKAGE} {version} (OpenGATE collaboration).",
        f"// Generated on {date}. Format: see NuclideDataParser.swift and docs/methods/nuclide-data.md.",
        "",
        "/// ICRP-107 emission data of the nuclides RPTDose ships, one compact text record per nuclide,",
        "/// parsed once at first use (string literals compile fast; large array literals do not).",
        "enum NuclideData {",
        f"    /// Package the data were read from.",
        f"    static let packageName = \"{PACKAGE}\"",
        f"    /// Version of that package.",
        f"    static let packageVersion = \"{version}\"",
        f"    /// The publication the data come from.",
        f"    static let publication = \"{PUBLICATION}\"",
        f"    /// UTC date this file was generated.",
        f"    static let generatedOn = \"{date}\"",
        "",
        "    /// One record per nuclide, in the order of the generator's list.",
        "    static let records: [String] = [" + ", ".join(swift_identifier(n) for n in NUCLIDES) + "]",
    ]
    for nuclide in NUCLIDES:
        text = record(nuclide)
        lines += ["", f"    static let {swift_identifier(nuclide)} = \"\"\""]
        lines += [f"    {row}" for row in text.split("\n")]
        lines += ["    \"\"\""]
    lines += ["}", ""]

    output = pathlib.Path(args.output)
    output.parent.mkdir(parents=True, exist_ok=True)
    tmp = output.with_name(output.name + ".tmp")
    tmp.write_text("\n".join(lines), encoding="utf-8")
    tmp.replace(output)
    print(f"wrote {output} ({len(NUCLIDES)} nuclides, {PACKAGE} {version})")


if __name__ == "__main__":
    main()
