"""Walks a running LoanRisk server through a fixed set of pages and writes every page (status
and HTML, byte for byte, with what legitimately changes between runs masked) to one file, so
two builds can be diffed (bench/pages_diff.sh).

The walk: the upload page (each model chosen), the batches list before and after, four uploads
(the lending-club sample as is; a copy with rates sent as fractions, an unreadable value, rows
with several warnings and an unseen category; the german-credit sample; the credit-data sample
saved as a European spreadsheet does, semicolons and decimal commas), each batch page and its
sorted, filtered, searched, paged and column views, row pages (alone and in a view, invalid,
with warnings, a review case before and after an analyst's decision), the reasons download
once ready, every model card, each champion-and-challenger page (lending-club with a challenger
that shadow-scored the uploads and an API request), /monitoring with a drift event and its
failed webhook delivery, /docs, and error pages (404s, a bad upload, a wrong model).

Masked: batch ids, request ids, CSRF tokens, times (`2026-12-07 13:05 UTC`), the port.

    python3 bench/pages_fetch.py --url http://127.0.0.1:PORT --admin TOKEN --out pages.txt
"""

import argparse
import csv
import io
import json
import os
import re
import subprocess
import sys
import tempfile
import time

import requests

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


class Walk:
    def __init__(self, url: str, admin: str, out) -> None:
        self.url = url
        self.admin = {"Authorization": f"Bearer {admin}"}
        self.out = out
        self.session = requests.Session()
        self.batches: list[str] = []
        self.request_ids: list[str] = []

    def csrf(self) -> str:
        token = self.session.cookies.get("loanrisk_csrf")
        if token is None:
            self.session.get(self.url + "/")
            token = self.session.cookies.get("loanrisk_csrf")
        return token

    def mask(self, text: str) -> str:
        for n, batch in enumerate(self.batches):
            text = text.replace(batch, f"<batch{n}>")
        for n, request in enumerate(self.request_ids):
            text = text.replace(request, f"<request{n}>")
        text = re.sub(r"\b[0-9a-f]{64}\b", lambda m: "<hex64>" if m.group(0) == self.csrf() else m.group(0), text)
        text = re.sub(r"\d{4}-\d\d-\d\d \d\d:\d\d UTC", "<time>", text)
        text = text.replace(self.url, "<url>")
        return text

    def save(self, label: str, response: requests.Response) -> None:
        self.out.write(f"== {self.mask(label)} {response.status_code} {response.headers.get('Content-Type', '')}\n")
        text = self.mask(response.text)
        if label.startswith("GET /monitoring"):
            text = settled(text)
        self.out.write(text)
        self.out.write("\n")

    def page(self, path: str, label: str | None = None, **headers) -> requests.Response:
        response = self.session.get(self.url + path, headers=headers, allow_redirects=False)
        self.save(label or f"GET {path}", response)
        return response

    def upload(self, name: str, data: bytes, model: str, label: str) -> str | None:
        response = self.session.post(
            self.url + "/batches", data={"csrf": self.csrf(), "model": model},
            files={"file": (name, data, "text/csv")}, allow_redirects=False)
        if response.status_code != 303:
            self.save(label, response)
            return None
        batch = response.headers["Location"].rsplit("/", 1)[1]
        self.batches.append(batch)
        self.wait_for_features(batch)
        return batch

    def wait_for_features(self, batch: str) -> None:
        """The rows' features follow the batch by a moment; the pages show their reasons once stored."""
        for _ in range(200):
            answer = self.session.get(f"{self.url}/batches/{batch}/top-reasons?rows=1").json()
            if not answer.get("pending"):
                return
            time.sleep(0.05)
        sys.exit(f"batch {batch}: features never stored")

    def wait_for_pairs(self, name: str) -> None:
        """Shadow scoring runs off the answer's path: wait until the pairs stop coming."""
        last, steady = -1, 0
        for _ in range(200):
            pairs = self.session.get(f"{self.url}/admin/v1/models/{name}/challenger", headers=self.admin).json().get("pairs", 0)
            steady = steady + 1 if pairs == last and pairs > 0 else 0
            if steady >= 6:
                return
            last = pairs
            time.sleep(0.25)
        sys.exit(f"{name}: shadow pairs never settled")


def settled(text: str) -> str:
    """/monitoring with what depends on when the monitor's background writes fell masked: the
    points of the sparklines (how many snapshots a second's writes made, which minute the
    traffic fell in) and the order of drift events raised in the same write."""
    text = re.sub(r'(<svg class="chart spark"[^>]*>(?:<line [^>]*/>)?)(.*?)</svg>', r"\1<points/></svg>", text)
    start, end = text.find('<tr class="drift-event">'), text.rfind("</tr>") + len("</tr>")
    if start < 0:
        return text
    rows = text[start:end].split('<tr class="drift-event">')[1:]
    return text[:start] + "".join(sorted('<tr class="drift-event">' + row for row in rows)) + text[end:]


