"""A `.csv.gz` that expands enormously is refused with the server's memory bounded, alone
and three at once, and leaves nothing behind on disk."""

from __future__ import annotations

import gzip
import re
import threading
import urllib.error
import urllib.request
import zlib
from pathlib import Path

import pytest

from conftest import REPO_ROOT


@pytest.fixture(scope="module")
def bomb(tmp_path_factory) -> Path:
    """About 4 MB of gzip that inflates to 4 GiB: a CSV header, then zeros."""
    path = tmp_path_factory.mktemp("bomb") / "applicants.csv.gz"
    compressor = zlib.compressobj(9, zlib.DEFLATED, 31)
    block = b"\0" * (64 * 1024 * 1024)
    with open(path, "wb") as out:
        out.write(compressor.compress(b"id,loan_amnt\n"))
        for _ in range(64):
            out.write(compressor.compress(block))
        out.write(compressor.flush())
    return path


def upload(server, cookie: str, token: str, path: Path) -> tuple[int, str, str]:
    """Posts the file as the upload form does: status, page and the page's address."""
    boundary = "bomb-boundary"
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{token}\r\n"
            f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{path.name}\"\r\n\r\n").encode()
    body += path.read_bytes() + f"\r\n--{boundary}--\r\n".encode()
    request = urllib.request.Request(server.url + "/batches", data=body, method="POST", headers={
        "Content-Type": f"multipart/form-data; boundary={boundary}", "Cookie": cookie})
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            return response.status, response.read().decode(errors="replace"), response.geturl()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(errors="replace"), ""


def test_a_file_expanding_to_4_gb_is_refused_with_memory_bounded_alone_and_three_at_once(server_factory, bomb):
    server = server_factory({})
    cookie, token = server.browser_session()
    status, page, _ = upload(server, cookie, token, bomb)
    assert status == 422, page[:500]
    assert re.search(r"larger than the 1000 MB limit", page)
    alone = server.memory_kib("VmHWM")

    results = []
    threads = [threading.Thread(target=lambda: results.append(upload(server, cookie, token, bomb))) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert [r[0] for r in results] == [422, 422, 422], [r[1][:200] for r in results]
    together = server.memory_kib("VmHWM")
    assert alone < 300 * 1024, f"peak RSS {alone / 1024:.0f} MB refusing one"
    assert together < 300 * 1024, f"peak RSS {together / 1024:.0f} MB refusing three at once"
    # The inflated bytes were in unlinked spool files: nothing is left in the folder.
    assert list(server.spool.iterdir()) == []


def test_an_ordinary_compressed_upload_is_scored_as_the_plain_one(server):
    sample = (REPO_ROOT / "Data" / "samples" / "lending-club-sample.csv").read_bytes()
    path = server.spool.parent / "sample.csv.gz"
    path.write_bytes(gzip.compress(sample))
    plain_path = server.spool.parent / "sample.csv"
    plain_path.write_bytes(sample)
    cookie, token = server.browser_session()
    results = []
    for p in (plain_path, path):
        status, page, address = upload(server, cookie, token, p)
        assert status == 200 and "/batches/" in address, page[:500]
        download = server.get(address.removeprefix(server.url) + "/results.csv")
        assert download.status == 200, str(download)
        results.append(download.body)
    assert results[0].count(b"\n") > 10 and results[0] == results[1]
