#!/usr/bin/env python3
"""ifguard VM lab: the alert receiver (apprise ``json://`` target) in the admin namespace.

``receiver.py ADDR PORT FILE`` appends one JSON line per POST to FILE:
``{"t": <receive time, unix seconds>, "path": ..., "body": <the POSTed JSON or text>}``.
"""

from __future__ import annotations

import json
import sys
import time
from http.server import BaseHTTPRequestHandler, HTTPServer


class Handler(BaseHTTPRequestHandler):
    out = ""

    def do_POST(self) -> None:
        t = time.time()
        raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        try:
            body: object = json.loads(raw)
        except ValueError:
            body = raw.decode("utf-8", "replace")
        with open(self.out, "a") as f:
            f.write(json.dumps({"t": t, "path": self.path, "body": body}) + "\n")
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:
        pass


def main() -> None:
    addr, port, Handler.out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    HTTPServer((addr, port), Handler).serve_forever()


if __name__ == "__main__":
    main()
