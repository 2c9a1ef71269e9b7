#!/usr/bin/env bash
# Install everything ifguard's test suite needs on a fresh Debian 12 machine (run as root):
# the real tools the end-to-end tests drive (ifupdown2, Open vSwitch, iproute2, Prometheus
# with promtool, Alertmanager's amtool)
# and a virtualenv in .venv with ifguard and its development tools.
#
# Package maintainer scripts are not allowed to start services while it runs (a policy-rc.d
# it removes again on exit), and nothing
# here touches the machine's own network: the e2e tests build their own network namespaces.
set -euo pipefail
cd "$(dirname "$0")/.."

export DEBIAN_FRONTEND=noninteractive
if [ "$(id -u)" -ne 0 ]; then
    echo "dev-setup: run as root (apt-get, network namespaces)" >&2
    exit 2
fi
# For these installs only: a policy-rc.d left behind would keep every later upgrade from
# restarting its services (sshd, pveproxy...). Removed on exit, and only if we made it.
if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\n# installed by ifguard scripts/dev-setup.sh while it runs: no service starts from dpkg\nexit 101\n' \
        > /usr/sbin/policy-rc.d
    chmod 755 /usr/sbin/policy-rc.d
    trap 'rm -f /usr/sbin/policy-rc.d' EXIT
fi
apt-get update -qq
apt-get install -y -qq --no-install-recommends \
    python3 python3-venv python3-pip \
    ifupdown2 openvswitch-switch openvswitch-common iproute2 iputils-ping arping \
    procps psmisc util-linux time systemd prometheus prometheus-alertmanager git tmux >/dev/null
# The .deb: build tools (debian/control's Build-Depends), lintian, mmdebstrap for the clean
# root of tests/e2e/test_package.py; Debian's own packages of ifguard's libraries for
# scripts/test-debian-python.sh (the unit tests against the versions the .deb depends on);
# Debian's ansible (community.general.chroot) for tests/e2e/test_ansible_chroot.py.
apt-get install -y -qq --no-install-recommends \
    dpkg-dev debhelper dh-python pybuild-plugin-pyproject python3-all python3-setuptools \
    python3-argparse-manpage python3-shtab lintian mmdebstrap man-db bash-completion \
    python3-rich python3-pyroute2 python3-prometheus-client apprise ansible >/dev/null
# The VM lab (lab/vm, tests/e2e/vm): qemu boots a Debian 12 guest image made by mmdebstrap
# (above) and mke2fs -d (e2fsprogs), with qcow2 overlays (qemu-utils).
apt-get install -y -qq --no-install-recommends qemu-system-x86 qemu-utils e2fsprogs >/dev/null

python3 -m venv .venv
.venv/bin/pip install -q --upgrade pip
.venv/bin/pip install -q -e '.[dev]'
echo "dev-setup: ready ($(.venv/bin/ifguard --version))"
