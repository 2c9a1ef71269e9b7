#!/usr/bin/env bash
# The unit tests (not e2e) against Debian 12's python3 and Debian's own packages of ifguard's
# libraries (python3-rich, python3-pyroute2, python3-prometheus-client, apprise): the versions
# the .deb depends on. A venv with --system-site-packages gets only the test tools from pip;
# ifguard itself is installed --no-deps, and every runtime library must come from
# /usr/lib/python3/dist-packages (checked, with the versions printed).
set -euo pipefail
export PATH=/usr/sbin:/usr/bin:/sbin:/bin
cd "$(dirname "$0")/.."

venv=${IFGUARD_DEBIAN_VENV:-.venv-debian}
if [ ! -x "$venv/bin/python" ]; then
    /usr/bin/python3 -m venv --system-site-packages "$venv"
fi
"$venv/bin/pip" install -q --disable-pip-version-check "pytest>=8" "hypothesis>=6" "jsonschema>=4"
"$venv/bin/pip" install -q --disable-pip-version-check --no-deps --no-build-isolation -e .
"$venv/bin/python" - <<'PY'
"""ifguard's runtime requirements and everything they require in turn must be satisfied by
Debian's packages. A copy the test tools pulled into the venv (pytest wants Pygments, which
rich uses too) is removed so Debian's is what the tests import."""
import importlib.metadata as md
import subprocess
import sys

from packaging.requirements import Requirement

DEBIAN = "/usr/lib/python3/dist-packages"


def closure() -> dict[str, Requirement]:
    todo = [Requirement(r) for r in md.requires("ifguard") or []]
    seen: dict[str, Requirement] = {}
    while todo:
        req = todo.pop()
        if req.marker is not None and not req.marker.evaluate({"extra": ""}):
            continue
        key = req.name.lower().replace("_", "-")
        if key in seen:
            continue
        seen[key] = req
        todo += [Requirement(r) for r in md.requires(req.name) or []]
    return seen


def where(name: str) -> str:
    return str(md.distribution(name).locate_file(""))


reqs = closure()
shadowing = [n for n in reqs if not where(n).startswith(DEBIAN)]
if shadowing:
    print(f"test-debian-python: removing venv copies of {' '.join(shadowing)}")
    subprocess.run([sys.executable, "-m", "pip", "uninstall", "-q", "-y", *shadowing], check=True)
bad = []
for name, req in sorted(reqs.items()):
    try:
        version, place = md.version(name), where(name)
    except md.PackageNotFoundError:
        bad.append(f"{name} missing")
        continue
    top = name in {r.name.lower() for r in map(Requirement, md.requires("ifguard") or [])}
    if top or not place.startswith(DEBIAN):
        print(f"test-debian-python: {name} {version} from {place} (needs {req})")
    if not place.startswith(DEBIAN):
        bad.append(f"{name} not from Debian")
    elif not req.specifier.contains(version, prereleases=True):
        bad.append(f"{name} {version} does not satisfy {req}")
print(f"test-debian-python: python {sys.version.split()[0]}, {len(reqs)} runtime distributions")
if bad:
    sys.exit("test-debian-python: " + "; ".join(bad))
PY
exec "$venv/bin/python" -m pytest -m "not e2e" -q -p no:cacheprovider "$@"
