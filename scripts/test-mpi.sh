#!/usr/bin/env bash
# MPI integration test: builds rptdose with the package trait MPI (into .build-mpi, apart from the default
# build), in debug and in release (MPI_TEST_CONFIGS="debug release" by default), and checks that `mpirun -np N rptdose simulate ...` gives bitwise the result of one process:
#   1. 2 ranks × 1 thread, fixed number of decays, against 1 process × 2 threads;
#   2. 3 ranks (oversubscribed) with a target uncertainty (several rounds, stop decided by rank 0) and
#      128-bit reductions cut into chunks of 1000 elements, against 1 process running the same decays.
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
done
echo "test-mpi: passed"
