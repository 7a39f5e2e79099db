#!/usr/bin/env bash
# Runs the Slurm job-array scripts (scripts/slurm/) through a real Slurm: starts a one-node cluster in a temporary
# folder (Debian slurm-wlm: slurmctld + slurmd, AuthType=auth/none and CredType=cred/none, no munge; config in
# docs/methods/scale-out.md), submits the shard job array and the merge job with the real `sbatch`, waits for
# them, and requires the merged result to be bitwise identical to one run of all decays. The daemons are stopped
# on every exit path.
#
# When the daemons cannot start (not root, slurm-wlm missing, no local ports) the check falls back to a stand-in
# `sbatch` that runs each array task in turn, printing why; under CI=true that is a failure instead.
# Needs Python with h5py (the tests' interpreter, scripts/python.sh; make test-deps).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/python.sh
swift build --product rptdose
export RPTDOSE=$PWD/.build/debug/rptdose
work=$(mktemp -d "${TMPDIR:-/tmp}/rptdose-slurm.XXXXXX")
daemon_pids=()
cleanup() {
  if [ -n "${SLURM_CONF:-}" ] && [ "${#daemon_pids[@]}" -gt 0 ]; then
    # Every job of this private cluster (SLURM_CONF is ours), then the daemons; job steps end with their jobs.
    scancel --quiet --full --user "$(id -un)" 2>/dev/null || true
    for _ in $(seq 20); do [ -z "$(squeue -h 2>/dev/null)" ] && break; sleep 0.5; done
    scontrol shutdown >/dev/null 2>&1 || true
    for _ in $(seq 20); do
      alive=0
      for p in "${daemon_pids[@]}"; do kill -0 "$p" 2>/dev/null && alive=1; done
      [ $alive -eq 0 ] && break
      sleep 0.5
    done
    for p in "${daemon_pids[@]}"; do kill "$p" 2>/dev/null || true; done
  fi
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

"$RPTDOSE" phantom --out "$work/case" --size 46x31x32 --voxel-mm 8 --format .nii >/dev/null
c="$work/case"
opts=(--ct "$c/ct.nii" --activity "$c/tia_true.nii"
      --regions "$c/labels.nii" --region-names "$c/labels.csv" --decays 3000 --seed 5 --quiet)

# --- a one-node Slurm cluster in $work/slurm -------------------------------------------------------------------
# Runs in this shell (not in $(…)): it exports SLURM_CONF and records the daemons' PIDs for cleanup. On failure
# it sets slurm_reason.
slurm_reason=""
start_slurm() {
  local s=$work/slurm
  [ "$(id -u)" -eq 0 ] || { slurm_reason="not root: slurmd must run as root to start jobs"; return 1; }
  for b in slurmctld slurmd sbatch squeue scontrol sinfo scancel; do
    command -v "$b" >/dev/null || { slurm_reason="$b not found (Debian package slurm-wlm)"; return 1; }
  done
  mkdir -p "$s/state" "$s/spool"
  local node ports node_line
  node=$(hostname -s)
  # Ports of this run only (another test run may be up): 20000 + 2·(PID mod 5000).
  ports=$(( 20000 + 2 * ($$ % 5000) ))
  node_line=$(slurmd -C 2>/dev/null | head -1) || { slurm_reason="slurmd -C failed"; return 1; }
  cat > "$s/slurm.conf" <<CONF
ClusterName=rptdose-test
SlurmctldHost=$node(127.0.0.1)
SlurmctldPort=$ports
SlurmdPort=$(( ports + 1 ))
AuthType=auth/none
CredType=cred/none
SlurmUser=root
SlurmdUser=root
StateSaveLocation=$s/state
SlurmdSpoolDir=$s/spool
SlurmctldPidFile=$s/slurmctld.pid
SlurmdPidFile=$s/slurmd.pid
SlurmctldLogFile=$s/slurmctld.log
SlurmdLogFile=$s/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
SchedulerType=sched/backfill
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
MpiDefault=none
ReturnToService=2
$node_line NodeAddr=127.0.0.1 State=UNKNOWN
PartitionName=test Nodes=$node Default=YES MaxTime=INFINITE State=UP
CONF
  export SLURM_CONF=$s/slurm.conf
  slurmctld -D -f "$SLURM_CONF" >"$s/slurmctld.out" 2>&1 & daemon_pids+=($!)
  slurmd -D -f "$SLURM_CONF" -N "$node" >"$s/slurmd.out" 2>&1 & daemon_pids+=($!)
  for _ in $(seq 60); do
    [ "$(sinfo -h -n "$node" -o %T 2>/dev/null)" = idle ] && return 0
    for p in "${daemon_pids[@]}"; do
      kill -0 "$p" 2>/dev/null || { slurm_reason="a Slurm daemon exited: $(tail -3 "$s"/*.out | tr '\n' ' ')"; return 1; }
    done
    sleep 0.5
  done
  slurm_reason="the node did not become idle in 30 s: $(sinfo -h 2>&1 | head -1); $(tail -2 "$s"/slurmctld.log "$s"/slurmd.log 2>/dev/null | tr '\n' ' ')"
  return 1
}

# Waits (≤ 150 s) until none of the jobs is pending or running, then requires each to have COMPLETED.
wait_for_jobs() {
  local deadline=$(( SECONDS + 150 ))
  while [ -n "$(squeue -h -j "$(IFS=,; echo "$*")" 2>/dev/null)" ]; do
    [ $SECONDS -lt $deadline ] || { echo "test-slurm: jobs still queued after 150 s:" >&2; squeue >&2; return 1; }
    sleep 1
  done
  local bad
  bad=$(for id in "$@"; do scontrol -o show job "$id"; done | grep -o 'JobId=[0-9]* .*JobState=[A-Z_]*' \
        | sed 's/ .*JobState=/ /' | grep -v ' COMPLETED$' || true)
  [ -z "$bad" ] || { echo "test-slurm: jobs that did not complete: $bad" >&2; return 1; }
}

if start_slurm; then
  echo "test-slurm: one-node Slurm $(sinfo -V | awk '{print $2}') started (auth/none); submitting 3 shards + merge"
  export SHARD_CPUS=1 SHARD_MEM=1G MERGE_MEM=1G SHARD_TIME=00:10:00
  submitted=$(bash scripts/slurm/submit-shards.sh 3 "$work/out" -- "${opts[@]}")
  echo "$submitted"
  array_id=$(sed -n 's/^submitted shards: job array \([0-9]*\) .*/\1/p' <<<"$submitted")
  merge_id=$(sed -n 's/.*merge: job \([0-9]*\) .*/\1/p' <<<"$submitted")
  [ -n "$array_id" ] && [ -n "$merge_id" ] || { echo "test-slurm: could not read the job ids" >&2; exit 1; }
  wait_for_jobs "$array_id" "$merge_id" || { tail -n 20 "$work"/out/logs/* >&2 || true; exit 1; }
  # The merge job really waited for the array (afterok): it started after every shard ended.
  ends=$(for i in 1 2 3; do scontrol -o show job "${array_id}_$i" | grep -o 'EndTime=[^ ]*' | cut -d= -f2; done | sort | tail -1)
  merge_start=$(scontrol -o show job "$merge_id" | grep -o 'StartTime=[^ ]*' | cut -d= -f2)
  [[ "$merge_start" > "$ends" || "$merge_start" == "$ends" ]] \
    || { echo "test-slurm: merge started at $merge_start before the last shard ended ($ends)" >&2; exit 1; }
  mode="real Slurm"
  # One MPI job through srun (scripts/slurm/mpi.sbatch, srun --mpi=pmix) with the MPI build of test-mpi.sh.
  mpi_exe=""
  for config in release debug; do
    if [ -x ".build-mpi/$config/rptdose" ]; then mpi_exe=$PWD/.build-mpi/$config/rptdose; break; fi
  done
  if [ -n "$mpi_exe" ]; then
    echo "test-slurm: srun MPI job, 2 ranks ($mpi_exe)"
    verbose=()   # without --quiet: rank 0 reports the number of ranks it sees
    for o in "${opts[@]}"; do [ "$o" = --quiet ] || verbose+=("$o"); done
    mpi_id=$(RPTDOSE=$mpi_exe OMPI_MCA_btl_vader_single_copy_mechanism=none \
             sbatch --parsable --job-name rptdose-mpi --ntasks 2 --cpus-per-task 1 --mem 2G --time 00:10:00 \
             --output "$work/mpi.out" scripts/slurm/mpi.sbatch "${verbose[@]}" --out "$work/mpi.h5")
    wait_for_jobs "${mpi_id%%;*}" || { tail -n 20 "$work/mpi.out" >&2; exit 1; }
    # Two singletons (PMIx not working) would each write the whole run: require one job of 2 ranks.
    grep -q "MPI: 2 ranks" "$work/mpi.out" \
      || { echo "test-slurm: the srun job did not run as 2 MPI ranks:" >&2; tail -n 20 "$work/mpi.out" >&2; exit 1; }
    # Reference: the same MPI build started without srun (one process), as scripts/test-mpi.sh does.
    "$mpi_exe" simulate "${opts[@]}" --threads 2 --out "$work/single-mpi.h5" >/dev/null
    "$PYTHON" scripts/compare-simulations.py "$work/single-mpi.h5" "$work/mpi.h5"
    mode="real Slurm, shards + merge and srun MPI"
  elif [ "${CI:-}" = true ]; then
    echo "test-slurm: no MPI build in .build-mpi (scripts/test-mpi.sh makes it; make test runs it first)" >&2; exit 1
  else
    echo "test-slurm: no MPI build in .build-mpi, the srun MPI job is skipped (scripts/test-mpi.sh makes it)"
  fi
else
  echo "test-slurm: Slurm could not start: $slurm_reason"
  if [ "${CI:-}" = true ]; then echo "test-slurm: CI=true requires the real Slurm check" >&2; exit 1; fi
  echo "test-slurm: falling back to a stand-in sbatch (job scripts run one after the other, no scheduler)"
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
if [ -n "$array" ]; then
  range=${array%%%*}
  for i in $(seq "${range%-*}" "${range#*-}"); do
    SLURM_ARRAY_TASK_ID=$i SLURM_JOB_ID=100 SLURM_CPUS_PER_TASK=2 bash "${args[@]}" >/dev/null
  done
  echo "100;cluster"
else
  [ "$dependency" = "afterok:100" ] || { echo "merge job must depend on afterok:100, got '$dependency'" >&2; exit 1; }
  SLURM_JOB_ID=101 bash "${args[@]}" >/dev/null
  echo "101"
fi
SBATCH
  printf '#!/bin/sh\necho 30:00\n' > "$work/bin/squeue"
  chmod +x "$work/bin/sbatch" "$work/bin/squeue"
  PATH="$work/bin:$PATH" bash scripts/slurm/submit-shards.sh 3 "$work/out" -- "${opts[@]}"
  mode="stand-in sbatch"
fi

"$RPTDOSE" simulate "${opts[@]}" --threads 2 --out "$work/single.h5" >/dev/null
"$PYTHON" scripts/compare-simulations.py "$work/single.h5" "$work/out/dose.h5"
echo "test-slurm: passed ($mode)"
