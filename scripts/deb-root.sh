#!/usr/bin/env bash
# Make (once) and print the path of a clean Debian 12 root (a tarball made by mmdebstrap from
# Debian's repositories only, no other apt source), cached in
# ${IFGUARD_DEB_ROOT_CACHE:-/var/cache/ifguard-test}. Run as root.
#   bash scripts/deb-root.sh            the root the package tests install the .deb into
#   bash scripts/deb-root.sh --build    a root with debian/control's Build-Depends, dpkg-dev
#                                       and lintian: where scripts/build-deb.sh builds
# Re-made when missing, older than 30 days, or (--build) when the Build-Depends changed;
# `--force` (after the other option) re-makes it now.
set -euo pipefail
export PATH=/usr/sbin:/usr/bin:/sbin:/bin
cd "$(dirname "$0")/.."

cache=${IFGUARD_DEB_ROOT_CACHE:-/var/cache/ifguard-test}
# what a minimal admin's host has beyond apt: systemd (systemd-analyze), man, bash completion
include=systemd,man-db,bash-completion
name=bookworm-root
if [ "${1:-}" = --build ]; then
    shift
    # package names of Build-Depends (version constraints dropped; debhelper-compat is
    # provided by debhelper), plus what dpkg-buildpackage and the lint need
    deps=$(sed -n '/^Build-Depends:/,/^[A-Z][A-Za-z-]*:/p' debian/control | sed -e '1s/^Build-Depends://' -e '$d' \
        | tr ',' '\n' | sed -e 's/[(\[].*//' -e 's/[[:space:]]//g' -e 's/^debhelper-compat$/debhelper/' \
        | grep -v '^$' | sort -u | paste -sd, -)
    include="build-essential,dpkg-dev,lintian,$deps"
    name=bookworm-build-$(printf '%s' "$include" | sha256sum | cut -c1-12)
fi
tarball=$cache/$name.tar

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
tmp=$(mktemp "$cache/.$name.XXXXXX.tar")
trap 'rm -f "$tmp"' EXIT
start=$(date +%s)
mmdebstrap --quiet --variant=apt --include="$include" --format=tar bookworm "$tmp" "${mirrors[@]}" >&2
mv "$tmp" "$tarball"
trap - EXIT
# older build roots (other Build-Depends) are of no use any more
if [ "$name" != bookworm-root ]; then
    find "$cache" -maxdepth 1 -name 'bookworm-build-*.tar' ! -name "$name.tar" -delete
fi
echo "deb-root: made $tarball in $(( $(date +%s) - start )) s" >&2
echo "$tarball"
