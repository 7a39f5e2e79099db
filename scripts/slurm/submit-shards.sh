#!/usr/bin/env bash
# Submits one RPTDose simulation as a Slurm job array of N shards plus a merge job that starts only when
# every shard has succeeded (--dependency=afterok:<array job id>). No scheduler of our own: Slurm runs,
# retries and accounts for everything.
#
#   scripts/slurm/submit-shards.sh N OUTDIR -- SIMULATE-OPTIONS...
#
# e.g.
#   scripts/slurm/submit-shards.sh 64 /scratch/$USER/p15 -- --ct ct.nii.gz --activity tia.nii.gz \
#       --regions organs.nii.gz --region-names organs.csv --decays 2000000000 --seed 7
#
# Shard i (1…N) runs `rptdose simulate SIMULATE-OPTIONS --shard i/N --out OUTDIR/shard-i.h5` with all the
# CPUs Slurm gives it; the merge job writes OUTDIR/dose.h5, bitwise identical to one run of all decays.
# Pass --decays (a fixed number; shards cannot use --target-uncertainty). Every shard must see the same
# input files and options (the merge refuses shards whose input fingerprints differ).
#
# Environment (all optional):
#   RPTDOSE          path of the rptdose executable (default: rptdose on PATH)
#   SHARD_TIME       time limit of one shard (default 04:00:00); shards stop cleanly before it (--max-time)
#   SHARD_CPUS       CPUs per shard (default 32)
#   SHARD_MEM        memory per shard (default 16G)
#   SLURM_ACCOUNT / SLURM_PARTITION  passed to sbatch as --account / --partition when set
#   MAX_PARALLEL     at most this many shards at once (default: no limit; array syntax %MAX_PARALLEL)
set -euo pipefail
usage() { sed -n '2,30p' "$0" >&2; exit 2; }
[ $# -ge 3 ] || usage
n=$1; outdir=$2; shift 2
[ "$1" = "--" ] || usage
shift
[[ "$n" =~ ^[1-9][0-9]*$ ]] || { echo "N must be a positive integer, got '$n'" >&2; exit 2; }
mkdir -p "$outdir/logs"
here=$(cd "$(dirname "$0")" && pwd)
common=()
[ -n "${SLURM_ACCOUNT:-}" ] && common+=(--account "$SLURM_ACCOUNT")
[ -n "${SLURM_PARTITION:-}" ] && common+=(--partition "$SLURM_PARTITION")
array="1-$n"
[ -n "${MAX_PARALLEL:-}" ] && array="$array%$MAX_PARALLEL"

array_id=$(sbatch --parsable "${common[@]}" --job-name rptdose-shard --array "$array" \
    --cpus-per-task "${SHARD_CPUS:-32}" --mem "${SHARD_MEM:-16G}" --time "${SHARD_TIME:-04:00:00}" \
    --output "$outdir/logs/shard-%a.out" \
    "$here/shard.sbatch" "$n" "$outdir" "$@")
array_id=${array_id%%;*}   # --parsable prints "jobid[;cluster]"
merge_id=$(sbatch --parsable "${common[@]}" --job-name rptdose-merge --dependency "afterok:$array_id" \
    --cpus-per-task 1 --mem "${MERGE_MEM:-16G}" --time 01:00:00 --output "$outdir/logs/merge.out" \
    "$here/merge.sbatch" "$n" "$outdir")
merge_id=${merge_id%%;*}
echo "submitted shards: job array $array_id (1-$n); merge: job $merge_id (afterok:$array_id)"
echo "result: $outdir/dose.h5"
