"""The watcher: running (systemd), its sandbox letting it probe (the unit's effective
settings, from ``systemctl show``), what it last published (a probe it could not run is a
problem: the host is then unwatched), and node_exporter's textfile."""

from __future__ import annotations

import os

from ifguard.doctor import FAIL, OK, UNKNOWN, WARN, Check, Host
from ifguard.install import files
from ifguard.status.publish import read_published

UNIT = "ifguard-watch.service"
PROPS = (
    "LoadState",
    "ActiveState",
    "SubState",
    "MainPID",
    "PrivateNetwork",
    "RestrictAddressFamilies",
    "CapabilityBoundingSet",
    "IPAddressDeny",
)
EDIT = f"systemctl edit {UNIT}"
HEARTBEAT = 180.0  # the watcher refreshes ifguard.prom at least every minute
PROM = "ifguard.prom"


def why_not(host: Host) -> str:
    return "systemd is not PID 1" if host.root.is_host else "a --root tree"


def service_properties(host: Host) -> dict[str, str] | None:
    """The unit's effective properties, or None when systemd cannot be asked."""
    if not host.systemd:
        return None
    done = host.runner.run(["systemctl", "show", UNIT, "-p", ",".join(PROPS)], timeout=10)
    if not done.ok:
        return {"_error": done.err.strip()[:200] or f"exit {done.rc}"}
    return dict(line.partition("=")[::2] for line in done.out.splitlines())


def checks(host: Host, props: dict[str, str] | None) -> list[Check]:
    out = [_running(host, props)]
    sandbox = _sandbox(host, props)
    out.append(sandbox)
    out += _published(host, props, sandbox)
    return out


def _running(host: Host, props: dict[str, str] | None) -> Check:
    name = "service"
    if props is None:
        return Check("watcher", name, UNKNOWN, f"cannot check ({why_not(host)})")
    if "_error" in props:
        return Check("watcher", name, UNKNOWN, f"systemctl show failed: {props['_error']}")
    if props.get("LoadState") == "not-found":
        return Check("watcher", name, FAIL, f"{UNIT} is not installed", "ifguard install")
    state = props.get("ActiveState", "?")
    if state == "active":
        return Check("watcher", name, OK, f"{UNIT} running (pid {props.get('MainPID', '?')})")
    fix = f"systemctl enable --now {UNIT}"
    if state == "failed":
        fix = f"journalctl -u {UNIT} -n 20 (why it failed), then systemctl restart {UNIT}"
    return Check("watcher", name, FAIL, f"{UNIT} is {state} ({props.get('SubState', '?')})", fix)


def families(value: str) -> tuple[bool, set[str]]:
    """``RestrictAddressFamilies=`` as systemctl shows it: (deny-list?, the families);
    empty: no restriction."""
    value = value.strip()
    deny = value.startswith("~")
    return deny, set(value.lstrip("~").split())


def allowed(value: str, family: str) -> bool:
    deny, listed = families(value)
    if not listed:
        return True
    return (family not in listed) if deny else (family in listed)


def _sandbox(host: Host, props: dict[str, str] | None) -> Check:
    name = "sandbox"
    if props is None or "_error" in props:
        return Check("watcher", name, UNKNOWN, f"cannot check the unit's sandbox ({why_not(host)})")
    if props.get("LoadState") == "not-found":
        return Check("watcher", name, UNKNOWN, "no unit")
    if props.get("PrivateNetwork") == "yes":
        return Check(
            "watcher",
            name,
            FAIL,
            "PrivateNetwork=yes: it sees no host network",
            f"{EDIT}: PrivateNetwork=no",
        )
    raf = props.get("RestrictAddressFamilies", "")
    missing = [f for f in ("AF_INET", "AF_NETLINK") if not allowed(raf, f)]
    if missing:
        return Check(
            "watcher",
            name,
            FAIL,
            f"RestrictAddressFamilies= refuses {' '.join(missing)}: "
            + " and ".join(
                {"AF_INET": "no probe", "AF_NETLINK": "no link state"}[f] for f in missing
            ),
            f"{EDIT}: RestrictAddressFamilies={' '.join(missing)}",
        )
    if props.get("IPAddressDeny", "").strip():
        return Check(
            "watcher",
            name,
            FAIL,
            f"IPAddressDeny={props['IPAddressDeny'].strip()}: probes may be dropped",
            f"{EDIT}: IPAddressDeny=",
        )
    caps = props.get("CapabilityBoundingSet", "").split()
    if not allowed(raf, "AF_PACKET") or (caps and "cap_net_raw" not in caps):
        why = "AF_PACKET" if not allowed(raf, "AF_PACKET") else "CAP_NET_RAW"
        fix = (
            "RestrictAddressFamilies=AF_PACKET"
            if why == "AF_PACKET"
            else "CapabilityBoundingSet=CAP_NET_RAW"
        )
        return Check(
            "watcher",
            name,
            WARN,
            f"no {why}: the gateway is checked by ping instead of ARP",
            f"{EDIT}: {fix}",
        )
    return Check("watcher", name, OK, "lets it probe (AF_INET, AF_NETLINK, AF_PACKET)")


