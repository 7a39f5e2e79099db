#!/usr/bin/env bash
# Checks the Slurm job-array scripts (scripts/slurm/) without Slurm: stand-in `sbatch` and `squeue`
# commands run each array task in turn (with SLURM_ARRAY_TASK_ID set) and then the merge job, and the merged
# result must be bitwise identical to one run of all decays. Needs python3 with h5py (make test-deps).
set -euo pipefail
cd "$(dirname "$0")/.."
swift build --product rptdose
export RPTDOSE=$PWD/.build/debug/rptdose
work=$(mktemp -d "${TMPDIR:-/tmp}/rptdose-slurm.XXXXXX")
trap 'rm -rf "$work"' EXIT
mkdir "$work/bin"
cat > "$work/bin/sbatch" <<'SBATCH'
#!/usr/bin/env bash
# stand-in sbatch: runs the job now; array tasks one after the other; prints a job id like --parsable
array=""; dependency=""; args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --array) array=$2; shift 2;;
    --dependency) dependency=$2; shift 2;;
    --parsable) shift;;
    --job-name|--cpus-per-task|--mem|--time|--output|--account|--partition) shift 2;;
    *) args+=("$1"); shift;;
  esac
done
log=$(dirname "$0")/jobs.log
if [ -n "$array" ]; then
  range=${array%%%*}
  for i in $(seq "${range%-*}" "${range#*-}"); do
    SLURM_ARRAY_TASK_ID=$i SLURM_JOB_ID=100 SLURM_CPUS_PER_TASK=2 bash "${args[@]}" >/dev/null
  done
  echo "array 100 $array" >> "$log"; echo "100;cluster"
else
  [ "$dependency" = "afterok:100" ] || { echo "merge job must depend on afterok:100, got '$dependency'" >&2; exit 1; }
  SLURM_JOB_ID=101 bash "${args[@]}" >/dev/null
  echo "merge 101 $dependency" >> "$log"; echo "101"
fi
SBATCH
printf '#!/bin/sh\necho 30:00\n' > "$work/bin/squeue"
chmod +x "$work/bin/sbatch" "$work/bin/squeue"

"$RPTDOSE" phantom --out "$work/case" --size 46x31x32 --voxel-mm 8 --format .nii >/dev/null
c="$work/case"
opts=(--ct "$c/ct.nii" --activity "$c/tia_true.nii"
      --regions "$c/labels.nii" --region-names "$c/labels.csv" --decays 3000 --seed 5 --quiet)
PATH="$work/bin:$PATH" bash scripts/slurm/submit-shards.sh 3 "$work/out" -- "${opts[@]}"
"$RPTDOSE" simulate "${opts[@]}" --threads 2 --out "$work/single.h5" >/dev/null
python3 scripts/compare-simulations.py "$work/single.h5" "$work/out/dose.h5"
echo "test-slurm: passed"
