"""The server's own TLS (`TLS_CERT_PATH`, `TLS_KEY_PATH`): HTTPS and gRPC over TLS answer with
the certificate this run made, plain HTTP gets no answer on the TLS port, what is set only over
TLS (HSTS, the `__Host-` CSRF cookie) is set, and `Expect: 100-continue` still works inside TLS."""

from __future__ import annotations

import socket
import ssl
import time

import pytest

from conftest import REPO_ROOT

SAMPLE_JSON = REPO_ROOT / "examples" / "lending-club-one.json"


def test_https_answers_healthz_with_hsts(tls_server):
    response = tls_server.get("/healthz")
    assert response.status == 200, response
    assert response.headers.get("strict-transport-security") == "max-age=31536000; includeSubDomains"


def test_the_csrf_cookie_is_host_only_and_secure_over_tls(tls_server):
    # What a new browser is given (the test server's own browser already has its cookie).
    cookie = tls_server.get("/", anonymous=True).headers.get("set-cookie", "")
    assert cookie.startswith("__Host-loanrisk_csrf="), cookie
    attributes = {part.strip().split("=")[0].lower() for part in cookie.split(";")[1:]}
    assert {"secure", "httponly", "path", "samesite"} <= attributes, cookie
    assert "domain" not in attributes, cookie
    assert "Path=/" in cookie and "SameSite=Strict" in cookie, cookie


def test_plain_http_gets_no_http_answer_on_the_tls_port(tls_server):
    with socket.create_connection((tls_server.host, tls_server.port), timeout=5) as s:
        s.sendall(b"GET /healthz HTTP/1.1\r\nHost: loanrisk\r\n\r\n")
        try:
            answer = s.recv(4096)
        except (ConnectionResetError, TimeoutError):
            answer = b""
    assert not answer.startswith(b"HTTP/"), answer[:200]


def test_tls_1_2_gets_a_forward_secret_aead_cipher(tls_server, certificates):
    context = ssl.create_default_context(cafile=str(certificates.ca))
    context.maximum_version = ssl.TLSVersion.TLSv1_2
    with socket.create_connection((tls_server.host, tls_server.port), timeout=5) as raw:
        with context.wrap_socket(raw, server_hostname="localhost") as s:
            name = s.cipher()[0]
            assert s.version() == "TLSv1.2"
    assert name.startswith("ECDHE-") and ("GCM" in name or "CHACHA20" in name), name


def test_expect_continue_works_inside_tls(tls_server):
    body = SAMPLE_JSON.read_bytes()
    head = (f"POST /api/v1/predict HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
            f"Authorization: {tls_server.auth_headers['Authorization']}\r\n"
            f"Content-Length: {len(body)}\r\nExpect: 100-continue\r\nConnection: close\r\n\r\n").encode()
    with socket.create_connection((tls_server.host, tls_server.port), timeout=10) as raw:
        with tls_server.ssl_context.wrap_socket(raw, server_hostname="localhost") as s:
            s.sendall(head)
            interim = s.recv(65536)
            assert interim.startswith(b"HTTP/1.1 100 Continue\r\n"), interim[:200]
            s.sendall(body)
            answer = interim.split(b"\r\n\r\n", 1)[1]
            while chunk := s.recv(65536):
                answer += chunk
    assert answer.startswith(b"HTTP/1.1 200"), answer[:300]
    assert b"probability_of_default" in answer


def test_grpc_over_tls_answers_server_live(tls_server, certificates):
    grpcclient = pytest.importorskip("tritonclient.grpc")
    client = grpcclient.InferenceServerClient(
        url=f"localhost:{tls_server.grpc_port}", ssl=True, root_certificates=str(certificates.ca))
    deadline = time.monotonic() + 15
    while True:
        try:
            if client.is_server_live(headers={"authorization": tls_server.auth_headers["Authorization"]}):
                break
        except grpcclient.InferenceServerException as error:
            last = error
        if time.monotonic() > deadline:
            pytest.fail(f"no gRPC answer over TLS on port {tls_server.grpc_port} ({last}):\n{tls_server.log_tail()}", pytrace=False)
        time.sleep(0.2)
    client.close()


def test_grpc_without_tls_gets_no_answer(tls_server):
    grpcclient = pytest.importorskip("tritonclient.grpc")
    client = grpcclient.InferenceServerClient(url=f"localhost:{tls_server.grpc_port}")
    with pytest.raises(grpcclient.InferenceServerException):
        client.is_server_live(client_timeout=3)
    client.close()
