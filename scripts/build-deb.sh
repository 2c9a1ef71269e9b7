#!/usr/bin/env bash
# Build the Debian package from this checkout:
#   bash scripts/build-deb.sh                  ->  dist/ifguard_<version>_all.deb
#   bash scripts/build-deb.sh --on-host        the same with this host's build tools
#   bash scripts/build-deb.sh --print-version  the version a build would get, nothing built
# By default (as root) the package is built inside a throwaway Debian 12 root that holds the
# build tools (scripts/deb-root.sh --build: mmdebstrap from Debian's repositories, cached in
# /var/cache/ifguard-test); this host gets only the .deb, never a compiler or debhelper.
# --on-host uses build tools already installed here and never installs any.
# IFGUARD_DEB_OUT=DIR puts the .deb (and .buildinfo, .changes) in DIR instead of dist/.
#
# The version is src/ifguard/__init__.py's (debian/changelog's top entry must agree); a
# checkout N commits past the release (tag vX.Y.Z, else the last commit that changed
# debian/changelog) builds X.Y.Z+gitN, which apt sees as an upgrade.
set -euo pipefail
# Debian's python3 and tools, not a pyenv/venv one from the caller's PATH
export PATH=/usr/sbin:/usr/bin:/sbin:/bin
cd "$(dirname "$0")/.."
repo=$PWD
out=${IFGUARD_DEB_OUT:-$repo/dist}
mode=root
case "${1:-}" in
    "") ;;
    --on-host) mode=host ;;
    --print-version) mode=version ;;
    *) echo "usage: bash scripts/build-deb.sh [--on-host | --print-version]" >&2; exit 2 ;;
esac

base=$(sed -n '1s/^ifguard (\([^)]*\)).*/\1/p' debian/changelog)
init=$(sed -n 's/^__version__ = "\(.*\)"$/\1/p' src/ifguard/__init__.py)
if [ -z "$base" ] || [ "$base" != "$init" ]; then
    echo "build-deb: debian/changelog says '$base', src/ifguard/__init__.py '$init': make them agree" >&2
    exit 2
fi
version=$base
in_git=false
if git -C "$repo" rev-parse --git-dir >/dev/null 2>&1 && git -C "$repo" rev-parse -q --verify HEAD >/dev/null; then
    in_git=true
    if git -C "$repo" rev-parse -q --verify "refs/tags/v$base" >/dev/null; then
        since=v$base
    else
        since=$(git -C "$repo" log -1 --format=%H -- debian/changelog)
    fi
    if [ -n "$since" ]; then
        n=$(git -C "$repo" rev-list --count "$since..HEAD")
        [ "$n" -eq 0 ] || version=$base+git$n
    fi
fi
if [ "$mode" = version ]; then
    echo "$version"
    exit 0
fi
if [ "$(id -u)" -ne 0 ] && [ "$mode" = root ]; then
    echo "build-deb: run as root (it builds in a throwaway Debian root: unshare, chroot), or --on-host with the build tools installed" >&2
    exit 2
fi
if [ "$mode" = host ] && ! dpkg-checkbuilddeps >/dev/null 2>&1; then
    echo "build-deb: --on-host: missing build dependencies (see debian/control); without --on-host the build runs in a throwaway Debian root instead" >&2
    exit 2
fi

work=$(mktemp -d "$( [ -w /dev/shm ] && echo /dev/shm || echo /tmp )/ifguard-deb.XXXXXX")
trap 'rm -rf "$work"' EXIT
if [ "$mode" = root ]; then
    tarball=$(bash scripts/deb-root.sh --build)
    mkdir "$work/root"
    tar --numeric-owner -xpf "$tarball" -C "$work/root"
    src=$work/root/build/ifguard
else
    src=$work/build/ifguard
fi
mkdir -p "$src"
if $in_git; then
    git -C "$repo" ls-files -z --cached --others --exclude-standard \
        | (cd "$repo" && xargs -0 cp --parents -a -t "$src" 2>/dev/null || true)
else
    tar -C "$repo" --exclude=.venv --exclude=dist --exclude=.git -cf - . | tar -C "$src" -xf -
fi
if [ "$version" != "$base" ]; then
    # the build's copy only: a changelog entry and the same version in the code
    when=$(date -R -d "@$(git -C "$repo" log -1 --format=%ct)")
    { printf 'ifguard (%s) bookworm; urgency=medium\n\n' "$version"
      printf '  * Built from a checkout %s commits past %s.\n\n' "${version##*+git}" "$base"
      printf ' -- ifguard contributors <ifguard@users.noreply.github.com>  %s\n\n' "$when"
      cat debian/changelog; } > "$src/debian/changelog"
    sed -i "s/^__version__ = .*/__version__ = \"$version\"/" "$src/src/ifguard/__init__.py"
fi

echo "build-deb: building ifguard $version $( [ "$mode" = root ] && echo 'in a throwaway Debian 12 root (the build tools stay out of this host)' || echo 'with this host'"'"'s build tools')"
# inside: build, then lintian (E: errors, W: warnings; I:/N: are notes)
script='cd /build/ifguard && dpkg-buildpackage -us -uc -b >/build/build.log 2>&1 || exit 3
if command -v lintian >/dev/null; then
    lintian --display-info /build/ifguard_*.changes >/build/lintian.log 2>&1 || exit 4
else
    echo "N: lintian is not installed: not checked" >/build/lintian.log
fi'
if [ "$mode" = root ]; then
    r=$work/root
    status=0
    unshare --mount --propagation private sh -c "mount -t proc proc '$r/proc' && mount --rbind /dev '$r/dev' \
        && exec chroot '$r' /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 \
        sh -c '$script'" || status=$?
    built=$r/build
else
    status=0
    (cd "$work/build" && sh -c "$(echo "$script" | sed "s#/build#$work/build#g")") || status=$?
    built=$work/build
fi
if [ "$status" -eq 3 ]; then
    tail -40 "$built/build.log" >&2
    echo "build-deb: dpkg-buildpackage failed (the end of its log is above)" >&2
    exit 1
fi
mkdir -p "$out"
rm -f "$out"/ifguard_*_all.deb "$out"/ifguard_*.buildinfo "$out"/ifguard_*.changes
cp "$built"/ifguard_*_all.deb "$built"/ifguard_*.buildinfo "$built"/ifguard_*.changes "$out"/
deb=$(ls "$out"/ifguard_*_all.deb)
cp "$built/lintian.log" "$out/lintian.log"
errors=$(grep -c '^E: ' "$built/lintian.log" || true)
warnings=$(grep -c '^W: ' "$built/lintian.log" || true)
notes=$(grep -c '^[IN]: ' "$built/lintian.log" || true)
grep '^[EW]: ' "$built/lintian.log" >&2 || true
echo "build-deb: built $deb"
echo "build-deb: lintian: $errors error(s), $warnings warning(s), $notes informational note(s) (all in $out/lintian.log)"
if [ "$status" -ne 0 ] || [ "$errors" -ne 0 ]; then
    echo "build-deb: lintian reported errors (above)" >&2
    exit 1
fi