def _published(host: Host, props: dict[str, str] | None, sandbox: Check) -> list[Check]:
    data = read_published(host.root)
    active = props is not None and props.get("ActiveState") == "active"
    if data is None:
        status = WARN if active else UNKNOWN
        return [Check("watcher", "probes", status, "no status published (/run/ifguard)")]
    summary = data["summary"]
    facts = summary.get("facts") if isinstance(summary.get("facts"), dict) else {}
    probes = facts.get("probes")
    by = facts.get("checked_by", "?")
    if not isinstance(probes, list):
        return [Check("watcher", "probes", WARN, f"the last status ({by}) checked no probe")]
    cannot = [p for p in probes if isinstance(p, dict) and p.get("status") == "error"]
    out: list[Check] = []
    if cannot:
        first = cannot[0]
        detail = f"{first.get('name', '?')}: {first.get('detail', '')}".rstrip(": ")
        more = f" (+{len(cannot) - 1} more)" if len(cannot) > 1 else ""
        fix = sandbox.fix or f"journalctl -u {UNIT}; see docs/watch.md (the unit's sandbox)"
        out.append(Check("watcher", "probes", FAIL, f"CANNOT CHECK {detail}{more}", fix))
    else:
        out.append(Check("watcher", "probes", OK, f"{len(probes)} probe(s) ran ({by})"))
    level = summary.get("level")
    if level != "ok":
        out.append(Check("watcher", "network", WARN, f"status is {level}", "ifguard status"))
    return out


def metrics_checks(host: Host) -> list[Check]:
    name = "node_exporter textfile"
    directory = host.root.path(files.TEXTFILE_DIR)
    if not directory.is_dir():
        return [
            Check(
                "metrics",
                name,
                WARN,
                f"{files.TEXTFILE_DIR} absent: no metrics through node_exporter",
                "apt install prometheus-node-exporter, then systemctl restart ifguard-watch",
            )
        ]
    prom = directory / PROM
    fix = (
        '[watch] textfile-dir = "auto" (the default) in /etc/ifguard/ifguard.toml, then '
        "systemctl restart ifguard-watch"
    )
    try:
        age = host.clock.now() - os.stat(prom).st_mtime
    except OSError:
        return [Check("metrics", name, FAIL, f"the watcher does not write {PROM} there", fix)]
    if age > HEARTBEAT:
        return [
            Check(
                "metrics",
                name,
                FAIL,
                f"{PROM} not refreshed for {int(age // 60)} min: the watcher stopped writing it",
                f"systemctl status {UNIT}; {fix}",
            )
        ]
    return [Check("metrics", name, OK, f"{files.TEXTFILE_DIR}/{PROM} refreshed {int(age)} s ago")]


def queue_depth(host: Host) -> int | None:
    """Alerts waiting for delivery, as the watcher last wrote in its textfile."""
    try:
        text = host.root.path(f"{files.TEXTFILE_DIR}/{PROM}").read_text()
    except (OSError, UnicodeDecodeError):
        return None
    for line in text.splitlines():
        if line.startswith("ifguard_alert_queue_depth "):
            try:
                return int(float(line.split()[1]))
            except (ValueError, IndexError):
                return None
    return None
