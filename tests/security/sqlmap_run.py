"""Running Debian's `sqlmap` against one request of the live server and reading its verdict.

Every run is short and self-contained: `--batch` (no questions; `--answers` for the few whose
default is not wanted), `--flush-session` and `--output-dir` in the test's temporary folder
(nothing reused from an earlier run), the DBMS the server really uses (`--dbms`, so only its
payloads are sent), techniques B, E, U, S and T (boolean- and time-based blind, error-based,
UNION, stacked queries) at level 2 / risk 1, a 2-second delay for time-based payloads,
`--ignore-redirects` (a redirect to /sign-in is an answer to record, not a page to test) and
`--drop-set-cookie` (the cookies given are the only ones sent). `--smart` is not used: it
would skip parameters whose heuristics look clean, which is exactly what is under test.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

TECHNIQUES = "BEUST"
# sqlmap's names for the engines LoanRisk runs on.
DBMS = {"sqlite": "SQLite", "postgres": "PostgreSQL"}

CLEAN = "all tested parameters do not appear to be injectable"
# Lines sqlmap prints when it found, or suspects, an injection (or a reflected XSS).
FINDINGS = re.compile(
    r"identified the following injection point|is vulnerable|appears to be .*injectable|might be injectable"
    r"|might be vulnerable|injection point\(s\) with a total", re.I)


def sqlmap_binary() -> str | None:
    return shutil.which("sqlmap")


@dataclass(frozen=True)
class SqlmapRun:
    command: list[str]
    returncode: int
    output: str
    seconds: float
    traffic: Path
    folder: Path

    @property
    def findings(self) -> list[str]:
        """Lines of its output that report or suspect an injection, and the injection points
        it listed in its results file (sqlmap runs in "multiple targets" mode when its standard
        input is not a terminal, and then writes each injection point found to results-*.csv)."""
        lines = [line for line in self.output.splitlines() if FINDINGS.search(line)]
        for results in sorted((self.folder / "output").glob("results-*.csv")):
            rows = [row for row in results.read_text(errors="replace").splitlines()[1:] if row.strip()]
            lines += [f"{results.name}: {row}" for row in rows]
        return lines

    @property
    def clean(self) -> bool:
        return self.returncode == 0 and CLEAN in self.output and not self.findings

    def summary(self, lines: int = 60) -> str:
        """What sqlmap said, less its banner and progress lines: its findings, warnings and verdict."""
        kept = [line for line in self.output.splitlines()
                if re.match(r"\[\d\d:\d\d:\d\d\] \[(WARNING|ERROR|CRITICAL)\]", line) or FINDINGS.search(line)
                or line.startswith(("Parameter:", "    Type:", "    Title:", "    Payload:"))]
        tail = self.output.splitlines()[-15:]
        command = re.sub(r"password=[^&\s]*", "password=(hidden)", " ".join(self.command))
        return ("$ " + command + f"\n(exit {self.returncode}, {self.seconds:.1f} s)\n"
                + "\n".join(kept[-lines:]) + "\n--- last lines ---\n" + "\n".join(tail))


def run_sqlmap(url: str, *, engine: str, parameters: str, cookie: str | None, proxy: str, folder: Path,
               data: str | None = None, csrf_url: str | None = None, extra: tuple[str, ...] = (),
               techniques: str = TECHNIQUES, timeout: float = 240.0) -> SqlmapRun:
    """sqlmap against `url` (POST `data` when given), testing only `parameters` (comma-separated),
    sending `cookie`, through `proxy`; its output in `folder`. With `csrf_url`, the `csrf` field
    is read afresh from that page before each request, as a browser would."""
    binary = sqlmap_binary()
    if binary is None:
        pytest.fail("sqlmap is not installed (apt-get install sqlmap)", pytrace=False)
    folder.mkdir(parents=True, exist_ok=True)
    traffic = folder / "traffic.txt"
    command = [
        binary, "-u", url, "--batch", "--level=2", "--risk=1", f"--technique={techniques}", f"--dbms={DBMS[engine]}",
        "--time-sec=2", "--timeout=15", "--retries=1", "-p", parameters, "--drop-set-cookie",
        "--ignore-redirects", "--skip-waf", f"--proxy={proxy}", "--flush-session", f"--output-dir={folder / 'output'}",
        "--disable-coloring", "--answers=follow=N,crawl=N,skip=N", "-t", str(traffic),
    ]
    if cookie is not None:
        command += [f"--cookie={cookie}"]
    if data is not None:
        command += [f"--data={data}"]
    if csrf_url is not None:
        command += ["--csrf-token=csrf", f"--csrf-url={csrf_url}"]
    command += list(extra)
    started = time.monotonic()
    result = subprocess.run(command, capture_output=True, text=True, timeout=timeout, stdin=subprocess.DEVNULL)
    (folder / "sqlmap.txt").write_text(result.stdout + result.stderr)  # kept with the traffic, for a look afterwards
    return SqlmapRun(command, result.returncode, result.stdout + result.stderr, time.monotonic() - started, traffic, folder)
