"""A small HTTP forward proxy on loopback that sqlmap is pointed at (`--proxy`): it records
every request sqlmap sent and the answer the server gave (method, path, body, status, Location),
so a test can show that sqlmap reached the pages signed in rather than bouncing off the
sign-in redirect, and it can spread its connections over loopback source addresses
(127.0.0.2, 127.0.0.3, …, `requests_per_address` requests each) so that the sign-in
throttle's per-address limit does not turn every payload after the 30th into a 429 that
never reached the account lookup.

Only plain `http://127.0.0.1:PORT/…` targets are forwarded; redirects are passed back as
they are (never followed), and bodies are forwarded byte for byte.
"""

from __future__ import annotations

import http.client
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

# Headers that belong to one hop only (RFC 9110 §7.6.1), never forwarded.
HOP_BY_HOP = {"connection", "proxy-connection", "keep-alive", "te", "trailer", "transfer-encoding", "upgrade",
              "proxy-authorization", "proxy-authenticate"}


@dataclass(frozen=True)
class Exchange:
    """One request through the proxy and the server's answer."""
    method: str
    path: str
    status: int
    location: str | None
    source: str
    # What was sent (a form's fields, a test account's password among them): kept out of repr,
    # so out of failure messages.
    body: bytes = field(default=b"", repr=False)


class RecordingProxy:
    """Started with `with RecordingProxy(...) as proxy:`; `proxy.url` for `--proxy`,
    `proxy.exchanges` for what went through it."""

    def __init__(self, requests_per_address: int | None = None):
        """`requests_per_address`: how many requests leave from one loopback source address
        before the next (127.0.0.2 onwards); None keeps the kernel's choice (127.0.0.1)."""
        self.requests_per_address = requests_per_address
        self.exchanges: list[Exchange] = []
        self._lock = threading.Lock()
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.0"

            def log_message(self, *args) -> None:  # quiet: the exchanges are the record
                pass

            def forward(self) -> None:
                target = urlsplit(self.path)
                if target.scheme != "http" or target.hostname != "127.0.0.1" or target.port is None:
                    self.send_error(502, "only http://127.0.0.1:PORT targets are forwarded")
                    return
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else None
                headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP_BY_HOP}
                headers["Connection"] = "close"
                source = proxy._next_source()
                path = target.path + ("?" + target.query if target.query else "")
                connection = http.client.HTTPConnection(
                    target.hostname, target.port, timeout=60, source_address=(source, 0) if source else None)
                try:
                    connection.request(self.command, path, body=body, headers=headers)
                    answer = connection.getresponse()
                    payload = answer.read()
                    proxy._record(Exchange(
                        self.command, path, answer.status, answer.getheader("Location"), source or "127.0.0.1", body or b""))
                    self.send_response_only(answer.status, answer.reason)  # the server's own headers, no proxy Server/Date
                    for name, value in answer.getheaders():
                        if name.lower() not in HOP_BY_HOP and name.lower() != "content-length":
                            self.send_header(name, value)
                    self.send_header("Content-Length", str(len(payload)))
                    self.send_header("Connection", "close")
                    self.end_headers()
                    self.wfile.write(payload)
                finally:
                    connection.close()

            do_GET = do_POST = do_HEAD = do_PUT = do_DELETE = do_OPTIONS = do_PATCH = forward

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, name="recording-proxy", daemon=True)
        self._sent = 0

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def _next_source(self) -> str | None:
        if self.requests_per_address is None:
            return None
        with self._lock:
            n = self._sent // self.requests_per_address
            self._sent += 1
        # 127.0.0.2 … 127.0.255.254: all of 127/8 is loopback on Linux.
        return f"127.0.{2 + n // 253}.{2 + n % 253}" if n < 253 * 250 else "127.0.0.1"

    def _record(self, exchange: Exchange) -> None:
        with self._lock:
            self.exchanges.append(exchange)

    def __enter__(self) -> RecordingProxy:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._server.shutdown()
        self._server.server_close()
