"""A small web server that plays a government site from a folder, on 127.0.0.1 only.

Used by `nianbao demo` and by the crawler tests. A folder holds the site's files plus ``site.json``:

    {"validators": true,                       # send ETag/Last-Modified and answer 304s
     "files": "../other_site",                  # a second folder to look for files in
     "routes": {"/path": {"file": "x.html",   # serve this file at this path
                          "type": "text/html; charset=gbk",
                          "nights": [3],        # exists only from these nights on (first listed)
                          "variants": {"2": "x2.html"},   # content on a given night
                          "sequence": [{"status": 503, "headers": {"Retry-After": "1"}}],  # first answers,
                          "sequence_nights": [1],                 # … on these nights
                          "status": 412, "redirect": "/elsewhere", "delay": 1.5, "reset": 1}}}

Every request is logged with its arrival time, so tests can measure politeness from the server side.
"""

from __future__ import annotations

import hashlib
import json
import mimetypes
import socket
import threading
import time
from dataclasses import dataclass, field
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any


@dataclass
class Hit:
    at: float
    path: str
    headers: dict[str, str]
    status: int


@dataclass
class SiteState:
    root: Path
    config: dict[str, Any]
    night: int = 1
    log: list[Hit] = field(default_factory=list)
    counters: dict[str, int] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)


class _Handler(BaseHTTPRequestHandler):
    server_version = "GovSite/1.0"
    protocol_version = "HTTP/1.1"
    state: SiteState

    def log_message(self, *args: object) -> None:  # quiet
        pass

    def do_GET(self) -> None:  # noqa: N802
        st = self.state
        arrived = time.monotonic()
        path = self.path.split("#", 1)[0]
        routes = st.config.get("routes", {})
        route = routes.get(path) or routes.get(path.split("?", 1)[0]) or {}
        with st.lock:
            n = st.counters.get(path, 0)
            st.counters[path] = n + 1
        status = self._serve(path, route, n)
        with st.lock:
            st.log.append(Hit(arrived, path, {k.lower(): v for k, v in self.headers.items()}, status))

    def _send(
        self,
        status: int,
        body: bytes,
        ctype: str = "text/html; charset=utf-8",
        headers: dict[str, str] | None = None,
    ) -> int:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)
        return status

    def _serve(self, path: str, route: dict[str, Any], n: int) -> int:
        st = self.state
        nights = route.get("nights")
        if nights and st.night < min(nights):
            return self._send(404, b"<html><body>404</body></html>")
        if route.get("delay"):
            time.sleep(float(route["delay"]))
        seq = route.get("sequence") or []
        if n < len(seq) and st.night in route.get("sequence_nights", [1]):
            step = seq[n]
            if step.get("reset"):
                self.connection.setsockopt(
                    socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00"
                )
                self.connection.close()
                self.close_connection = True
                return 0
            body = (
                (st.root / step["file"]).read_bytes() if step.get("file") else step.get("body", "").encode()
            )
            return self._send(
                step.get("status", 200),
                body,
                step.get("type", "text/html; charset=utf-8"),
                step.get("headers"),
            )
        if route.get("redirect"):
            return self._send(route.get("status", 302), b"", headers={"Location": route["redirect"]})
        if route.get("status") and route.get("status") != 200:
            error_page = self._find(route["file"]) if route.get("file") else None
            body = error_page.read_bytes() if error_page is not None else b""
            return self._send(route["status"], body, route.get("type", "text/html; charset=utf-8"))
        variants = {int(k): v for k, v in route.get("variants", {}).items() if int(k) <= st.night}
        fname = (
            (variants[max(variants)] if variants else None) or route.get("file") or self._default_file(path)
        )
        found = self._find(fname) if fname else None
        if found is None:
            return self._send(404, b"<html><body>404 Not Found</body></html>")
        body = found.read_bytes()
        ctype = route.get("type") or mimetypes.guess_type(str(fname))[0] or "application/octet-stream"
        if ctype.startswith("text/") and "charset" not in ctype:
            ctype += "; charset=" + st.config.get("charset", "utf-8")
        headers = {}
        if st.config.get("validators") and route.get("validators", True):
            etag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'
            modified = formatdate(
                1700000000 + len(body) + 86400 * st.night * bool(route.get("variants")), usegmt=True
            )
            headers = {"ETag": etag, "Last-Modified": modified}
            if self.headers.get("If-None-Match") == etag:
                return self._send(304, b"", ctype, headers)
        return self._send(200, body, ctype, headers)

    def _find(self, rel: str) -> Path | None:
        """A file of the site: its own folder first, then the folder named by ``"files"`` in site.json."""
        st = self.state
        roots = [st.root] + ([(st.root / st.config["files"]).resolve()] if st.config.get("files") else [])
        for root in roots:
            if (root / rel).is_file():
                return root / rel
        return None

    def _default_file(self, path: str) -> str | None:
        rel = path.split("?", 1)[0].lstrip("/")
        if rel == "" or rel.endswith("/"):
            rel += "index.html"
        return rel


class Site:
    """Serve ``root`` on 127.0.0.1 (a free port) in a background thread."""

    def __init__(self, root: str | Path, night: int = 1) -> None:
        root = Path(root)
        config = (
            json.loads((root / "site.json").read_text(encoding="utf-8"))
            if (root / "site.json").exists()
            else {}
        )
        self.state = SiteState(root, config, night)
        handler = type("Handler", (_Handler,), {"state": self.state})
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def url(self, path: str) -> str:
        return self.base + path

    def __enter__(self) -> Site:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def set_night(self, night: int) -> None:
        with self.state.lock:
            self.state.night = night
            self.state.counters.clear()
            self.state.log.clear()

    @property
    def log(self) -> list[Hit]:
        with self.state.lock:
            return list(self.state.log)
