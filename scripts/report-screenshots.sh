#!/usr/bin/env bash
# Regenerates the report screenshots of docs/report.md from the current build's demo, or checks that they
# are from it.
#
#   scripts/report-screenshots.sh          run the demo, write docs/images/report-{1..4}.png and
#                                          docs/images/report-demo.txt (demo settings and results digest)
#   scripts/report-screenshots.sh --check  run the demo with the recorded settings and fail unless its
#                                          results digest equals the recorded one (CI)
#
# The results digest (`StudyReport.resultsDigest`: FNV-1a of every region-table number to 6 digits) is
# printed on the report itself (header and every page footer) and so on report-1.png. Monte Carlo runs are
# reproducible for a given seed and decay count, whatever the thread count, so the digest identifies the
# numbers the screenshots show. RPTDOSE (default: .build/release/rptdose, built if missing), DECAYS
# (default: the demo's) and SEED (default 1) can be set; the check uses the recorded ones.
set -euo pipefail
cd "$(dirname "$0")/.."
record=docs/images/report-demo.txt
rptdose=${RPTDOSE:-.build/release/rptdose}
if [ "${1:-}" = "--check" ]; then
  # shellcheck disable=SC1090
  source <(grep -E '^(DECAYS|SEED|DIGEST)=' "$record")
else
  DECAYS=${DECAYS:-400000}; SEED=${SEED:-1}
fi
if [ ! -x "$rptdose" ]; then swift build -c release --product rptdose; fi
out=$(mktemp -d /tmp/rpt-demo-XXXXXX)
trap 'rm -rf "$out"' EXIT
"$rptdose" demo --out "$out" --decays "$DECAYS" --seed "$SEED" --quiet >/dev/null
digest=$(grep -o 'Results digest</th><td>[0-9a-f]*' "$out/report.html" | sed 's/.*<td>//')
[ -n "$digest" ] || { echo "no results digest in $out/report.html" >&2; exit 1; }
if [ "${1:-}" = "--check" ]; then
  if [ "$digest" != "$DIGEST" ]; then
    echo "docs/images are stale: the demo (decays $DECAYS, seed $SEED) now gives digest $digest, the screenshots show $DIGEST." >&2
    echo "Regenerate them with scripts/report-screenshots.sh" >&2
    exit 1
  fi
  echo "docs/images match the current demo (digest $digest)"
  exit 0
fi
python3 scripts/report_print_check.py "$out/report.html" --screenshots docs/images --width 1200
printf 'DECAYS=%s\nSEED=%s\nDIGEST=%s\n' "$DECAYS" "$SEED" "$digest" > "$record"
echo "wrote docs/images/report-{1..4}.png and $record (digest $digest)"
