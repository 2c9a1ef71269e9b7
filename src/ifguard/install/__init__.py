"""Files ``ifguard install`` puts on the host (systemd units, drop-in, apt hook), as templates.

``{ifguard}`` is replaced by the absolute path of the ifguard executable, ``{man}`` by the
unit's man page reference (``man:ifguard-watch(1)`` then a space) in the package, which ships
the man pages, and by nothing for ``ifguard install``. The watcher's options
are not on its command line: ``ifguard watch`` reads them from ``[watch]`` and ``[console]`` of
/etc/ifguard/ifguard.toml. ``ifguard.install.files`` renders the templates;
``ifguard.install.ops`` writes them (``ifguard install`` / ``ifguard uninstall``).
"""

from __future__ import annotations

WATCH_UNIT = """\
[Unit]
Description=ifguard: lint every change of /etc/network/interfaces and alert
Documentation={man}https://github.com/ifguard/ifguard/blob/main/docs/watch.md
# After networking.service has brought the configuration up: a watcher that probes while
# ifup is still raising the bond (LACP takes seconds) alerts "probe failed" at every boot.
# A broken file is still caught at boot: the boot check (ifguard-boot.service) runs before
# networking, and the watcher's first lint states the truth.
After=networking.service network-online.target

[Service]
Type=simple
# Every option (notification URLs, self-heal, metrics, textfile collector, probe targets,
# console) is read from [watch] and [console] in /etc/ifguard/ifguard.toml (root-owned, not
# readable by others: the URLs hold tokens): edit it, then `systemctl restart ifguard-watch`.
# Never put URLs on this command line (every local user sees it in ps).
ExecStart={ifguard} watch
ExecReload=/bin/kill -HUP $MAINPID
Restart=on-failure
RestartSec=5
# The sandbox: the watcher reads the configuration and the running network, and writes only
# its state, /run/ifguard and node_exporter's textfile directory (/var stays writable).
# AF_PACKET: the gateway ARP probe. Self-heal does not widen it: the restore runs as its own
# transient service (systemd-run), like the rollback guardian of `ifguard apply`.
ProtectSystem=full
ReadWritePaths=/var/lib/ifguard -/var/lib/prometheus/node-exporter
ProtectHome=yes
PrivateTmp=yes
NoNewPrivileges=yes
RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6 AF_NETLINK AF_PACKET
LockPersonality=yes
MemoryMax=128M

[Install]
WantedBy=multi-user.target
"""

# The gate runs first; then, unchanged, the reload commands networking.service had when
# `ifguard install` read it ({reload}: one `ExecReload=` line each, from ifguard.install.unit);
# then the verdict of the guarded reloads they ran (Debian's start-networking ignores it).
NETWORKING_DROPIN = """\
# ifguard: refuse to reload a network configuration that has lint errors.
# `ExecReload=` empties the list; the lint gate runs first, then the reload commands of
# {unit} as installed when `ifguard install` ran (run it again if that unit changes), then
# `ifguard reload --verdict`: the reload fails when a guarded reload it ran was rolled back.
[Service]
ExecReload=
ExecReload={ifguard} lint --gate --quiet --configuration running
{reload}ExecReload={ifguard} reload --verdict
"""

BOOT_UNIT = """\
[Unit]
Description=ifguard: undo an unconfirmed network change before networking starts
Documentation={man}https://github.com/ifguard/ifguard/blob/main/docs/apply.md
DefaultDependencies=no
Before=networking.service network-pre.target
Wants=network-pre.target
# after Proxmox's pvenetcommit.service has moved a pending interfaces.new into place: the
# files of an interrupted transaction have the last word
After=local-fs.target pvenetcommit.service

# only when a transaction is open: on every other boot not even Python starts (seconds on
# the boot's critical path, before networking)
ConditionPathExists=/var/lib/ifguard/pending.json

[Service]
Type=oneshot
ExecStart={ifguard} rollback --if-pending --boot
RemainAfterExit=yes

# network-pre.target is passive (systemd.special(7)): only units that want it pull it in, and
# ifupdown2's networking.service does not, so `WantedBy=network-pre.target` alone may never
# run this at boot. Wanted by networking.service itself, and ordered before it.
[Install]
WantedBy=networking.service
"""

# The boot check after networking (docs/boot.md, docs/console.md): first, when the files
# that booted are not the last known-good version and leave the host cut off, restore that
# version (`rollback --after-boot`; "+": outside the sandbox, it writes /etc/network and
# reloads; "-": its exit status never stops the summary); then check (waiting up to 60 s for
# links and LACP) and publish under /run/ifguard. Exit 1 means "not ok", which it has said.
STATUS_UNIT = """\
[Unit]
Description=ifguard: network status for the console login prompt and SSH logins
Documentation={man}https://github.com/ifguard/ifguard/blob/main/docs/console.md
After=networking.service local-fs.target

[Service]
Type=oneshot
ExecStartPre=-+{ifguard} rollback --after-boot --settle 20
ExecStart={ifguard} status --update --settle 60
SuccessExitStatus=1
ProtectSystem=full
ReadWritePaths=/var/lib/ifguard
ProtectHome=yes
PrivateTmp=yes

[Install]
WantedBy=multi-user.target
"""

