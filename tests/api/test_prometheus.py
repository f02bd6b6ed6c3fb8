"""A real Prometheus (Debian's `prometheus`) scrapes the live server; its HTTP API must then
give the request and decision counters the server counted. Skipped when prometheus is not
installed, unless LOANRISK_PROMETHEUS_REQUIRED=1 (CI sets it, and installs the package)."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from loanrisk_server import free_port  # noqa: E402

REQUESTS = 7


def prometheus_binary() -> str | None:
    return shutil.which("prometheus")


def scraped_value(prom: str, query: str) -> float | None:
    url = f"{prom}/api/v1/query?" + urllib.parse.urlencode({"query": query})
    with urllib.request.urlopen(url, timeout=5) as response:
        result = json.load(response)["data"]["result"]
    return float(result[0]["value"][1]) if result else None


def exposed_value(server, series: str) -> float:
    text = server.get("/metrics").body.decode()
    for line in text.splitlines():
        if line.startswith(series + " "):
            return float(line.rsplit(" ", 1)[1])
    return 0.0


@pytest.fixture(scope="module")
def prometheus(server):
    binary = prometheus_binary()
    if binary is None:
        if os.environ.get("LOANRISK_PROMETHEUS_REQUIRED") == "1":
            pytest.fail("prometheus is not installed (apt-get install prometheus)", pytrace=False)
        pytest.skip("prometheus is not installed")
    with tempfile.TemporaryDirectory(prefix="loanrisk-prometheus-") as tmp:
        config = Path(tmp) / "prometheus.yml"
        config.write_text(
            "global:\n  scrape_interval: 1s\nscrape_configs:\n  - job_name: loanrisk\n    metrics_path: /metrics\n"
            # /metrics asks for METRICS_TOKEN as a bearer token: Prometheus's `authorization`.
            f"    authorization:\n      type: Bearer\n      credentials: '{server.metrics_token}'\n"
            f"    static_configs:\n      - targets: ['127.0.0.1:{server.port}']\n")
        port = free_port()
        log = open(Path(tmp) / "prometheus.log", "wb")
        process = subprocess.Popen(
            [binary, f"--config.file={config}", f"--storage.tsdb.path={tmp}/data", f"--web.listen-address=127.0.0.1:{port}"],
            stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(url + "/-/ready", timeout=1)
                break
            except OSError:
                time.sleep(0.2)
        else:
            process.kill()
            pytest.fail("prometheus did not become ready: " + (Path(tmp) / "prometheus.log").read_text()[-2000:], pytrace=False)
        yield url
        process.terminate()
        process.wait(timeout=10)
        log.close()


def test_prometheus_scrapes_the_request_and_decision_counters(api, server, prometheus):
    bundle = api.load_bundle(api.DEFAULT_MODEL)
    body = api.applicant_json(api.sample_rows()[0], bundle)
    decisions = {}
    for _ in range(REQUESTS):
        response = server.post("/api/v1/predict?reasons=0", body)
        assert response.status == 200, str(response)
        decision = response.json()["decision"]
        decisions[decision] = decisions.get(decision, 0) + 1
    (decision, count), = decisions.items()
    version = response.json()["model"]["version"]
    requests_series = 'loanrisk_http_requests_total{route="/api/v1/predict",method="POST",status="200"}'
    decisions_series = (f'loanrisk_applicants_scored_total{{model="{api.DEFAULT_MODEL}",version="{version}",'
                        f'channel="api",decision="{decision}"}}')
    expected_requests = exposed_value(server, requests_series)
    expected_decisions = exposed_value(server, decisions_series)
    assert expected_requests >= REQUESTS and expected_decisions >= count
    deadline = time.monotonic() + 30
    got = (None, None)
    while time.monotonic() < deadline:
        got = (scraped_value(prometheus, requests_series), scraped_value(prometheus, decisions_series))
        if got == (expected_requests, expected_decisions):
            break
        time.sleep(0.5)
    assert got == (expected_requests, expected_decisions), f"Prometheus has {got}, the server counted {(expected_requests, expected_decisions)}"
    # The build info and a latency histogram came through too.
    assert scraped_value(prometheus, "loanrisk_build_info") == 1
    assert scraped_value(prometheus, 'sum(loanrisk_http_request_duration_seconds_count{route="/api/v1/predict"})') >= REQUESTS


def test_metrics_need_the_metrics_token(server):
    """METRICS_TOKEN set: /metrics answers only a caller with it (Prometheus above sends it)."""
    assert server.get("/metrics", anonymous=True).status == 401
    assert server.get("/metrics", headers={"Authorization": "Bearer not-the-metrics-token"}).status == 401
    assert server.get("/metrics").status == 200