def sample(name: str) -> bytes:
    with open(os.path.join(ROOT, "Data", "samples", f"{name}-sample.csv"), "rb") as f:
        return f.read()


def varied_lending_club() -> bytes:
    """The sample with rates as fractions (a major drift), one unreadable value, two rows with
    several out-of-range values and one with an unseen category."""
    rows = list(csv.reader(io.StringIO(sample("lending-club").decode())))
    header = rows[0]
    at = {name: i for i, name in enumerate(header)}
    for row in rows[1:]:
        row[at["int_rate"]] = repr(float(row[at["int_rate"]]) / 100)
    rows[1][at["annual_inc"]] = "abc"
    for row in rows[2:4]:
        row[at["revol_util"]] = "990"
        row[at["delinq_2yrs"]] = "400"
        row[at["funded_amnt"]] = "9000000"
    rows[4][at["sub_grade"]] = "Z9"
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue().encode()


def european_credit_data() -> bytes:
    """The credit-data sample as a European spreadsheet saves it: semicolons, decimal commas."""
    rows = list(csv.reader(io.StringIO(sample("credit-data").decode())))
    out = io.StringIO()
    number = re.compile(r"^-?\d+\.\d+$")
    csv.writer(out, delimiter=";", lineterminator="\n").writerows(
        [[cell.replace(".", ",") if number.match(cell) else cell for cell in row] for row in rows])
    return out.getvalue().encode()


