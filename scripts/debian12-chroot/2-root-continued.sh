#!/usr/bin/env bash
# Continues run.sh's root run after the machine's egress CA was added to the chroot (pip reaches PyPI through it).
set -euo pipefail
R=/work/deb12
echo "=== root: make test (continued) $(date -u)"
chroot $R /bin/bash -lc '
set -e
export PATH=/opt/swift/usr/bin:$PATH
cd /root/rptdose && git log -1 --oneline
time CI=true make test
'
echo "=== root: done $(date -u)"
