#!/usr/bin/env bash
# Regenerates the report screenshots of docs/report.md from the release build's demo at the demo's default
# number of decays, or checks that they are from it.
#
#   scripts/report-screenshots.sh          build rptdose in release (`swift build -c release`, incremental), run
#                                          the demo, write docs/images/report-{1..4}.png and
#                                          docs/images/report-demo.txt (build, demo settings, results digest)
#   scripts/report-screenshots.sh --check  run the release build's demo with the recorded settings and fail unless
#                                          its results digest equals the recorded one (make test, so CI)
#
# The results digest (`StudyReport.resultsDigest`: FNV-1a of every region-table number to 6 digits) is
# printed on the report itself (header and every page footer) and so on report-1.png. Monte Carlo runs are
# reproducible for a given seed and decay count, whatever the thread count, so the digest identifies the
# numbers the screenshots show. Screenshots come from the release build (the build users run) at the demo's
# default decays (`rptdose demo --decays` default, 400 000): a debug build or fewer decays would show more
# Monte Carlo noise than a user sees. RPTDOSE (default .build/release/rptdose, built when not given) and SEED
# (default 1) can be set; RPTDOSE must be a release build (a path under .build*/debug/ is refused).
set -euo pipefail
cd "$(dirname "$0")/.."
record=docs/images/report-demo.txt
if [ -z "${RPTDOSE:-}" ]; then
  swift build -c release --product rptdose
fi
rptdose=${RPTDOSE:-.build/release/rptdose}
case "$rptdose" in
  */debug/*) echo "report-screenshots: $rptdose is a debug build; the screenshots and their check use the release build (swift build -c release)" >&2; exit 1 ;;
esac
[ -x "$rptdose" ] || { echo "report-screenshots: $rptdose not found (swift build -c release --product rptdose)" >&2; exit 1; }
# The demo's default decays, from the source the release build is made of (DemoCommand.defaultDecays).
default_decays=$(grep -o 'defaultDecays: UInt64 = [0-9_]*' Sources/RPTCommandLine/DemoCommand.swift | sed 's/.*= //; s/_//g' || true)
[ -n "$default_decays" ] || { echo "report-screenshots: cannot read DemoCommand.defaultDecays in Sources/RPTCommandLine/DemoCommand.swift" >&2; exit 1; }
if [ "${1:-}" = "--check" ]; then
  # shellcheck disable=SC1090
  source <(grep -E '^(BUILD|DECAYS|SEED|DIGEST)=' "$record")
  if [ "${BUILD:-}" != release ] || [ "$DECAYS" != "$default_decays" ]; then
    echo "docs/images are not from the release build at the demo's default decays ($default_decays): $record says build ${BUILD:-unrecorded}, decays $DECAYS." >&2
    echo "Regenerate them with scripts/report-screenshots.sh" >&2
    exit 1
  fi
else
  DECAYS=$default_decays; SEED=${SEED:-1}
fi
out=$(mktemp -d /tmp/rpt-demo-XXXXXX)
trap 'rm -rf "$out"' EXIT
"$rptdose" demo --out "$out" --decays "$DECAYS" --seed "$SEED" --quiet >/dev/null
digest=$(grep -o 'Results digest</th><td>[0-9a-f]*' "$out/report.html" | sed 's/.*<td>//')
[ -n "$digest" ] || { echo "no results digest in $out/report.html" >&2; exit 1; }
if [ "${1:-}" = "--check" ]; then
  if [ "$digest" != "$DIGEST" ]; then
    echo "docs/images are stale: the release demo (decays $DECAYS, seed $SEED) now gives digest $digest, the screenshots show $DIGEST." >&2
    echo "Regenerate them with scripts/report-screenshots.sh" >&2
    exit 1
  fi
  echo "docs/images match the current release demo (decays $DECAYS, digest $digest)"
  exit 0
fi
python3 scripts/report_print_check.py "$out/report.html" --screenshots docs/images --width 1200
printf 'BUILD=release\nDECAYS=%s\nSEED=%s\nDIGEST=%s\n' "$DECAYS" "$SEED" "$digest" > "$record"
echo "wrote docs/images/report-{1..4}.png and $record (release build, $DECAYS decays, digest $digest)"
