#!/bin/sh
# build-info.sh PACKAGE_DIR OUTPUT_DIR — writes OUTPUT_DIR/BuildInfo.swift with the git commit of PACKAGE_DIR
# (`git rev-parse HEAD`, "-dirty" appended when tracked files differ from it; "unknown" outside a git checkout)
# and the UTC build date (YYYY-MM-DD; SOURCE_DATE_EPOCH is honoured for reproducible builds). The file is
# replaced only when its content changes, so that an unchanged checkout recompiles nothing.
set -eu
root=$1; out=$2
commit=$(git -C "$root" rev-parse HEAD 2>/dev/null) || commit=unknown
case "$commit" in
  [0-9a-f]*) if [ -n "$(git -C "$root" --no-optional-locks status --porcelain --untracked-files=no 2>/dev/null)" ]; then
               commit="$commit-dirty"
             fi ;;
  *) commit=unknown ;;
esac
if [ -n "${SOURCE_DATE_EPOCH:-}" ]; then
  day=$(date -u -d "@$SOURCE_DATE_EPOCH" +%Y-%m-%d 2>/dev/null || date -u -r "$SOURCE_DATE_EPOCH" +%Y-%m-%d)
else
  day=$(date -u +%Y-%m-%d)
fi
mkdir -p "$out"
tmp="$out/.BuildInfo.swift.tmp"
cat > "$tmp" <<SWIFT
// Generated at build time by Plugins/BuildInfoPlugin/build-info.sh — do not edit.
enum GeneratedBuildInfo {
    /// \`git rev-parse HEAD\` of the checkout that was built ("-dirty": with uncommitted changes), or "unknown".
    static let gitCommit = "$commit"
    /// UTC date of the build, YYYY-MM-DD.
    static let buildDate = "$day"
}
SWIFT
if cmp -s "$tmp" "$out/BuildInfo.swift"; then rm -f "$tmp"; else mv "$tmp" "$out/BuildInfo.swift"; fi
