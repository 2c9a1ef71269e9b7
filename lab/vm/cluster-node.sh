#!/bin/sh
# ifguard VM lab, guest side: the cluster node's identity from the kernel command line
# (ifguard.node=N, lab/vm/cluster.py), before the network and corosync start. Without it
# (the single-host lab) nothing happens and corosync stays off (no corosync.conf).
set -eux  # each step on the console: a failure names its line
lib=/usr/local/lib/ifguard-vm
n=$(sed -n 's/.*ifguard\.node=\([1-9]\).*/\1/p' /proc/cmdline)
[ -n "$n" ] || exit 0
same() { [ -e "$2" ] && cmp -s "$1" "$2"; }
put() {  # only when different: the watcher records every change of a watched file
    # the temporary file beside its target, not in /tmp: systemd-tmpfiles-setup.service
    # empties /tmp (tmpfiles.d/tmp.conf "D /tmp") at the same point of the boot, and took
    # the file away between mktemp and chmod (this unit failed on all three nodes, 17:13)
    tmp=$(mktemp "$1.XXXXXX")
    cat > "$tmp"
    if same "$tmp" "$1"; then rm -f "$tmp"; else chmod 0644 "$tmp"; mv "$tmp" "$1"; fi
}
echo "pve$n" | put /etc/hostname
hostname "pve$n"
printf '127.0.0.1\tlocalhost\n192.0.2.1%s\tpve%s\n10.50.0.1\tpve1-corosync\n10.50.0.2\tpve2-corosync\n10.50.0.3\tpve3-corosync\n' \
    "$n" "$n" | put /etc/hosts
sed "s/@N@/$n/g" "$lib/cluster-interfaces" | put /etc/network/interfaces
put /etc/corosync/corosync.conf < "$lib/corosync.conf"
# the peers read this node's last report from its metrics endpoint (watch/peers.py)
if ! grep -q '^metrics-port' /etc/ifguard/ifguard.toml 2>/dev/null; then
    printf 'metrics-port = 9861\nmetrics-addr = "0.0.0.0"\n' >> /etc/ifguard/ifguard.toml
fi