def variant(name: str, version: str, folder: str) -> str:
    out = os.path.join(folder, f"{name}-{version}")
    subprocess.run(["bash", "bench/make_variant.sh", name, version, out], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    return out


def walk(w: Walk) -> None:
    models = ["lending-club", "german-credit", "credit-data"]
    w.page("/")
    for model in models:
        w.page(f"/?model={model}")
    w.page("/batches", "GET /batches (none yet)")
    w.page("/monitoring", "GET /monitoring (nothing scored)")
    w.page("/models/lending-club/challenger", "GET /models/lending-club/challenger (none)")

    # A challenger for lending-club, set before anything is scored: every upload is shadowed.
    with tempfile.TemporaryDirectory() as folder:
        bundle = variant("lending-club", "9.9.9", folder)
        with open(f"{bundle}/model.txt", "rb") as m, open(f"{bundle}/bundle.json", "rb") as b:
            answer = requests.post(f"{w.url}/admin/v1/models/lending-club/versions", headers=w.admin,
                                   files={"model": m, "bundle": b})
        assert answer.status_code == 201, answer.text
    answer = requests.put(f"{w.url}/admin/v1/models/lending-club/aliases/challenger", headers=w.admin, json={"version": "9.9.9"})
    assert answer.status_code == 200, answer.text
    w.page("/models/lending-club/challenger", "GET /models/lending-club/challenger (nothing scored yet)")

    clean = w.upload("lending-club-sample.csv", sample("lending-club"), "lending-club", "upload lending-club")
    varied = w.upload("varied.csv", varied_lending_club(), "lending-club", "upload varied")
    german = w.upload("german-credit-sample.csv", sample("german-credit"), "german-credit", "upload german-credit")
    european = w.upload("european.csv", european_credit_data(), "credit-data", "upload european credit-data")
    with open(os.path.join(ROOT, "examples", "lending-club-one.json"), "rb") as f:
        answer = requests.post(f"{w.url}/api/v1/predict", data=f.read(), headers={"Content-Type": "application/json"})
    w.request_ids.append(answer.headers["X-Request-Id"])

    # Bad uploads: the upload page again, with the problem.
    w.upload("empty.csv", b"", "lending-club", "upload an empty file")
    w.upload("german.csv", sample("german-credit"), "lending-club", "upload a german-credit file as lending-club")
    w.upload("x.csv", sample("lending-club"), "no-such-model", "upload to no such model")

    w.page("/batches")
    for batch in (clean, varied, german, european):
        w.page(f"/batches/{batch}")
    views = [
        "?decision=decline&sort=probability&dir=desc", "?decision=review", "?decision=approve&sort=score&dir=asc",
        "?sort=id&dir=desc", "?sort=status", "?sort=decision&dir=desc", "?q=LC-0001", "?q=nothing-matches",
        "?pmin=10&pmax=30", "?smin=600&smax=700", "?status=warning", "?page=2", "?page=6", "?page=99",
        "?col=int_rate&col=sub_grade", "?col=int_rate&sort=probability&dir=desc&page=2", "?col=no_such_column",
        "?col=int_rate&col=annual_inc&decision=decline&pmin=20",
    ]
    for view in views:
        w.page(f"/batches/{clean}{view}")
    for view in ["?status=error", "?status=warning", "?col=int_rate&col=revol_util&status=warning"]:
        w.page(f"/batches/{varied}{view}")
    w.page(f"/batches/{german}?decision=decline&sort=score")
    w.page(f"/batches/{clean}/drift.json")
    w.page(f"/batches/{varied}/drift.json")

    # Rows: alone, in a view, invalid, with warnings, a review case before and after a decision.
    for row in (1, 2, 150, 300):
        w.page(f"/batches/{clean}/rows/{row}")
    w.page(f"/batches/{clean}/rows/150?decision=decline&sort=probability&dir=desc")
    w.page(f"/batches/{clean}/rows/7?sort=score&col=int_rate")
    for row in (1, 2, 3, 4, 5):
        w.page(f"/batches/{varied}/rows/{row}")
    w.page(f"/batches/{german}/rows/1")
    w.page(f"/batches/{european}/rows/1")
    reviews = []
    for batch in (clean, german, european):
        listing = w.session.get(f"{w.url}/batches/{batch}?decision=review").text
        numbers = re.findall(r'data-row="(\d+)"', listing)
        if numbers:
            reviews.append((batch, numbers[0]))
    for batch, row in reviews[:2]:
        w.page(f"/batches/{batch}/rows/{row}", f"GET review row {row} (undecided)")
        answer = w.session.post(f"{w.url}/batches/{batch}/rows/{row}/review?decision=review",
                                data={"csrf": w.csrf(), "decision": "decline", "note": "Income <not> verified & “quoted”"},
                                allow_redirects=False)
        assert answer.status_code == 303, answer.text
        w.page(f"/batches/{batch}/rows/{row}?decision=review", f"GET review row {row} (decided)")
        w.page(f"/batches/{batch}?decision=review", "GET review list (decided)")

    # The download with reasons, once made.
    answer = w.session.post(f"{w.url}/batches/{clean}/reasons", data={"csrf": w.csrf()}, allow_redirects=False)
    assert answer.status_code in (200, 202, 303), answer.status_code
    for _ in range(400):
        if w.session.get(f"{w.url}/batches/{clean}/reasons.json").json().get("state") == "ready":
            break
        time.sleep(0.05)
    w.page(f"/batches/{clean}", "GET clean batch (reasons ready)")

    w.page("/models")
    for model in models:
        w.page(f"/models/{model}")
        w.wait_for_pairs("lending-club") if model == "lending-club" else None
        w.page(f"/models/{model}/challenger")

    # The monitor writes every second; each drift event's one webhook attempt follows. The page
    # is kept once every event has its delivery and a second later nothing has changed.
    previous = None
    for _ in range(60):
        response = w.session.get(f"{w.url}/monitoring")
        text = settled(w.mask(response.text))
        events = text.count('class="drift-event"')
        if events and text.count("data-delivered=") == events and text == previous:
            break
        previous = text
        time.sleep(1)
    w.save("GET /monitoring", response)
    w.page("/docs")

    # Errors.
    w.page("/no/such/page", "GET /no/such/page as a browser", Accept="text/html")
    w.page("/no/such/page", "GET /no/such/page as a program")
    w.page("/models/no-such-model")
    w.page("/models/no-such-model/challenger")
    w.page("/batches/abcdefghijkmnopq")
    w.page(f"/batches/{clean}/rows/0")
    w.page(f"/batches/{clean}/rows/301")
    w.page(f"/batches/{clean}/rows/x")
    answer = w.session.post(f"{w.url}/batches/{clean}/delete", data={"csrf": "wrong"}, allow_redirects=False)
    w.save("POST delete with a wrong token", answer)
    answer = w.session.post(f"{w.url}/batches/{clean}/rows/1/review", data={"csrf": w.csrf(), "decision": "approve"},
                            allow_redirects=False)
    w.save("POST review on a row not referred", answer)
    answer = w.session.post(f"{w.url}/batches/{european}/delete", data={"csrf": w.csrf()}, allow_redirects=False)
    assert answer.status_code == 303
    w.page("/batches", "GET /batches (one deleted)")
    w.page(f"/batches/{european}", "GET deleted batch")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", required=True)
    parser.add_argument("--admin", required=True)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    with open(args.out, "w") as out:
        walk(Walk(args.url, args.admin, out))


if __name__ == "__main__":
    main()
