"""Debian's `testssl.sh` against both TLS ports: no protocol below TLS 1.2 and no weak cipher
(NULL, anonymous, export, LOW — DES, RC2, RC4 —, 3DES or IDEA). The HTTP port offers no CBC
suite either (only forward-secret AEAD ones); gRPC's transport keeps swift-nio-ssl's default
list, which has some, and does not let it be narrowed.

Only the protocol and cipher-category checks run (`--protocols --std`), the two ports at once:
about 20 s on an idle machine, most of it testssl's own start.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

OLD_PROTOCOLS = ("SSLv2", "SSLv3", "TLS1", "TLS1_1")
WEAK_CIPHERS = ("cipherlist_NULL", "cipherlist_aNULL", "cipherlist_EXPORT", "cipherlist_LOW", "cipherlist_3DES_IDEA")
CBC_CIPHERS = "cipherlist_AVERAGE"


def run_testssl(port: int, report: Path) -> dict[str, str]:
    """Runs testssl on 127.0.0.1:`port`; its findings by id."""
    command = ["testssl", "--quiet", "--color", "0", "--warnings", "off", "--nodns", "none", "--protocols", "--std",
               "--jsonfile", str(report), "--ip", "127.0.0.1", f"127.0.0.1:{port}"]
    result = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert report.exists(), f"testssl wrote no report (exit {result.returncode}):\n{result.stdout[-3000:]}\n{result.stderr[-2000:]}"
    return {finding["id"]: finding["finding"] for finding in json.loads(report.read_text())}


@pytest.fixture(scope="module")
def findings(tls_server, tmp_path_factory):
    binary = shutil.which("testssl") or shutil.which("testssl.sh")
    if not binary:
        pytest.fail("testssl.sh is not installed (apt-get install testssl.sh)", pytrace=False)
    folder = tmp_path_factory.mktemp("testssl")
    with ThreadPoolExecutor(2) as pool:
        http = pool.submit(run_testssl, tls_server.port, folder / "http.json")
        grpc = pool.submit(run_testssl, tls_server.grpc_port, folder / "grpc.json")
        return {"http": http.result(), "grpc": grpc.result()}


@pytest.mark.parametrize("port", ["http", "grpc"])
def test_no_protocol_below_tls_1_2(findings, port):
    found = findings[port]
    for protocol in OLD_PROTOCOLS:
        assert found.get(protocol, "").startswith("not offered"), (protocol, found.get(protocol), found)
    assert found.get("TLS1_2", "").startswith("offered"), found
    assert found.get("TLS1_3", "").startswith("offered"), found


@pytest.mark.parametrize("port", ["http", "grpc"])
def test_no_weak_cipher(findings, port):
    found = findings[port]
    for category in WEAK_CIPHERS:
        assert found.get(category) == "not offered", (category, found.get(category), found)
    assert found.get("cipherlist_STRONG") == "offered", found


def test_the_http_port_offers_no_cbc_cipher(findings):
    assert findings["http"].get(CBC_CIPHERS) == "not offered", findings["http"]
