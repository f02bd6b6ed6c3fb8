"""Stateless instances: what one instance did, the other serves, and a restart under load
fails nothing. Two real servers on one real PostgreSQL behind a real haproxy."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import threading
import time
from pathlib import Path

import pytest
import requests

from conftest import ADMIN, REPO_ROOT, Browser, sign_in

SAMPLE = REPO_ROOT / "Data" / "samples" / "lending-club-sample.csv"
ONE = json.loads((REPO_ROOT / "examples" / "lending-club-one.json").read_text())


@pytest.fixture(scope="module")
def browser(cluster) -> Browser:
    """The admin, signed in on instance a."""
    return sign_in(cluster.a.url, cluster.a.admin_name, cluster.a.admin_password)


def upload(browser: Browser, base: str, path: Path) -> str:
    """Uploads as the signed-in browser does; returns the batch's path."""
    answer = browser.session.post(
        base + "/batches", data={"csrf": browser.csrf, "model": "lending-club"},
        files={"file": (path.name, path.read_bytes(), "text/csv")}, allow_redirects=False, timeout=120,
    )
    assert answer.status_code == 303, answer.text[:500]
    return answer.headers["Location"]


def test_an_upload_to_one_instance_is_paged_and_downloaded_from_the_other(cluster, browser):
    batch = upload(browser, cluster.a.url, SAMPLE)
    page = browser.session.get(cluster.b.url + batch, allow_redirects=False, timeout=30)
    assert page.status_code == 200
    assert SAMPLE.name in page.text
    from_a = browser.session.get(cluster.a.url + batch + "/results.csv", timeout=60)
    from_b = browser.session.get(cluster.b.url + batch + "/results.csv", timeout=60)
    assert from_b.status_code == 200
    assert from_b.content == from_a.content
    rows = list(csv.DictReader(io.StringIO(from_b.text)))
    assert len(rows) == sum(1 for _ in open(SAMPLE)) - 1
    # Filtered and paged by the other instance too.
    declines = browser.session.get(cluster.b.url + batch + "?decision=decline", allow_redirects=False, timeout=30)
    assert declines.status_code == 200


def test_a_reasons_file_started_on_one_instance_is_finished_and_downloaded_from_the_other(cluster, browser):
    batch = upload(browser, cluster.a.url, SAMPLE)
    session = browser.session
    started = session.post(cluster.a.url + batch + "/reasons", data={"csrf": browser.csrf}, allow_redirects=False, timeout=30)
    assert started.status_code in (302, 303), started.text[:300]
    states = []
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        status = session.get(cluster.b.url + batch + "/reasons.json", timeout=30).json()
        states.append(status["state"])
        if status["state"] in ("ready", "failed"):
            break
        time.sleep(0.1)
    assert states[-1] == "ready", states[-10:]
    # While it ran, the other instance never offered to start it again.
    assert "none" not in states, states
    from_b = session.get(cluster.b.url + batch + "/reasons.csv", timeout=60)
    from_a = session.get(cluster.a.url + batch + "/reasons.csv", timeout=60)
    assert from_b.status_code == 200
    assert from_b.content == from_a.content
    header = next(csv.reader(io.StringIO(from_b.text)))
    assert "reason_1" in header


def predict(base: str) -> dict:
    answer = requests.post(base + "/api/v1/models/lending-club/predict?reasons=0", json=ONE, headers=ADMIN, timeout=30)
    assert answer.status_code == 200, answer.text[:300]
    return answer.json()


