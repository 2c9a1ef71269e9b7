#!/usr/bin/env bash
# Make (once) and print the path of a clean Debian 12 root for the package tests:
# a tarball made by mmdebstrap from Debian's repositories only (no other apt source), cached in
# ${IFGUARD_DEB_ROOT_CACHE:-/var/cache/ifguard-test}. Run as root. Re-made when missing or
# older than 30 days; `--force` re-makes it now.
set -euo pipefail
export PATH=/usr/sbin:/usr/bin:/sbin:/bin

cache=${IFGUARD_DEB_ROOT_CACHE:-/var/cache/ifguard-test}
tarball=$cache/bookworm-root.tar
# what a minimal admin's host has beyond apt: systemd (systemd-analyze), man, bash completion
include=systemd,man-db,bash-completion

if [ "${1:-}" != --force ] && [ -s "$tarball" ] && [ -z "$(find "$tarball" -mtime +30)" ]; then
    echo "$tarball"
    exit 0
fi
command -v mmdebstrap >/dev/null || {
    echo "deb-root: mmdebstrap not installed (apt-get install mmdebstrap)" >&2
    exit 2
}
mkdir -p "$cache"
# Debian's repositories as this host's apt is configured for them (a local mirror keeps
# working), else deb.debian.org: mmdebstrap then adds bookworm-updates and -security itself.
mirrors=()
if [ -f /etc/apt/sources.list.d/debian.sources ] && grep -q 'debian' /etc/apt/sources.list.d/debian.sources; then
    mirrors=(/etc/apt/sources.list.d/debian.sources)
fi
tmp=$(mktemp "$cache/.bookworm-root.XXXXXX.tar")
trap 'rm -f "$tmp"' EXIT
start=$(date +%s)
mmdebstrap --quiet --variant=apt --include="$include" --format=tar bookworm "$tmp" "${mirrors[@]}" >&2
mv "$tmp" "$tarball"
trap - EXIT
echo "deb-root: made $tarball in $(( $(date +%s) - start )) s" >&2
echo "$tarball"