# /etc/update-motd.d/50-ifguard: pam_motd runs it at every SSH login, so it only reads the
# summary the watcher (or the boot check) wrote; it never checks anything itself.
MOTD_SCRIPT = """\
#!/bin/sh
# ifguard: the network status summary at login. `ifguard watch` (or the boot check,
# `ifguard status --update`) keeps it current; this script only reads it.
# Installed by `ifguard install` (or the ifguard package); see docs/console.md.
SUMMARY={summary}
[ -r "$SUMMARY" ] || exit 0
echo
cat "$SUMMARY"
exit 0
"""

APT_HOOK = (
    "// ifguard: package scripts (ifupdown2's postinst) reload the network; refuse while it is"
    " broken.\n"
    "// `ifguard apt-hook` runs the gate (`lint --gate`: only /etc/ifguard/ifguard.toml, from /)"
    " and\n"
    "// says what to do when it refuses; removing or purging ifguard itself is never refused.\n"
    "// Bypass once (logged): IFGUARD_FORCE=1 apt ...\n"
    'DPkg::Pre-Install-Pkgs {{ "if [ -x {ifguard} ]; then cd / && exec {ifguard} apt-hook; '
    'else cat >/dev/null; fi"; }};\n'
    "// the package actions on the hook's stdin, apt's protocol version 2 (apt names the option\n"
    "// after the command's first word)\n"
    'DPkg::Tools::Options::if::Version "2";\n'
)

# Installed as /usr/sbin/ifreload by `ifguard install --divert-ifreload`, once dpkg-divert has
# moved the real one to {orig}. Every value is shell-quoted by the renderer.
# Pass-through cases: ifguard missing (uninstalled venv) and ifguard's own reload inside a
# transaction in progress (`ifguard apply` linted the candidate itself, and its rollback must
# never be refused): ifguard sets IFGUARD_TXN for the commands it runs. A pending.json alone
# lets nothing through: the gate reads it, and a damaged one refuses.
# Otherwise the same gate as the drop-in and the apt hook (`lint --gate`: system settings
# only, run from /, the running configuration: what ifreload reads): any exit status but 0
# refuses - a lint that could not run never reloads unchecked. IFGUARD_FORCE=1 is handled
# (and logged) by the gate. Past the gate, the reload runs as a guarded transaction
# (`ifguard reload`: probes, rollback to the last known-good version, alert) unless
# IFGUARD_FORCE=1 or IFGUARD_NO_ROLLBACK=1.
IFRELOAD_WRAPPER = """\
#!/bin/sh
# ifguard: refuse to reload a network configuration that has lint errors, and run every
# reload as a guarded transaction (`ifguard reload`: probes, rollback to the last known-good
# version, alert). Installed by `ifguard install --divert-ifreload`; the real ifreload is
# {orig}. Remove with `ifguard uninstall`. Bypass once (logged): IFGUARD_FORCE=1 ifreload ...
# Lint gate only, no rollback: IFGUARD_NO_ROLLBACK=1 ifreload ...
IFGUARD={ifguard}
ORIG={orig}
ROOT={root}
PENDING={pending}
if [ ! -x "$ORIG" ]; then
    echo "ifreload: ifguard wrapper: the real ifreload ($ORIG) is missing" >&2
    exit 1
fi
if [ ! -x "$IFGUARD" ] || {{ [ -n "${{IFGUARD_TXN:-}}" ] && [ -e "$PENDING" ]; }}; then
    exec "$ORIG" "$@"
fi
(cd / && exec "$IFGUARD" lint --gate --quiet --configuration running --root "$ROOT") >&2
status=$?
if [ "$status" -eq 1 ]; then
    echo "ifreload: refused by ifguard: the network configuration has errors (file:line" \
         "above); nothing was reloaded, the running network is unchanged." >&2
    echo "  The file is in place for the next boot all the same: a Proxmox GUI" \
         "'Apply Configuration' has already moved interfaces.new over interfaces." >&2
    echo "  fix:    ifguard lint --fix   (then ifguard lint; edit what is left at the" \
         "line shown)" >&2
    echo "  or go back to the last known-good version: ifguard history   (known-good: yes)," \
         "then ifguard restore N" >&2
    echo "  bypass: IFGUARD_FORCE=1 ifreload ...   (this once, logged)" >&2
    exit 1
fi
if [ "$status" -ne 0 ]; then
    echo "ifreload: refused by ifguard: the check could not run (exit $status, reason" \
         "above); nothing was reloaded. Fix the cause or run IFGUARD_FORCE=1 ifreload ..." >&2
    exit 1
fi
if [ "${{IFGUARD_FORCE:-}}" = 1 ] || [ "${{IFGUARD_NO_ROLLBACK:-}}" = 1 ]; then
    exec "$ORIG" "$@"
fi
exec "$IFGUARD" reload --gated --root "$ROOT" --orig "$ORIG" -- "$@"
"""
