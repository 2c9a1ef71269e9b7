"""Files ``ifguard install`` puts on the host (systemd units, drop-in, apt hook), as templates.

``{ifguard}`` is replaced by the absolute path of the ifguard executable.
"""

from __future__ import annotations

WATCH_UNIT = """\
[Unit]
Description=ifguard: lint every change of /etc/network/interfaces and alert
After=network-pre.target
Wants=network-pre.target

[Service]
Type=simple
ExecStart={ifguard} watch --textfile-dir /var/lib/prometheus/node-exporter
ExecReload=/bin/kill -HUP $MAINPID
Restart=on-failure
RestartSec=5
ProtectSystem=full
ReadWritePaths=/var/lib/ifguard -/var/lib/prometheus/node-exporter
ProtectHome=yes
PrivateTmp=yes
NoNewPrivileges=yes
RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6 AF_NETLINK
LockPersonality=yes
MemoryMax=128M

[Install]
WantedBy=multi-user.target
"""

NETWORKING_DROPIN = """\
# ifguard: refuse to reload a network configuration that has lint errors.
[Service]
ExecReload=
ExecReload={ifguard} lint --quiet
ExecReload=/sbin/ifreload -a
"""

BOOT_UNIT = """\
[Unit]
Description=ifguard: undo an unconfirmed network change before networking starts
DefaultDependencies=no
Before=networking.service network-pre.target
Wants=network-pre.target
After=local-fs.target

[Service]
Type=oneshot
ExecStart={ifguard} rollback --if-pending --boot
RemainAfterExit=yes

[Install]
WantedBy=network-pre.target
"""

APT_HOOK = """\
// ifguard: package scripts (ifupdown2's postinst) reload the network; refuse while it is broken.
DPkg::Pre-Invoke {{ "if [ -x {ifguard} ]; then {ifguard} lint --quiet; fi"; }};
"""
