"""Fixtures for the API suites: the real `loanrisk serve` on a free loopback port.

    pip install -r tests/api/requirements.txt
    swift build --product loanrisk
    python3 -m pytest -q tests/api

Environment:
  LOANRISK_BIN   path to the loanrisk binary (default: `swift build --show-bin-path`/loanrisk)

Nothing here skips: a missing package or binary fails the test that needs it, naming what to
install, so a run cannot go green without exercising the server.
"""

from __future__ import annotations

import csv
import importlib
import json
import secrets
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "support"))
from loanrisk_fixtures import Servers, loanrisk_servers  # noqa: E402, F401 (a fixture)

REPO_ROOT = Path(__file__).resolve().parents[2]
MODELS = REPO_ROOT / "Data" / "models"
SAMPLES = REPO_ROOT / "Data" / "samples"
DEFAULT_MODEL = "lending-club"
REQUIREMENTS = "tests/api/requirements.txt"

READY_TIMEOUT = 30.0
STOP_TIMEOUT = 10.0


def require(module: str, package: str | None = None):
    """Imports `module` or fails (never skips) naming the PyPI package to install."""
    try:
        return importlib.import_module(module)
    except ImportError as error:
        pytest.fail(f"Python package '{package or module}' is missing ({error}); "
                    f"install the suite's packages: python3 -m pip install -r {REQUIREMENTS}", pytrace=False)


@pytest.fixture(scope="session")
def server():
    """The real server (default model lending-club, SQLite) on 127.0.0.1:<free port>, its gRPC
    inference protocol on another free port and /admin/v1 open to `server.admin_token`; stopped
    with SIGTERM at the end of the session, when it must exit 0 within STOP_TIMEOUT."""
    with Servers("loanrisk-api-") as servers:
        yield servers.start(grpc=True, admin_token=secrets.token_hex(16), admin_label="api-tests",
                            env={"LOG_LEVEL": "warning"}, ready_timeout=READY_TIMEOUT, stop_timeout=STOP_TIMEOUT)


def load_bundle(name: str = DEFAULT_MODEL) -> dict:
    return json.loads((MODELS / name / "bundle.json").read_text())


def sample_rows(name: str = DEFAULT_MODEL) -> list[dict[str, str]]:
    """The model's sample CSV as dicts of cell text (id column included)."""
    with open(SAMPLES / f"{name}-sample.csv", newline="", encoding="utf-8-sig") as f:
        return list(csv.DictReader(f))


def applicant_json(row: dict[str, str], bundle: dict) -> dict:
    """A sample row as the JSON API takes it: numbers as JSON numbers, labels as strings,
    empty cells as null, the id column kept."""
    out = {}
    if bundle.get("id_column") and bundle["id_column"] in row:
        out[bundle["id_column"]] = row[bundle["id_column"]]
    for feature in bundle["features"]:
        text = row.get(feature["name"], "").strip()
        if text == "":
            out[feature["name"]] = None
        elif feature["kind"] == "categorical":
            out[feature["name"]] = text
        elif feature["kind"] == "integer" and "." not in text and "e" not in text.lower():
            out[feature["name"]] = int(text)
        else:
            out[feature["name"]] = float(text)
    return out


class Api:
    """The helpers above, handed to the tests as the `api` fixture (test modules do not import
    conftest: two suites' conftest modules would share one name)."""
    DEFAULT_MODEL = DEFAULT_MODEL
    MODELS = MODELS
    REPO_ROOT = REPO_ROOT
    require = staticmethod(require)
    load_bundle = staticmethod(load_bundle)
    sample_rows = staticmethod(sample_rows)
    applicant_json = staticmethod(applicant_json)


@pytest.fixture(scope="session")
def api() -> type[Api]:
    return Api


@pytest.fixture(scope="session")
def lending_club_bundle() -> dict:
    return load_bundle(DEFAULT_MODEL)
