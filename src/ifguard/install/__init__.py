"""Files ``ifguard install`` puts on the host (systemd units, drop-in, apt hook), as templates.

``{ifguard}`` is replaced by the absolute path of the ifguard executable, ``{watch_args}`` by
extra ``ifguard watch`` options (`` --textfile-dir DIR`` when node_exporter's textfile directory
exists, else empty: ``watch`` refuses a missing directory). ``ifguard.install.files`` renders
them; ``ifguard.install.ops`` writes them (``ifguard install`` / ``ifguard uninstall``).
"""

from __future__ import annotations

WATCH_UNIT = """\
[Unit]
Description=ifguard: lint every change of /etc/network/interfaces and alert
After=network-pre.target
Wants=network-pre.target

[Service]
Type=simple
# Notification URLs hold tokens: they are read from `[watch] notify = [...]` in
# /etc/ifguard/ifguard.toml (root-owned, not readable by others) or a --notify-file,
# never put on this command line (every local user sees it in ps).
ExecStart={ifguard} watch{watch_args}
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

# The gate runs first; then, unchanged, the reload commands networking.service had when
# `ifguard install` read it ({reload}: one `ExecReload=` line each, from ifguard.install.unit).
NETWORKING_DROPIN = """\
# ifguard: refuse to reload a network configuration that has lint errors.
# `ExecReload=` empties the list; the lint gate runs first, then the reload commands of
# {unit} as installed when `ifguard install` ran (run it again if that unit changes).
[Service]
ExecReload=
ExecReload={ifguard} lint --gate --quiet --configuration running
{reload}"""

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

# network-pre.target is passive (systemd.special(7)): only units that want it pull it in, and
# ifupdown2's networking.service does not, so `WantedBy=network-pre.target` alone may never
# run this at boot. Wanted by networking.service itself, and ordered before it.
[Install]
WantedBy=networking.service
"""

# The boot check of the console summary (docs/console.md), for hosts where the watcher is
# not running: once networking has started, check (waiting up to 60 s for links and LACP)
# and publish under /run/ifguard. Exit 1 means "not ok", which it has said: not a failure.
STATUS_UNIT = """\
[Unit]
Description=ifguard: network status for the console login prompt and SSH logins
After=networking.service local-fs.target

[Service]
Type=oneshot
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
    "// `lint --gate` reads only /etc/ifguard/ifguard.toml and runs from /; any failure refuses.\n"
    "// Bypass once (logged): IFGUARD_FORCE=1 apt ...\n"
    'DPkg::Pre-Invoke {{ "if [ -x {ifguard} ]; then cd / && {ifguard} lint --gate -q '
    '--configuration running; fi"; }};\n'
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
    echo "ifreload: refused by ifguard: the network configuration has errors (listed" \
         "above); nothing was reloaded. Fix them (ifguard lint --fix) or run" \
         "IFGUARD_FORCE=1 ifreload ..." >&2
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