def test_a_promotion_made_on_one_instance_serves_on_the_other(cluster, tmp_path):
    variant = tmp_path / "variant"
    subprocess.run(["bash", "bench/make_variant.sh", "lending-club", "7.0.0", str(variant)], cwd=REPO_ROOT, check=True, capture_output=True)
    registered = cluster.a.cli("models", "register", str(variant))
    assert registered.returncode == 0, registered.stderr
    before = predict(cluster.b.url)["model"]["version"]
    assert before != "7.0.0"
    promoted = requests.put(
        cluster.a.url + "/admin/v1/models/lending-club/aliases/champion", json={"version": "7.0.0"},
        headers=ADMIN, timeout=60,
    )
    assert promoted.status_code == 200, promoted.text
    clock = time.monotonic()
    # Announced over LISTEN/NOTIFY, polled once a second as the fallback; bench/scaleout.sh
    # measures how soon. Here it must arrive (the cap only stops a hang).
    while predict(cluster.b.url)["model"]["version"] != "7.0.0":
        assert time.monotonic() - clock < 60, "the other instance never served the promoted version"
        time.sleep(0.02)
    print(f"promotion on a served by b after {time.monotonic() - clock:.3f} s")
    rolled = requests.post(cluster.b.url + "/admin/v1/models/lending-club/rollback",
                           headers=ADMIN, timeout=60)
    assert rolled.status_code == 200, rolled.text
    while predict(cluster.a.url)["model"]["version"] == "7.0.0":
        assert time.monotonic() - clock < 120, "the rollback never reached the first instance"
        time.sleep(0.02)


def test_a_session_made_on_one_instance_is_honoured_by_the_other_and_outlives_a_restart(cluster):
    """Sessions live in the database: signed in on a, the same cookie opens pages on b and
    through the balancer, still works after a restarts, and signing out on b ends it on a."""
    signed_in = sign_in(cluster.a.url, cluster.a.admin_name, cluster.a.admin_password)
    cookies = {"loanrisk_session": signed_in.session.cookies.get("loanrisk_session"),
               "loanrisk_csrf": signed_in.session.cookies.get("loanrisk_csrf")}

    def page(base: str) -> requests.Response:
        return requests.get(base + "/batches", cookies=cookies, allow_redirects=False, timeout=30)

    for base in (cluster.b.url, cluster.balancer, cluster.a.url):
        answer = page(base)
        assert answer.status_code == 200, (base, answer.status_code, answer.headers.get("Location"))
        assert cluster.a.admin_name in answer.text
    assert cluster.a.restart().running
    assert page(cluster.a.url).status_code == 200, "the session did not outlive the restart"
    signed_out = requests.post(cluster.b.url + "/sign-out", data={"csrf": signed_in.csrf}, cookies=cookies,
                               allow_redirects=False, timeout=30)
    assert signed_out.status_code == 303 and "/sign-in" in signed_out.headers["Location"], signed_out.text[:300]
    ended = page(cluster.a.url)
    assert ended.status_code == 303 and ended.headers["Location"].startswith("/sign-in"), ended.status_code


def test_no_request_fails_while_an_instance_is_stopped_and_started_again(cluster):
    failures: list[str] = []
    answered = [0]
    stop = threading.Event()
    lock = threading.Lock()

    def load() -> None:
        session = requests.Session()
        session.headers.update(ADMIN)
        while not stop.is_set():
            try:
                one = session.post(cluster.balancer + "/api/v1/models/lending-club/predict?reasons=1", json=ONE, headers=ADMIN, timeout=30)
                model = session.get(cluster.balancer + "/api/v1/models/lending-club", headers=ADMIN, timeout=30)
                with lock:
                    for answer in (one, model):
                        if answer.status_code == 200:
                            answered[0] += 1
                        else:
                            failures.append(f"HTTP {answer.status_code}: {answer.text[:200]}")
            except requests.RequestException as error:
                with lock:
                    failures.append(repr(error))

    threads = [threading.Thread(target=load) for _ in range(8)]
    for thread in threads:
        thread.start()
    time.sleep(1.5)
    status = cluster.a.stop()
    assert status == 0, f"instance a exited with {status} on SIGTERM"
    time.sleep(1.5)
    cluster.a.start()
    time.sleep(1.5)
    stop.set()
    for thread in threads:
        thread.join(timeout=60)
    assert answered[0] > 100
    assert failures == [], f"{len(failures)} failed of {answered[0] + len(failures)}: {failures[:5]}"
