#!/usr/bin/env bash
# Verifies issue 20's "fresh Debian 12 with Swift only": a debootstrap'ed bookworm root (minbase), the Swift
# toolchain's documented Debian 12 prerequisites, the machine's Swift package mirror (git insteadOf), then
# git clone + make demo + make test (CI=true: a skip is a failure) as root, and as a normal user.
set -euo pipefail
R=/work/deb12
mountpoint -q $R/proc || mount -t proc proc $R/proc
mountpoint -q $R/sys || mount --rbind /sys $R/sys
mountpoint -q $R/dev || mount --rbind /dev $R/dev
mkdir -p $R/opt/swift $R/opt/swift-packages $R/mnt/src
mountpoint -q $R/opt/swift || mount --bind -o ro /opt/swift $R/opt/swift
mountpoint -q $R/opt/swift-packages || mount --bind /opt/swift-packages $R/opt/swift-packages
mountpoint -q $R/mnt/src || mount --bind /work/main $R/mnt/src
cp /etc/resolv.conf $R/etc/resolv.conf
cp /etc/gitconfig $R/etc/gitconfig
sed -i '/credential/,+1d' $R/etc/gitconfig
cat > $R/etc/profile.d/swift.sh <<'P'
export PATH=/opt/swift/usr/bin:$PATH
P
chroot $R /bin/bash -lc '
set -e
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
# swift.org "Installing Swift" prerequisites for Debian 12 (both lists it has given), plus git/make/ca-certificates.
apt-get install -y -q binutils git gnupg2 libc6-dev libcurl4-openssl-dev libedit2 libgcc-12-dev libpython3-dev \
  libsqlite3-0 libstdc++-12-dev libxml2-dev libz3-dev pkg-config python3 tzdata zlib1g-dev make ca-certificates procps \
  binutils-gold gcc libedit-dev libicu-dev libncurses5-dev libsqlite3-dev uuid-dev
git config --global --add safe.directory "*"
swift --version
'
echo "=== root: clone, make demo, make test $(date -u)"
chroot $R /bin/bash -lc '
set -e
export PATH=/opt/swift/usr/bin:$PATH
rm -rf /root/rptdose && git clone -q /mnt/src /root/rptdose && cd /root/rptdose && git log -1 --oneline
test ! -e ../shared && echo "no ../shared beside the clone"
time make demo
time CI=true make test
'
echo "=== root: done $(date -u)"
