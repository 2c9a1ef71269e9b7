"""`ifguard apply` in the lab: real ifupdown2 + Open vSwitch in network namespaces, a remote
admin namespace, the real detached guardian. Candidates that cut the management path are
rolled back and the admin gets the host back; also when the CLI is SIGKILLed right after the
reload or its terminal hangs up. Times from the end of the reload to restored connectivity
are printed (run with -s) and asserted against the 30 s goal for --timeout 20.
"""

from __future__ import annotations

import json
import os
import random
import re
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest

from ifguard.config.model import build
from ifguard.config.source import load_text
from ifguard.network.state import NetState, management_path, state_from_config
from tests import conftest

pytestmark = pytest.mark.e2e

GOAL_S = 30.0
# issue 15: the guardian probes once the CLI is gone; the admin is back within 15 s
GUARDIAN_GOAL_S = 15.0
# random kill points per run (IFGUARD_E2E_KILLS=20 for the full campaign, run by hand)
KILLS = int(os.environ.get("IFGUARD_E2E_KILLS", "8"))
INCIDENT_LINE = (
    "27: enx60a4b758ba5b: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc "
    "pfifo_fast master ovs-system state UP group default qlen 1000\n"
)

# Runs INSIDE the lab host (via lab.host): starts `ifguard apply`, optionally SIGKILLs it
# or hangs up its terminal right after the reload (or after a delay), reports as JSON.
DRIVER = r"""
import base64, fcntl, json, os, pty, select, signal, subprocess, sys, tempfile, termios, time
cfg = json.loads(sys.argv[1])
fd, cand = tempfile.mkstemp(suffix=".interfaces")
os.write(fd, base64.b64decode(cfg["candidate"])); os.close(fd)
argv = [sys.executable, "-m", "ifguard", "apply", cand, *cfg["args"]]
mode = cfg["mode"]
start = time.time()
def ctty():
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)
if mode == "hangup":
    master, slave = pty.openpty()
    proc = subprocess.Popen(argv, stdin=slave, stdout=slave, stderr=slave,
                            start_new_session=True, preexec_fn=ctty)
    os.close(slave)
    rd = master
else:
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            stdin=subprocess.DEVNULL)
    rd = proc.stdout.fileno()
out, t_reload, acted = b"", None, False
while True:
    timeout = 0.05
    if mode == "kill_after" and not acted and time.time() - start >= cfg["delay"]:
        proc.kill(); acted = True; break
    ready, _, _ = select.select([rd], [], [], timeout)
    if not ready:
        if proc.poll() is not None and mode != "hangup":
            break
        continue
    try:
        chunk = os.read(rd, 65536)
    except OSError:
        chunk = b""
    if not chunk:
        break
    out += chunk
    if t_reload is None and b"reload finished" in out:
        t_reload = time.time()
        if mode == "kill":
            proc.kill(); acted = True; break
        if mode == "hangup":
            os.close(master); acted = True; break
rc = proc.wait(timeout=600)
on_disk = open("/etc/network/interfaces", "rb").read()
state = cfg["state_dir"] + "/pending.json"
record = json.load(open(state)) if os.path.exists(state) else None
alive = False
if record and record.get("guardian_pid"):
    alive = os.path.exists("/proc/%d" % record["guardian_pid"])
print(json.dumps({"rc": rc, "t_reload": t_reload, "t_start": start, "output": out.decode(
    "utf-8", "replace"), "on_disk": on_disk.decode("utf-8", "replace"),
    "record_state": record and record.get("state"), "guardian_alive": alive}))
"""


def _lab_fixture(request: pytest.FixtureRequest) -> Any:
    return request.getfixturevalue("lab")  # tests/e2e/conftest.py: a fresh lab per test


