#!/bin/sh
# ifguard VM lab: the guest's test setup, run chrooted in the image root at build time
# (lab/vm/image.py) with this directory as $1: `base` before the project's .deb is installed
# (then the file list "before the package" is recorded for the purge test), `package` after.
# Test-image only: a root password, a driver.
set -eu
src=$1
if [ "$2" = package ]; then
    # the alert receiver in the lab's admin namespace (apprise's json:// POSTs each alert);
    # a script, run again by the tests that purge and reinstall the package
    cat > /usr/local/lib/ifguard-vm/configure-ifguard <<'EOS'
#!/bin/sh
cat >> /etc/ifguard/ifguard.toml <<'TOML'

# ifguard VM lab: the alert receiver in the lab's admin network
[watch]
notify = ["json://203.0.113.50:8080/alert"]
TOML
EOS
    chmod 0755 /usr/local/lib/ifguard-vm/configure-ifguard
    /usr/local/lib/ifguard-vm/configure-ifguard
    exit 0
fi

echo pve1 > /etc/hostname
printf '127.0.0.1\tlocalhost\n192.0.2.10\tpve1\n' > /etc/hosts
printf '/dev/vda\t/\text4\tdefaults\t0\t1\n' > /etc/fstab
echo 'root:ifguard' | chpasswd
install -m 0644 "$src/interfaces" /etc/network/interfaces
mkdir -p /etc/network/interfaces.d

# Proxmox VE's boot-time commit of the network configuration, with the same unit name,
# ordering and effect as pve-manager's pvenetcommit.service: early at boot (no default
# dependencies, after local-fs, before sysinit.target and so before networking) it removes
# the Open vSwitch database (OVS is rebuilt from the file) and moves a pending
# /etc/network/interfaces.new written by the GUI over /etc/network/interfaces
cat > /etc/systemd/system/pvenetcommit.service <<'UNIT'
[Unit]
Description=ifguard VM lab: Proxmox VE's commit of pending network changes at boot
DefaultDependencies=no
After=local-fs.target
Before=sysinit.target

[Service]
Type=oneshot
RemainAfterExit=yes
ExecStartPre=-/bin/rm -f /etc/openvswitch/conf.db
ExecStart=/bin/sh -c 'test ! -f /etc/network/interfaces.new || mv -f /etc/network/interfaces.new /etc/network/interfaces'

[Install]
WantedBy=sysinit.target
UNIT
systemctl enable pvenetcommit.service

# nothing periodic that the tests did not start
for t in apt-daily.timer apt-daily-upgrade.timer e2scrub_all.timer e2scrub_reap.service fstrim.timer; do
    ln -sf /dev/null "/etc/systemd/system/$t"
done
# the journal in memory: fewer writes to the overlay under TCG
mkdir -p /etc/systemd/journald.conf.d
printf '[Journal]\nStorage=volatile\n' > /etc/systemd/journald.conf.d/ifguard-vm.conf

# the test driver on the virtio serial port org.ifguard.driver (the serial console ttyS0
# stays at its login prompt, for the person reading it)
install -D -m 0755 "$src/driver.py" /usr/local/lib/ifguard-vm/driver.py
cat > /etc/systemd/system/ifguard-vm-driver.service <<'UNIT'
[Unit]
Description=ifguard VM lab: test driver on virtio port org.ifguard.driver
DefaultDependencies=no
After=local-fs.target systemd-udevd.service

[Service]
ExecStart=/usr/bin/python3 /usr/local/lib/ifguard-vm/driver.py /dev/virtio-ports/org.ifguard.driver
Restart=always
RestartSec=1

[Install]
WantedBy=sysinit.target
UNIT
systemctl enable ifguard-vm-driver.service

# the cluster lab (lab/vm/cluster.py, its image only: corosync installed): one image for
# three nodes, each one's identity from the kernel command line (ifguard.node=N) written
# before the network and corosync start; one authkey for all. Debian's sample corosync.conf
# goes: without a node identity there is no corosync.conf and corosync does not start.
if [ -x /usr/sbin/corosync ]; then
    install -m 0644 "$src/cluster-interfaces" "$src/corosync.conf" /usr/local/lib/ifguard-vm/
    install -m 0755 "$src/cluster-node.sh" /usr/local/lib/ifguard-vm/cluster-node
    rm -f /etc/corosync/corosync.conf
    corosync-keygen -l >/dev/null 2>&1 || corosync-keygen >/dev/null
    cat > /etc/systemd/system/ifguard-vm-node.service <<'UNIT'
[Unit]
Description=ifguard VM lab: cluster node identity from the kernel command line
DefaultDependencies=no
After=local-fs.target
Before=network-pre.target networking.service corosync.service ifguard-watch.service
Wants=network-pre.target

[Service]
Type=oneshot
ExecStart=/usr/local/lib/ifguard-vm/cluster-node
StandardError=journal+console

[Install]
WantedBy=sysinit.target
UNIT
    systemctl enable ifguard-vm-node.service
    # three TCG guests share two host cores while they boot: nothing runs in the cluster
    # image that the cluster tests do not use (what a Proxmox node runs besides, sshd,
    # auditd, the periodic jobs, is not under test here; the single-host image keeps them)
    # (systemd-analyze blame, three guests booting together: logind 27-31 s, binfmt 10-12 s)
    for u in ssh.service auditd.service getty@tty1.service dpkg-db-backup.timer \
        systemd-tmpfiles-clean.timer uuidd.socket systemd-pstore.service \
        systemd-logind.service systemd-binfmt.service proc-sys-fs-binfmt_misc.automount; do
        ln -sf /dev/null "/etc/systemd/system/$u"
    done
    mkdir -p /etc/systemd/system/corosync.service.d
    printf '[Unit]\nConditionPathExists=/etc/corosync/corosync.conf\nAfter=ifguard-vm-node.service\n' \
        > /etc/systemd/system/corosync.service.d/ifguard-vm.conf
fi

# every path outside the volatile places, before the package: the purge test's reference
mkdir -p /var/lib/ifguard-vm
find / -xdev \( -path /proc -o -path /sys -o -path /dev -o -path /run -o -path /tmp \
    -o -path /var/lib/ifguard-vm \) -prune -o -print | sort > /var/lib/ifguard-vm/before.files
