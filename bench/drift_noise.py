#!/usr/bin/env python3
"""How often clean files raise the drift banner, and whether files in other units still do.

    python3 bench/drift_noise.py                   # uploads to a real server (LOANRISK_BIN or .build)
    python3 bench/drift_noise.py --subsamples 50   # fewer, quicker
    python3 bench/drift_noise.py --simulate        # the noise levels against multinomial draws

Upload mode starts `loanrisk serve` on 127.0.0.1 (tests/support/loanrisk_server.py, SQLite in a
temporary folder) and, per bundle, uploads 200 clean random subsamples of its training data
(the bundle's `provenance.dataset_file`, labels recoded as `provenance.cleaning` says; sizes
spread on a log scale from 20 to 5,000 rows, at most the data's; drawn without replacement,
seeded) through the upload form, and reads each batch's drift.json: the share of files with
a major band (the banner) among the inputs, among inputs and score, and which measure raised
it. Then 10 subsamples per units-changed file (int_rate as a fraction, annual_inc in
thousands, credit_amount in cents, Income in units) must all raise it, with approvals held.

Simulate mode draws 100,000 multinomial samples of n rows from each bundle input's reference
proportions (Evidently's floor of 0.0001 for empty bins, as LoanRisk computes PSI) and prints
the simulated 99.9 % and 99.99 % PSI beside the levels `DriftNoise` computes (ported here
line for line), for n from 20 to 3,000.
"""

from __future__ import annotations

import argparse
import csv
import http.client
import io
import json
import math
import random
import re
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "support"))

BUNDLES = ["lending-club", "german-credit", "credit-data"]
CHANGED = [("lending-club", "int_rate", 0.01), ("lending-club", "annual_inc", 0.001),
           ("german-credit", "credit_amount", 100.0), ("credit-data", "Income", 1000.0)]


def training_rows(bundle: str) -> tuple[list[str], list[list[str]]]:
    manifest = json.loads((ROOT / "Data/models" / bundle / "bundle.json").read_text())
    provenance = manifest["provenance"]
    recoded = {column: spec["map"] for column, spec in provenance["cleaning"]["recoded_labels"].items()}
    with open(ROOT / provenance["dataset_file"], newline="") as f:
        reader = csv.reader(f)
        header = next(reader)
        rows = [[recoded.get(name, {}).get(cell, cell) for name, cell in zip(header, row)] for row in reader]
    return header, rows


def sizes(count: int, largest: int, rng: random.Random) -> list[int]:
    return [int(math.exp(rng.uniform(math.log(20), math.log(largest)))) for _ in range(count)]