@pytest.fixture
def host(request: pytest.FixtureRequest) -> Iterator[Any]:
    lab = _lab_fixture(request)
    good = current(lab)
    assert lab.admin_reaches_host(), "the lab must start reachable"
    # no transaction may be left from an earlier test
    lab.host([sys.executable, "-m", "ifguard", "rollback", "--if-pending"])
    yield lab
    lab.host([sys.executable, "-m", "ifguard", "rollback", "--if-pending"])
    if current(lab) != good:
        lab.write_interfaces(good)
        lab.ifreload()


def current(lab: Any) -> str:
    return str(lab.host(["cat", "/etc/network/interfaces"]).stdout)


@dataclass
class Watch:
    """Samples `admin_reaches_host()` in the background."""

    lab: Any
    samples: list[tuple[float, bool]] = field(default_factory=list)
    _stop: bool = False

    def __post_init__(self) -> None:
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop:
            self.samples.append((time.time(), bool(self.lab.admin_reaches_host())))
            time.sleep(0.1)

    def stop(self) -> None:
        self._stop = True
        self._thread.join(30)

    def restored_after(self, t0: float) -> tuple[bool, float | None]:
        """(connectivity was lost after t0, seconds from t0 to the first success after)."""
        lost = False
        for t, ok in self.samples:
            if t < t0:
                continue
            if not ok:
                lost = True
            elif lost:
                return True, t - t0
        return lost, None

    def wait_reachable(self, limit: float) -> None:
        end = time.time() + limit
        while time.time() < end:
            if self.samples and self.samples[-1][1]:
                return
            time.sleep(0.2)


def drive(lab: Any, candidate: str, mode: str, *args: str, delay: float = 0.0) -> dict[str, Any]:
    import base64

    cfg = {
        "candidate": base64.b64encode(candidate.encode()).decode(),
        "mode": mode,
        "args": list(args),
        "delay": delay,
        "state_dir": "/var/lib/ifguard",
    }
    proc = lab.host([sys.executable, "-c", DRIVER, json.dumps(cfg)])
    assert proc.returncode == 0, (proc.stdout, proc.stderr)
    result: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    return result


def ifguard(lab: Any, *args: str) -> Any:
    return lab.host([sys.executable, "-m", "ifguard", *args])


def wait_closed(lab: Any, limit: float = 120) -> dict[str, Any]:
    """`ifguard status` in the lab once no transaction is open (or an ARMED record whose CLI
    died before starting the guardian: returned as is)."""

    def status() -> dict[str, Any]:
        data: dict[str, Any] = json.loads(ifguard(lab, "status", "--format", "json").stdout)
        return data

    def cli_gone(txn: dict[str, Any]) -> bool:
        return bool(lab.host(["test", "-d", f"/proc/{txn['apply_pid']}"]).returncode != 0)

    return conftest.wait_closed(status, limit=limit, interval=0.5, cli_gone=cli_gone)


# --- candidates, derived from whatever configuration the lab runs -------------------------


def management(text: str) -> tuple[str, NetState]:
    state = state_from_config(build(load_text(text).documents))
    roots = list(management_path(state).roots)
    assert roots, "the lab configuration has no default route"
    return roots[0], state


def stanza_span(text: str, name: str) -> tuple[int, int]:
    m = re.search(rf"^iface {re.escape(name)}\b.*$", text, re.M)
    assert m, name
    nxt = re.search(r"^(auto|allow-\S+|iface|source|mapping)\b", text[m.end() :], re.M)
    return m.start(), m.end() + (nxt.start() if nxt else len(text) - m.end())


def in_stanza(text: str, name: str, pattern: str, repl: str) -> str:
    a, b = stanza_span(text, name)
    new, n = re.subn(pattern, repl, text[a:b], count=1, flags=re.M)
    assert n == 1, (name, pattern)
    return text[:a] + new + text[b:]


def wrong_gateway(text: str) -> str:
    mgmt, state = management(text)
    gw = state.ports[mgmt].gateways[0]
    bad = re.sub(r"\d+$", lambda m: str(254 if m.group() != "254" else 253), gw)
    return in_stanza(text, mgmt, rf"(gateway\s+){re.escape(gw)}\b", rf"\g<1>{bad}")


