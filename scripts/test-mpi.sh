#!/usr/bin/env bash
# MPI integration test: builds rptdose with the package trait MPI (into .build-mpi, apart from the default
# build), in debug and in release (MPI_TEST_CONFIGS="debug release" by default), and checks that `mpirun -np N rptdose simulate ...` gives bitwise the result of one process:
#   1. 2 ranks × 1 thread, fixed number of decays, against 1 process × 2 threads;
#   2. 3 ranks (oversubscribed) with a target uncertainty (several rounds, stop decided by rank 0) and
#      128-bit reductions cut into chunks of 1000 elements, against 1 process running the same decays;
#   3. `mpirun -np 2 rptdose dosimetry` of a study cycle against 1 process × 2 threads, with no staging
#      folder left behind (only rank 0 stages, locks and writes), and an error on rank 0 alone ends the job.
# Installs Open MPI with apt-get when run as root and missing (otherwise prints the command and fails).
# Needs Python with h5py (the tests' interpreter, scripts/python.sh; make test-deps) for the independent comparison.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh libopenmpi-dev openmpi-bin
source scripts/python.sh

swift build --product rptdose
work=$(mktemp -d "${TMPDIR:-/tmp}/rptdose-mpi.XXXXXX")
trap 'rm -rf "$work"' EXIT
# Open MPI in containers: no cross-memory attach; allow root (CI runs as root).
export OMPI_MCA_btl_vader_single_copy_mechanism=${OMPI_MCA_btl_vader_single_copy_mechanism:-none}
run_mpi() { local n=$1; shift; mpirun --allow-run-as-root --oversubscribe -np "$n" "$@"; }

.build/debug/rptdose phantom --out "$work/case" --size 46x31x32 --voxel-mm 8 --format .nii >/dev/null
c="$work/case"
case_args=(--ct "$c/ct.nii" --activity "$c/tia_true.nii"
           --regions "$c/labels.nii" --region-names "$c/labels.csv" --seed 11 --quiet)

for config in ${MPI_TEST_CONFIGS:-debug release}; do
  swift build -c "$config" --traits MPI --scratch-path .build-mpi --product rptdose
  mpi=.build-mpi/$config/rptdose
  # Capture ldd's output first: `ldd | grep -q` under pipefail fails at random when grep exits early and ldd
  # gets SIGPIPE (exit 141).
  linked=$(ldd "$mpi") || { echo "test-mpi: ldd failed on $mpi" >&2; exit 1; }
  grep -q libmpi <<<"$linked" || { echo "test-mpi: $mpi is not linked with MPI (trait not applied?)" >&2; exit 1; }
  # Reference: the default (no-MPI) debug build, and the MPI build itself started without mpirun.
  single=.build/debug/rptdose
  [ "$config" = debug ] || single=$mpi

  echo "test-mpi ($config): 2 ranks, 6000 decays"
  "$single" simulate "${case_args[@]}" --decays 6000 --threads 2 --out "$work/single.h5" >/dev/null
  run_mpi 2 "$mpi" simulate "${case_args[@]}" --decays 6000 --threads 1 --out "$work/mpi2.h5" >/dev/null
  "$PYTHON" scripts/compare-simulations.py "$work/single.h5" "$work/mpi2.h5"

  echo "test-mpi ($config): 3 ranks, target uncertainty, chunked reductions"
  RPTDOSE_MPI_MAX_COUNT=1000 run_mpi 3 "$mpi" simulate "${case_args[@]}" --decays 1000000 \
      --target-uncertainty 0.12 --roi tumor_2 --threads 1 --out "$work/mpi3.h5" >/dev/null
  decays=$("$PYTHON" -c "import h5py, sys; print(int(h5py.File(sys.argv[1], 'r')['simulation'].attrs['decays']))" "$work/mpi3.h5")
  [ "$decays" -gt 16384 ] || { echo "test-mpi: expected several rounds, got $decays decays" >&2; exit 1; }
  "$single" simulate "${case_args[@]}" --decays "$decays" --threads 2 --out "$work/single3.h5" >/dev/null
  "$PYTHON" scripts/compare-simulations.py "$work/single3.h5" "$work/mpi3.h5"

  echo "test-mpi ($config): dosimetry of a study cycle, 2 ranks (only rank 0 stages, locks and writes)"
  rm -rf "$work/dosimetry-single" "$work/dosimetry-mpi"
  dosimetry_args=("$c/manifest.yaml" --cycle 1 --decays 4000 --seed 5 --quiet)
  "$single" dosimetry "${dosimetry_args[@]}" --threads 2 --out "$work/dosimetry-single" >/dev/null
  run_mpi 2 "$mpi" dosimetry "${dosimetry_args[@]}" --threads 1 --out "$work/dosimetry-mpi" >/dev/null
  "$PYTHON" scripts/compare-simulations.py "$work/dosimetry-single/simulation.h5" "$work/dosimetry-mpi/simulation.h5"
  for f in dosimetry.h5 regions.csv regions.json summary.json; do
    [ -f "$work/dosimetry-mpi/$f" ] || { echo "test-mpi: MPI dosimetry did not write $f" >&2; exit 1; }
  done
  if ls -A "$work" | grep -q '\.incomplete$'; then
    echo "test-mpi: MPI dosimetry left a staging folder behind: $(ls -A "$work")" >&2; exit 1
  fi

  echo "test-mpi ($config): an error on rank 0 only (its output is locked) ends the whole job"
  flock "$work/.dosimetry-locked.lock" sleep 300 & holder=$!
  sleep 1
  status=0
  timeout 180 bash -c "$(declare -f run_mpi); run_mpi 2 $mpi dosimetry ${dosimetry_args[*]} --threads 1 --out $work/dosimetry-locked" \
      >/dev/null 2>"$work/locked.err" || status=$?
  kill "$holder" 2>/dev/null || true
  [ "$status" -ne 0 ] || { echo "test-mpi: a locked output was not refused" >&2; exit 1; }
  [ "$status" -ne 124 ] || { echo "test-mpi: an error on rank 0 left the other ranks hanging" >&2; exit 1; }
  grep -q "another rptdose run is writing this output" "$work/locked.err" \
      || { echo "test-mpi: no lock message: $(cat "$work/locked.err")" >&2; exit 1; }
done
echo "test-mpi: passed"
