"""The VM lab by hand: ``python3 -m lab.vm up|run CMD|console|down [--prefix P]`` (as root).

``up`` builds (or reuses) the image for the .deb given with --deb (or dist/ifguard_*_all.deb),
starts the network namespaces and the guest, and waits until it runs; ``run`` executes a shell
command in the guest through the driver; ``console`` prints what ttyS0 showed; ``down`` stops
qemu and removes the namespaces. State under /tmp/ifguard-vmlab-PREFIX.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from lab.vm import image
from lab.vm.guest import Guest, GuestError
from lab.vm.net import VmNet


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python3 -m lab.vm", description=__doc__)
    parser.add_argument("--prefix", default="vml")
    parser.add_argument("--deb", type=Path, default=None)
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("up")
    sub.add_parser("down")
    sub.add_parser("console")
    run = sub.add_parser("run")
    run.add_argument("cmd", nargs=argparse.REMAINDER)
    args = parser.parse_args(argv)
    base = Path(f"/tmp/ifguard-vmlab-{args.prefix}")
    net = VmNet(args.prefix, base / "net")
    try:
        if args.command == "up":
            debs = [args.deb] if args.deb else sorted(Path("dist").glob("ifguard_*_all.deb"))
            if not debs:
                print("lab.vm: no .deb (bash scripts/build-deb.sh, or --deb FILE)", file=sys.stderr)
                return 2
            img, took = image.build(debs[-1])
            print(f"image {img.key}: {took:.0f} s" if took else f"image {img.key}: cached")
            guest = Guest(img, net, base / "guest")
            Guest(img, net, base / "guest").stop()
            net.up()
            guest.create_overlay()
            guest.start()
            print(f"driver after {guest.wait_driver():.0f} s")
            print(f"running after {guest.wait_running():.0f} s")
            took_admin = net.wait_admin_reaches(60)
            print(f"admin reaches the guest: {took_admin is not None}")
            return 0
        dummy = image.Image(Path(), Path(), Path(), "")
        guest = Guest(dummy, net, base / "guest")
        if args.command == "down":
            guest.stop()
            net.down()
        elif args.command == "console":
            sys.stdout.write(guest.console_text())
        else:
            guest.attach()
            started = time.monotonic()
            r = guest.run(" ".join(args.cmd), timeout=600)
            sys.stdout.write(r.out)
            sys.stderr.write(r.err)
            print(f"[exit {r.rc}, {time.monotonic() - started:.1f} s]", file=sys.stderr)
            return r.rc
    except (GuestError, image.ImageError) as exc:
        print(f"lab.vm: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