def wrong_tag(text: str) -> str:
    mgmt, state = management(text)
    tag = state.ports[mgmt].tag
    assert tag, "management port has no OVS tag"
    return in_stanza(text, mgmt, rf"\btag={tag}\b", f"tag={int(tag) + 100}")


def wrong_bridge(text: str) -> str:
    """The management port on a new OVS bridge without uplink (wrong `ovs_bridge`)."""
    mgmt, state = management(text)
    bridge = state.ports[mgmt].master
    assert bridge
    text = in_stanza(text, mgmt, rf"(ovs_bridge\s+){bridge}\b", r"\g<1>vmbr9")
    text = in_stanza(text, bridge, rf"(ovs_ports\s.*)\b{mgmt}\b", r"\g<1>")
    options = re.search(
        r"^\s*ovs_options\s+(.*datapath_type=\S+.*)$", text[slice(*stanza_span(text, bridge))], re.M
    )
    extra = f"\tovs_options {options.group(1)}\n" if options else ""
    return text + (
        f"\nauto vmbr9\niface vmbr9 inet manual\n\tovs_type OVSBridge\n\tovs_ports {mgmt}\n{extra}"
    )


def unrelated_vlan(text: str, subnet: str = "198.18.55") -> str:
    """A new VLAN port on the management bridge, in a subnet nobody uses."""
    mgmt, state = management(text)
    bridge = state.ports[mgmt].master
    assert bridge
    text = in_stanza(text, bridge, r"^(\s*ovs_ports\s.*)$", r"\g<1> vlan55")
    return text + (
        f"\nauto vlan55\niface vlan55 inet static\n\taddress {subnet}.5/24\n"
        f"\tovs_type OVSIntPort\n\tovs_bridge {bridge}\n\tovs_options tag=55\n"
    )


def uplink_out_of_bond(text: str) -> str:
    m = re.search(r"^(\s*ovs_bonds\s+)(\S+)\s+(\S+)(.*)$", text, re.M)
    assert m, "the lab configuration has no OVS bond"
    return text[: m.start()] + f"{m.group(1)}{m.group(2)}{m.group(4)}" + text[m.end() :]


# --- the scenarios ----------------------------------------------------------------------------


def _rolled_back(
    host: Any, good: str, mode: str, candidate: str, *extra: str, label: str = "wrong-gateway"
) -> float:
    watch = Watch(host)
    try:
        res = drive(host, candidate, mode, "--timeout", "20", "--probe-timeout", "10", *extra)
        assert res["t_reload"] is not None, res["output"]
        survived = mode == "hangup" and res["rc"] != -1  # -1: ended by SIGHUP
        if survived:
            # Seen once in 20 runs (CI, cause not found): the CLI was not ended by the
            # hang-up and finished the transaction itself. The rollback must still happen;
            # the output says which path was taken.
            print(
                f"\n[apply e2e] hangup: the CLI survived the hang-up (rc={res['rc']}, record "
                f"{res['record_state']}); it rolled back by itself"
            )
        elif mode in ("kill", "hangup"):
            assert res["guardian_alive"] and res["record_state"] == "applied", (
                f"rc={res['rc']} record={res['record_state']} guardian_alive="
                f"{res['guardian_alive']} output tail={res['output'][-300:]!r}"
            )
        final = wait_closed(host)
        watch.wait_reachable(60)
    finally:
        watch.stop()
    assert final["transaction"]["state"] == "rolled-back", (final, res["output"])
    assert current(host) == good
    lost, seconds = watch.restored_after(res["t_reload"])
    assert lost, "the candidate did not cut the management path in this lab"
    assert seconds is not None, "connectivity did not come back"
    print(
        f"\n[apply e2e] {label}, {mode}: reload -> admin reaches host again: "
        f"{seconds:.1f} s; outcome: {final['transaction']['outcome'][-90:]}"
    )
    return seconds


