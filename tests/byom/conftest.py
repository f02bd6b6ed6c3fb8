"""Fixtures for the bring-your-own-model suite (issue 34): the three lender artefacts trained
by their own libraries (`python3 -m training.byom`), each wrapped by `loanrisk bundle init`.

    python3 -m pip install -r training/requirements.txt
    swift build --product loanrisk
    python3 -m pytest -q tests/byom
"""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "support"))
from loanrisk_fixtures import Servers, loanrisk_servers  # noqa: E402, F401 (a fixture)
from loanrisk_server import find_binary  # noqa: E402

REPO_ROOT = Path(__file__).resolve().parents[2]
KINDS = ["xgboost", "sklearn", "scorecard"]


class Artefact:
    """One lender model: its file, the bundle written around it, the library's own answers."""

    def __init__(self, kind: str, entry: dict, bundle: Path):
        self.kind = kind
        self.name = entry["name"]
        self.model = Path(entry["model"])
        self.sample = Path(entry["sample"])
        self.bundle = bundle
        self.version = json.loads((bundle / "bundle.json").read_text())["version"]
        with open(entry["expected"], newline="") as f:
            self.expected = {r["applicant_id"]: {k: float(v) for k, v in r.items() if k != "applicant_id"} for r in csv.DictReader(f)}

    def sample_rows(self) -> list[dict[str, str]]:
        with open(self.sample, newline="", encoding="utf-8-sig") as f:
            return list(csv.DictReader(f))

    def __repr__(self) -> str:
        return f"{self.kind}:{self.name}"


def run(*command: str, cwd: Path = REPO_ROOT, timeout: float = 600) -> subprocess.CompletedProcess:
    done = subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=timeout)
    assert done.returncode == 0, f"{' '.join(command)} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}"
    return done


@pytest.fixture(scope="session")
def binary() -> Path:
    return find_binary()


@pytest.fixture(scope="session")
def artefacts(tmp_path_factory, binary) -> dict[str, Artefact]:
    """Trains the three artefacts with their own libraries, then `loanrisk bundle init`s each."""
    out = tmp_path_factory.mktemp("byom")
    run(sys.executable, "-m", "training.byom", str(out / "trained"))
    index = json.loads((out / "trained" / "artefacts.json").read_text())
    found = {}
    for kind in KINDS:
        entry = index[kind]
        folder = out / "bundles" / kind
        run(str(binary), "bundle", "init", "--model", entry["model"], "--sample", entry["sample"],
            "--out", str(folder), "--name", entry["name"], "--version", f"byom-{kind}", "--title", f"{entry['name']} ({kind})")
        found[kind] = Artefact(kind, entry, folder)
    return found
