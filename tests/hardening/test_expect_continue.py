"""`Expect: 100-continue`: the server asks for the body as soon as the route starts reading
it, and refuses at once — without asking for the body — when the headers already decide."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from conftest import REPO_ROOT, read_all

SAMPLE = REPO_ROOT / "Data" / "samples" / "lending-club-sample.csv"
BOUNDARY = "continue-boundary"


def multipart(token: str, data: bytes) -> bytes:
    return (f"--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{token}\r\n"
            f"--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"applicants.csv\"\r\n"
            f"Content-Type: text/csv\r\n\r\n").encode() + data + f"\r\n--{BOUNDARY}--\r\n".encode()


def head(length: int, cookie: str | None, content_type: str = f"multipart/form-data; boundary={BOUNDARY}") -> bytes:
    lines = ["POST /batches HTTP/1.1", "Host: loanrisk", f"Content-Type: {content_type}",
             f"Content-Length: {length}", "Expect: 100-continue"]
    if cookie:
        lines.append(f"Cookie: {cookie}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


def first_answer(s) -> bytes:
    """What the server says before the client sends any body (it waits up to 5 s)."""
    s.settimeout(5)
    try:
        return s.recv(65536)
    except TimeoutError:
        return b""


def test_the_server_asks_for_the_body_then_scores_it(server):
    cookie, token = server.browser_session()
    body = multipart(token, SAMPLE.read_bytes())
    s = server.connect()
    s.sendall(head(len(body), cookie))
    interim = first_answer(s)
    assert interim.startswith(b"HTTP/1.1 100 Continue\r\n"), interim[:200]
    s.sendall(body)
    final = read_all(s) if interim.endswith(b"\r\n\r\n") else interim
    assert b"HTTP/1.1 303" in final, final[:300]
    assert b"location: /batches/" in final.lower()


@pytest.mark.parametrize("case", ["too large", "not multipart", "no session", "no form cookie"])
def test_a_request_the_headers_decide_is_refused_without_asking_for_the_body(server, case):
    cookie, _ = server.browser_session()
    if case == "too large":
        request, expected = head(500 * 1024 * 1024, cookie), b"HTTP/1.1 413"
    elif case == "not multipart":
        request, expected = head(1000, cookie, "application/json"), b"HTTP/1.1 415"
    elif case == "no session":  # sent to sign in first
        request, expected = head(1000, None), b"HTTP/1.1 303"
    else:  # signed in, but without the form's CSRF cookie
        request, expected = head(1000, f"loanrisk_session={server.session_cookie}"), b"HTTP/1.1 403"
    s = server.connect()
    s.sendall(request)
    answer = first_answer(s)
    assert answer.startswith(expected), answer[:300]
    assert b"100 Continue" not in answer
    # The body was never sent, so the connection is closed rather than read as a next request.
    assert b"connection: close" in answer.lower()


def test_curl_uploads_without_its_one_second_wait(server):
    """curl sends `Expect: 100-continue` for a form upload over 1 MB and, unanswered, waits
    a second before sending; its trace shows the server's 100 arriving instead."""
    curl = shutil.which("curl")
    assert curl, "curl is needed (apt-get install curl)"
    cookie, token = server.browser_session()
    big = SAMPLE.read_bytes()
    header, rest = big.split(b"\n", 1)
    data = header + b"\n" + rest * max(1, (2 * 1024 * 1024) // len(rest) + 1)
    path = server.spool.parent / "big.csv"
    path.write_bytes(data)
    result = subprocess.run(
        [curl, "-sS", "-v", "-o", "/dev/null", "-w", "%{http_code}", "-H", f"Cookie: {cookie}",
         "-F", f"csrf={token}", "-F", f"file=@{path}", server.url + "/batches"],
        capture_output=True, text=True, timeout=60)
    assert result.stdout == "303", result.stderr[-2000:]
    assert "< HTTP/1.1 100 Continue" in result.stderr
    assert "Done waiting for 100-continue" not in result.stderr