@pytest.mark.parametrize(
    "make",
    [wrong_gateway, wrong_tag, wrong_bridge],
    ids=["wrong-gateway", "wrong-tag", "wrong-ovs_bridge"],
)
def test_candidate_cutting_the_management_path_is_rolled_back(host: Any, make: Any) -> None:
    good = current(host)
    seconds = _rolled_back(
        host, good, "wait", make(good), "--force", label=make.__name__.replace("_", "-")
    )
    assert seconds < GOAL_S


def test_rollback_after_sigkill_right_after_the_reload(host: Any) -> None:
    """The guardian probes red with the CLI gone and rolls back before the deadline (20 s)."""
    good = current(host)
    assert _rolled_back(host, good, "kill", wrong_gateway(good)) < GUARDIAN_GOAL_S
    record = json.loads(ifguard(host, "history", "--format", "json").stdout)
    assert "probes red" in json.dumps(record["events"][0])


def test_rollback_after_the_terminal_hangs_up(host: Any) -> None:
    good = current(host)
    assert _rolled_back(host, good, "hangup", wrong_gateway(good)) < GUARDIAN_GOAL_S


def test_healthy_candidate_with_the_cli_killed_is_kept_until_the_deadline(host: Any) -> None:
    """Green probes: the guardian never rolls back early; unconfirmed, the deadline does."""
    good = current(host)
    cand = unrelated_vlan(good)
    res = drive(host, cand, "kill", "--timeout", "20")
    assert res["t_reload"] is not None and res["guardian_alive"], res["output"]
    time.sleep(max(0.0, res["t_reload"] + 15 - time.time()))
    data = json.loads(ifguard(host, "status", "--format", "json").stdout)
    assert data["pending"] and data["transaction"]["state"] == "applied", data
    assert current(host) == cand and host.admin_reaches_host()
    final = wait_closed(host)
    closed_after = time.time() - res["t_reload"]
    assert final["transaction"]["state"] == "rolled-back", final
    assert "not confirmed within 20 s" in final["transaction"]["outcome"]
    assert closed_after >= 20
    assert current(host) == good
    print(f"\n[apply e2e] healthy, kill: kept {closed_after:.1f} s, then rolled back unconfirmed")


def test_good_candidate_with_auto_confirm_is_kept_and_known_good(host: Any) -> None:
    good = current(host)
    cand = unrelated_vlan(good)
    res = drive(host, cand, "wait", "--timeout", "20", "--auto-confirm", "--settle", "3")
    assert res["rc"] == 0, res["output"]
    assert "the management path is untouched" in res["output"]
    assert current(host) == cand and host.admin_reaches_host()
    hist = json.loads(ifguard(host, "history", "--format", "json").stdout)
    assert hist["versions"][0]["known_good"] and hist["events"][0]["kind"] == "apply-confirmed"


def test_lint_failing_candidate_is_refused_and_nothing_changes(host: Any) -> None:
    good = current(host)
    before = host.host(["ovs-vsctl", "show"]).stdout
    res = drive(host, good + INCIDENT_LINE, "wait", "--timeout", "20")
    assert res["rc"] == 1 and "IFG101" in res["output"] and "refused" in res["output"]
    assert current(host) == good
    assert host.host(["ovs-vsctl", "show"]).stdout == before
    assert not json.loads(ifguard(host, "status", "--format", "json").stdout)["pending"]


def test_plan_names_the_management_path(host: Any) -> None:
    good = current(host)
    out = drive_plan(host, uplink_out_of_bond(good))
    assert "compared with the running state" in out
    assert "management path now:" in out and " ! " in out and "members -" in out
    assert "can cut you off" in out
    calm = drive_plan(host, unrelated_vlan(good))
    assert "the management path is untouched" in calm and "vlan55: created" in calm


def test_plan_sees_a_vlan_that_would_capture_the_ssh_client(host: Any) -> None:
    """The same VLAN, in the SSH client's subnet: the route back to the client moves to it."""
    good = current(host)
    mgmt, state = management(good)
    server = state.ports[mgmt].addresses[0].split("/")[0]
    ssh = f"203.0.113.50 50000 {server} 22"
    out = drive_plan(host, unrelated_vlan(good, "203.0.113"), ssh=ssh)
    assert "vlan55: SSH client 203.0.113.50 is on-link" in out and "can cut you off" in out


