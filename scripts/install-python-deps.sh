#!/usr/bin/env bash
# Installs the Python packages the tests use (independent readers such as h5py) when missing.
set -euo pipefail
missing=()
for p in "$@"; do
  python3 -c "import $p" >/dev/null 2>&1 || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "installing Python packages for the tests: ${missing[*]}"
python3 -m pip install -q "${missing[@]}"
