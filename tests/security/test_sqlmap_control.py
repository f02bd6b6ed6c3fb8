"""The control for test_sqlmap.py: the same sqlmap run, through the same proxy, read by the
same verdict (`SqlmapRun.clean`), against a page that IS injectable — a few lines of Python
that paste a query parameter into a SQLite query. The verdict must say "not clean" and name
the parameter, so "sqlmap found nothing" in the real tests cannot come from a verdict that
never sees anything.
"""

from __future__ import annotations

import sqlite3
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from recording_proxy import RecordingProxy
from sqlmap_run import run_sqlmap


class InjectableHandler(BaseHTTPRequestHandler):
    """GET /items?id=N: the item's name, from `SELECT … WHERE id = N` built by pasting N in."""

    def log_message(self, *args) -> None:
        pass

    def do_GET(self) -> None:
        query = urllib.parse.parse_qs(urllib.parse.urlsplit(self.path).query)
        item = query.get("id", ["1"])[0]
        with sqlite3.connect(":memory:") as db:
            db.executescript("CREATE TABLE items (id INTEGER, name TEXT);"
                             "INSERT INTO items VALUES (1, 'one'), (2, 'two'), (3, 'three');")
            try:
                rows = db.execute("SELECT name FROM items WHERE id = " + item).fetchall()  # the flaw under test
            except sqlite3.Error:
                rows = []
        body = ("<html><body><ul>" + "".join(f"<li>{name}</li>" for (name,) in rows) + "</ul></body></html>").encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def test_the_verdict_sees_an_injection_when_there_is_one(tmp_path):
    server = ThreadingHTTPServer(("127.0.0.1", 0), InjectableHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/items?id=1"
        with RecordingProxy() as proxy:
            run = run_sqlmap(url, engine="sqlite", parameters="id", cookie=None, proxy=proxy.url, folder=tmp_path,
                             techniques="B")
    finally:
        server.shutdown()
        server.server_close()
    assert not run.clean, "the verdict missed an injectable parameter:\n" + run.summary()
    assert any("id" in line for line in run.findings), run.summary()
    assert proxy.exchanges and all(e.status == 200 for e in proxy.exchanges)
    print(f"\ncontrol: {len(proxy.exchanges)} requests in {run.seconds:.1f} s; findings:\n" + "\n".join(run.findings))
