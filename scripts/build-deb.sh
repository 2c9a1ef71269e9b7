#!/usr/bin/env bash
# Build the Debian package from this checkout on Debian 12:
#   bash scripts/build-deb.sh        ->  dist/ifguard_<version>_all.deb
# Installs the build dependencies (debian/control's Build-Depends) from Debian with apt
# (as root; skipped when they are already there), builds a copy of the tree (tracked files
# and new files git does not ignore, or the whole tree outside git) with
# `dpkg-buildpackage -us -uc -b`, and runs lintian on the result.
set -euo pipefail
# Debian's python3 and tools, not a pyenv/venv one from the caller's PATH
export PATH=/usr/sbin:/usr/bin:/sbin:/bin
cd "$(dirname "$0")/.."
repo=$PWD
out=${IFGUARD_DEB_OUT:-$repo/dist}

build_deps=$(sed -n '/^Build-Depends:/,/^[A-Z][A-Za-z-]*:/p' debian/control \
    | sed -e '1s/^Build-Depends://' -e '$d' | tr -d '\n' | sed -e 's/,[[:space:]]*$//')
if ! dpkg-checkbuilddeps >/dev/null 2>&1; then
    if [ "$(id -u)" -ne 0 ]; then
        echo "build-deb: missing build dependencies; run as root, or: apt-get satisfy '$build_deps'" >&2
        exit 2
    fi
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get -o DPkg::Lock::Timeout=900 satisfy -y -qq --no-install-recommends \
        "dpkg-dev, lintian, $build_deps" >/dev/null
fi

work=$(mktemp -d /tmp/ifguard-deb.XXXXXX)
trap 'rm -rf "$work"' EXIT
mkdir "$work/ifguard"
if git -C "$repo" rev-parse --git-dir >/dev/null 2>&1; then
    git -C "$repo" ls-files -z --cached --others --exclude-standard \
        | (cd "$repo" && xargs -0 cp --parents -a -t "$work/ifguard" 2>/dev/null || true)
else
    tar -C "$repo" --exclude=.venv --exclude=dist --exclude=.git -cf - . | tar -C "$work/ifguard" -xf -
fi
(cd "$work/ifguard" && dpkg-buildpackage -us -uc -b >"$work/build.log" 2>&1) || {
    tail -40 "$work/build.log" >&2
    echo "build-deb: dpkg-buildpackage failed (log above)" >&2
    exit 1
}
mkdir -p "$out"
rm -f "$out"/ifguard_*_all.deb
cp "$work"/ifguard_*_all.deb "$work"/ifguard_*.buildinfo "$work"/ifguard_*.changes "$out"/
deb=$(ls "$out"/ifguard_*_all.deb)
echo "build-deb: built $deb"
if command -v lintian >/dev/null; then
    lintian --info --display-info "$out"/ifguard_*.changes || {
        echo "build-deb: lintian reported errors" >&2
        exit 1
    }
fi