def drive_plan(lab: Any, candidate: str, ssh: str = "") -> str:
    script = (
        "import os,sys,tempfile,subprocess;f=tempfile.NamedTemporaryFile('w',delete=False);"
        "f.write(sys.argv[1]);f.close();env=dict(os.environ);env.pop('SSH_CONNECTION',None)"
        ";env.update({'SSH_CONNECTION':sys.argv[2]} if sys.argv[2] else {});"
        "r=subprocess.run([sys.executable,'-m','ifguard','plan',f.name],env=env,"
        "capture_output=True,text=True);print(r.stdout+r.stderr)"
    )
    return str(lab.host([sys.executable, "-c", script, candidate, ssh]).stdout)


def test_killed_at_random_moments_the_file_is_whole_and_rolled_back(host: Any) -> None:
    good = current(host)
    cand = unrelated_vlan(good)
    rng = random.Random(20)
    counts = {"old": 0, "new": 0, "torn": 0, "unarmed": 0, "restored": 0}
    for delay in sorted(rng.uniform(0.15, 0.9) for _ in range(KILLS)):
        res = drive(host, cand, "kill_after", "--timeout", "3", delay=delay)
        disk = "old" if res["on_disk"] == good else "new" if res["on_disk"] == cand else "torn"
        counts[disk] += 1
        if (disk == "new" or res["record_state"] == "applied") and not res["guardian_alive"]:
            counts["unarmed"] += 1
        closed = wait_closed(host)
        if closed["pending"]:  # left ARMED: the operator's way out
            assert current(host) == good
            assert ifguard(host, "rollback", "--if-pending").returncode == 0
        if current(host) == good:
            counts["restored"] += 1
        print(
            f"\n[apply e2e] kill {delay:.2f} s after start: disk {disk}, record "
            f"{res['record_state']}, guardian {'alive' if res['guardian_alive'] else '-'}"
        )
    print(f"[apply e2e] random kills: {counts}")
    assert counts["torn"] == 0 and counts["unarmed"] == 0 and counts["restored"] == KILLS
    end = time.time() + 60
    while not host.admin_reaches_host():
        assert time.time() < end
        time.sleep(0.5)


def test_reboot_mid_transaction_is_undone_by_the_boot_check(host: Any) -> None:
    """Every process gone (guardian included), then what boot does: the boot check before
    networking, then networking brings the interfaces up from the restored file."""
    good = current(host)
    # no probes (they would roll the bad change back at once); a failing reload would roll
    # back too, hence `|| true`
    res = drive(
        host,
        wrong_gateway(good),
        "wait",
        "--timeout",
        "300",
        "--no-probes",
        "--no-wait",
        "--reload-cmd",
        "sh -c 'ifreload -a || true'",
    )
    assert res["rc"] == 0, res["output"]
    status = json.loads(ifguard(host, "status", "--format", "json").stdout)
    assert status["pending"] and status["guardian_alive"]
    host.host(["kill", "-KILL", str(status["transaction"]["guardian_pid"])])
    end = time.time() + 10
    while json.loads(ifguard(host, "status", "--format", "json").stdout)["guardian_alive"]:
        assert time.time() < end
        time.sleep(0.1)
    assert not host.admin_reaches_host()  # the bad change is live, nobody guards it
    boot = ifguard(host, "rollback", "--if-pending", "--boot")
    assert boot.returncode == 0, boot.stdout + boot.stderr
    assert current(host) == good
    host.ifreload()  # networking.service after the boot check
    end = time.time() + 30
    while not host.admin_reaches_host():
        assert time.time() < end
        time.sleep(0.2)
    assert ifguard(host, "rollback", "--if-pending", "--boot").returncode == 0  # idempotent