def as_csv(header: list[str], rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode()


class Uploader:
    """The upload form as a browser uses it: the CSRF cookie and token, then a multipart POST."""

    def __init__(self, server):
        self.server = server
        page = server.get("/")
        self.cookie = page.headers["set-cookie"].split(";")[0]
        self.token = re.search(rb'name="csrf" value="([^"]+)"', page.body).group(1).decode()

    def drift(self, bundle: str, data: bytes) -> dict:
        boundary = "----drift-noise"
        body = b"".join([
            f'--{boundary}\r\nContent-Disposition: form-data; name="csrf"\r\n\r\n{self.token}\r\n'.encode(),
            f'--{boundary}\r\nContent-Disposition: form-data; name="model"\r\n\r\n{bundle}\r\n'.encode(),
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="s.csv"\r\nContent-Type: text/csv\r\n\r\n'.encode(),
            data, f"\r\n--{boundary}--\r\n".encode()])
        connection = http.client.HTTPConnection(self.server.host, self.server.port, timeout=120)
        connection.request("POST", "/batches", body, {
            "Content-Type": f"multipart/form-data; boundary={boundary}", "Cookie": self.cookie})
        response = connection.getresponse()
        response.read()
        location = response.getheader("Location")
        connection.close()
        if response.status != 303 or not location:
            raise RuntimeError(f"upload answered {response.status}")
        return self.server.get(location + "/drift.json").json()


def fixed_banner(report: dict) -> bool:
    """Whether the fixed bands alone (PSI > 0.25 whatever the size, as before) would raise it."""
    return any(i["psi"] > 0.25 for i in report["inputs"]) or bool(report.get("score") and report["score"]["psi"] > 0.25)


def banner(report: dict, with_score: bool = True) -> list[str]:
    raised = [i["name"] for i in report["inputs"] if i["band"] == "major"]
    if with_score and report.get("score") and report["score"]["band"] == "major":
        raised.append("score")
    return raised


def upload_mode(subsamples: int) -> None:
    from loanrisk_server import LoanRiskServer

    with tempfile.TemporaryDirectory() as folder:
        server = LoanRiskServer(Path(folder), env={"MONITOR_MIN_APPLICANTS": "1000000"}).start()
        try:
            uploader = Uploader(server)
            rng = random.Random(32)
            print(f"{'bundle':14s} {'files':>5s} {'rows':>10s} {'banner (inputs)':>16s} {'banner (+score)':>16s} {'fixed 0.25':>11s}  raised by")
            for bundle in BUNDLES:
                header, rows = training_rows(bundle)
                inputs_only = with_score = fixed = 0
                raised_by: dict[str, int] = {}
                for n in sizes(subsamples, min(5000, len(rows)), rng):
                    report = uploader.drift(bundle, as_csv(header, rng.sample(rows, n)))
                    inputs_only += bool(banner(report, with_score=False))
                    fixed += fixed_banner(report)
                    raised = banner(report)
                    with_score += bool(raised)
                    for name in raised:
                        raised_by[name] = raised_by.get(name, 0) + 1
                print(f"{bundle:14s} {subsamples:5d} {'20–' + str(min(5000, len(rows))):>10s} "
                      f"{inputs_only / subsamples:15.1%} {with_score / subsamples:15.1%} {fixed / subsamples:10.1%}  {raised_by or '—'}")
            print()
            print(f"{'units changed':40s} {'files':>5s} {'banner':>7s} {'held approvals':>15s}")
            for bundle, column, factor in CHANGED:
                header, rows = training_rows(bundle)
                index = header.index(column)
                flagged = held = 0
                for n in sizes(10, min(5000, len(rows)), rng):
                    picked = [list(r) for r in rng.sample(rows, n)]
                    for r in picked:
                        if r[index]:
                            r[index] = repr(float(r[index]) * factor)
                    report = uploader.drift(bundle, as_csv(header, picked))
                    flagged += column in banner(report)
                    held += report.get("heldApprovals") is not None
                print(f"{bundle + ': ' + column + ' × ' + str(factor):40s} {10:5d} {flagged:3d}/10 {held:11d}/10")
        finally:
            server.stop()


# --- simulate mode: DriftNoise ported, against multinomial draws

STEP = 0.002


def noise(expected: list[float], n: int) -> tuple[float, float, list[float]]:
    fill = 1 / n / 1e6 if 1 / n <= 1e-4 else 1e-4
    mean = variance = square = 0.0
    filled = 0
    jumps = [1.0]
    for e in expected:
        if not 0 < e < 1:
            continue
        filled += 1
        square += e * e
        sd = math.sqrt(n * e * (1 - e))
        low, high = max(1, math.floor(n * e - 12 * sd) - 2), min(n, math.ceil(n * e + 12 * sd) + 2)
        m1 = m2 = 0.0
        for c in range(low, high + 1):
            mass = math.exp(math.lgamma(n + 1) - math.lgamma(c + 1) - math.lgamma(n - c + 1) + c * math.log(e) + (n - c) * math.log1p(-e))
            term = (c / n - e) * math.log(c / n / e)
            m1 += mass * term
            m2 += mass * term * term
        mean += m1
        variance += max(0.0, m2 - m1 * m1)
        empty = math.exp(n * math.log1p(-e))
        if empty > 1e-12:
            jump = math.ceil((fill - e) * math.log(fill / e) / STEP)
            following = [0.0] * (len(jumps) + jump)
            for i, p in enumerate(jumps):
                following[i] += p * (1 - empty)
                following[i + jump] += p * empty
            jumps = following
    if filled > 1:
        variance *= (filled - 1) / (filled - 2 + square)
    return mean, variance, jumps


def level(expected: list[float], n: int, quantile: float) -> float:
    mean, variance, jumps = noise(expected, n)

    def chi_tail(x: float) -> float:
        if x <= 0:
            return 1.0
        if mean <= 0 or variance <= 0:
            return 0.0
        scale, degrees = variance / (2 * mean), 2 * mean * mean / variance
        spread = 2 / (9 * degrees)
        z = ((x / scale / degrees) ** (1 / 3) - (1 - spread)) / math.sqrt(spread)
        return 0.5 * math.erfc(z / math.sqrt(2))

    low, high = 0.0, len(jumps) * STEP + mean + 50 * math.sqrt(variance) + 1
    for _ in range(60):
        middle = (low + high) / 2
        if sum(p * chi_tail(middle - i * STEP) for i, p in enumerate(jumps) if p > 0) > 1 - quantile:
            low = middle
        else:
            high = middle
    return high


def simulate_mode() -> None:
    import numpy as np

    rng = np.random.default_rng(1)
    print(f"{'bundle':14s} {'input':28s} {'n':>5s} {'sim 99.9%':>10s} {'computed':>9s} {'sim 99.99%':>11s} {'computed':>9s}")
    for bundle in BUNDLES:
        features = json.loads((ROOT / "Data/models" / bundle / "bundle.json").read_text())["reference"]["features"]
        for name, ref in list(features.items())[:6]:
            expected = list(ref["proportions"]) + [ref.get("missing") or 0.0]
            e = np.array(expected) / sum(expected)
            for n in (20, 50, 100, 300, 1000, 3000):
                shares = rng.multinomial(n, e, size=100_000) / n
                a = np.where(shares > 0, shares, 1e-4)
                x = np.where(e > 0, e, 1e-4)
                psi = np.where((e == 0) & (shares == 0), 0, (a - x) * np.log(a / x)).sum(1)
                print(f"{bundle:14s} {name[:28]:28s} {n:5d} {np.quantile(psi, .999):10.3f} {level(list(e), n, .999):9.3f} "
                      f"{np.quantile(psi, .9999):11.3f} {level(list(e), n, .9999):9.3f}", flush=True)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--subsamples", type=int, default=200)
    parser.add_argument("--simulate", action="store_true")
    args = parser.parse_args()
    simulate_mode() if args.simulate else upload_mode(args.subsamples)
