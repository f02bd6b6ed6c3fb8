"""The scorecard exporters (training/export_scorecard.py) against the libraries themselves.

Needs scorecardpy and toad, which pin pandas < 3: run in the scorecard virtual environment
(`.ci/run` makes `.build/scorecard-venv` from training/requirements-scorecard.txt). Under the
main requirements the module is skipped.
"""

import json
import math
import sys
from pathlib import Path

import pytest

pytest.importorskip("scorecardpy")
pytest.importorskip("toad")
pytest.importorskip("optbinning")

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "training" / "golden"))

import make_scorecard_golden as golden  # noqa: E402
from export_scorecard import total_points  # noqa: E402

FIXTURES = ROOT / "Tests" / "ScoringTests" / "Fixtures" / "scorecard"
pytestmark = pytest.mark.filterwarnings("ignore")

CASES = ["optbinning", "optbinning_rounded", "scorecardpy", "toad"]


@pytest.fixture(scope="module")
def fresh(tmp_path_factory):
    """Every case fitted again by the real libraries, into a temporary folder."""
    out = tmp_path_factory.mktemp("scorecard")
    golden.optbinning_cases(str(out))
    golden.scorecardpy_case(str(out))
    golden.toad_case(str(out))
    return out


def load(folder, case):
    doc = json.loads((folder / f"{case}.json").read_text())
    rows = json.loads((folder / f"{case}.rows.json").read_text())["rows"]
    return doc, rows


@pytest.mark.parametrize("case", CASES)
def test_document_reproduces_the_library_exactly(fresh, case):
    doc, rows = load(fresh, case)
    assert doc["format"] == "loanrisk-scorecard" and doc["format_version"] == 1
    mismatches = [(i, r["points"], total_points(doc, r["values"]))
                  for i, r in enumerate(rows) if total_points(doc, r["values"]) != r["points"]]
    assert not mismatches, mismatches[:5]


@pytest.mark.parametrize("case", CASES)
def test_committed_fixtures_are_what_the_libraries_make(fresh, case):
    assert load(fresh, case) == load(FIXTURES, case)


def test_rows_cover_edges_missing_and_unseen(fresh):
    doc, rows = load(fresh, "optbinning")
    values = [r["values"] for r in rows]
    edges = {b["lower"] for ch in doc["characteristics"] if ch["kind"] == "numeric"
             for b in ch["bins"] if b["lower"] is not None}
    seen = {v for row in values for v in row.values() if isinstance(v, float)}
    assert edges <= seen
    assert any(v is None for row in values for v in row.values())
    assert any(v == golden.UNSEEN for row in values for v in row.values())
    assert any(v == golden.SPECIAL for row in values for v in row.values())


def test_toad_probability_is_its_own_score_to_proba(fresh):
    doc, rows = load(fresh, "toad")
    for r in rows[:50]:
        assert math.isclose(golden.mapping_probability(doc, r["points"]), r["probability"],
                            rel_tol=1e-12)


def test_toad_rounded_points_are_its_export_and_stay_within_rounding(fresh):
    """`rounded=True` writes `export()`'s 2-decimal points: totals then differ from `predict`
    by at most half a cent per characteristic."""
    from export_scorecard import from_toad

    card, X = golden.fit_toad()
    doc = from_toad(card, X=X, rounded=True)
    exported = card.export()
    for ch in doc["characteristics"]:
        written = sorted(b["points"] for b in ch["bins"])
        assert set(written) <= {float(v) for v in exported[ch["name"]].values()}
    rows = golden.probe_rows(doc, X)
    predicted = card.predict(rows)
    n = len(doc["characteristics"])
    for i, (_, r) in enumerate(rows.iterrows()):
        values = {k: (None if isinstance(v, float) and math.isnan(v) else v) for k, v in r.items()}
        assert abs(total_points(doc, values) - predicted[i]) <= 0.005 * n + 1e-9
