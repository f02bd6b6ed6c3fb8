"""End to end on a CI-sized run (--quick: 1,500 rows, 2 folds x 1 repeat, 30 trees)."""

import hashlib
import json
import subprocess
import sys
from pathlib import Path

import lightgbm as lgb
import numpy as np
import pytest

from loanrisk_training import data, derived, policy
from loanrisk_training.pipeline import Options, build

TRAINING = Path(__file__).resolve().parents[1]
CREATED = "2026-01-01T00:00:00Z"
CONTRACT_KEYS = ["format_version", "name", "version", "created", "title", "description", "target", "id_column", "features",
                 "derived_features", "model_features", "protected_inputs", "age", "monotone_constraints", "policy", "score_scaling",
                 "metrics", "fairness", "reference", "provenance"]


def quick(dataset, out):
    return build(Options(dataset=dataset, out=out, quick=True, created=CREATED, workers=1, log=lambda *_: None))


@pytest.fixture(scope="module")
def lending(tmp_path_factory):
    return quick("lending_club", tmp_path_factory.mktemp("lc"))


@pytest.fixture(scope="module", params=["german_credit", "credit_data"])
def other(request, tmp_path_factory):
    return quick(request.param, tmp_path_factory.mktemp(request.param))


def check_bundle(result):
    out = result["out"]
    bundle = json.loads((out / "bundle.json").read_text())
    assert list(bundle) == CONTRACT_KEYS
    assert bundle["created"] == CREATED
    for key in ("approve_below", "decline_at_or_above", "costs", "approval_rate", "bad_rate_among_approved",
                "recall_of_defaulters", "review_rate"):
        assert key in bundle["policy"]
    for key in ("cv", "per_fold", "mean", "std", "comparison", "imbalance", "reliability", "roc"):
        assert key in bundle["metrics"]
    assert len(bundle["metrics"]["roc"]) <= 101
    assert bundle["policy"]["key_inputs"] and set(bundle["policy"]["key_inputs"]) <= {f["name"] for f in bundle["features"]}
    assert [r["input"] for r in bundle["metrics"]["missing_inputs"]] == [f["name"] for f in bundle["features"]]
    assert {r["input"] for r in bundle["metrics"]["missing_inputs"] if r["key"]} == set(bundle["policy"]["key_inputs"])
    model_bytes = (out / "model.txt").read_bytes()
    assert bundle["provenance"]["model_sha256"] == hashlib.sha256(model_bytes).hexdigest()
    booster = lgb.Booster(model_file=str(out / "model.txt"))
    assert booster.feature_name() == bundle["model_features"]
    by_name = {f["name"]: f for f in bundle["features"]}
    categorical = [m for m in bundle["model_features"] if m in by_name and by_name[m]["kind"] == "categorical"]
    assert booster.pandas_categorical == ([by_name[m]["categories"] for m in categorical] or None)
    derived_names = {d["name"] for d in bundle["derived_features"]}
    assert all(m in by_name or m in derived_names for m in bundle["model_features"])
    assert not derived_names & set(by_name)
    return bundle, booster


def check_samples(result, bundle, booster):
    out, name = result["out"], bundle["name"]
    header, template = data.read_csv(out / f"{name}-template.csv")
    assert header == ["applicant_id"] + [f["name"] for f in bundle["features"]]
    assert len(template) == 1 and template[0][1:] == [f["example"] for f in bundle["features"]]
    sample_header, sample = data.read_csv(out / f"{name}-sample.csv")
    assert sample_header == header and bundle["target"]["column"] not in header
    golden_header, golden = data.read_csv(out / "golden.csv")
    assert golden_header == header + ["probability"]
    assert [r[:-1] for r in golden[: len(sample)]] == sample          # the sample rows, exactly as written there
    edge_ids = [r[0] for r in golden[len(sample):]]
    assert any("all-missing" in i for i in edge_ids) and any("unseen-labels" in i for i in edge_ids)
    assert any("zero-denominators" in i for i in edge_ids)
    cats = {f["name"]: f["categories"] for f in bundle["features"] if f["kind"] == "categorical"}
    raw = data.raw_frame(header[1:], [r[1:-1] for r in golden], bundle["features"], cats)
    frame = derived.model_frame(raw, bundle["derived_features"], bundle["model_features"])
    p = booster.predict(frame)
    assert [repr(float(v)) for v in p] == [r[-1] for r in golden]


def test_lending_club_bundle_is_valid(lending):
    bundle, booster = check_bundle(lending)
    check_samples(lending, bundle, booster)
    assert bundle["id_column"] == "applicant_id"
    assert {d["op"] for d in bundle["derived_features"]} >= {"map", "ratio"}


def test_other_bundles_are_valid(other):
    bundle, booster = check_bundle(other)
    check_samples(other, bundle, booster)


def test_policy_rates_come_from_the_out_of_fold_predictions(lending):
    bundle = json.loads((lending["out"] / "bundle.json").read_text())
    pol = bundle["policy"]
    p, y = lending["oof"].pooled(lending["y"])
    again = policy.evaluate(p, y, pol["approve_below"], pol["decline_at_or_above"], pol["costs"])
    for key in ("approval_rate", "bad_rate_among_approved", "recall_of_defaulters", "review_rate"):
        assert pol[key] == again[key]
    assert pol["approve_below"] <= pol["decline_at_or_above"]
    assert bundle["metrics"]["mean"]["roc_auc"] == pytest.approx(np.mean([f["roc_auc"] for f in bundle["metrics"]["per_fold"]]))


def test_same_seed_gives_a_byte_identical_model(lending, tmp_path):
    """A second run in a fresh process (through the command line, fits in 2 worker processes) writes the same files."""
    out = tmp_path / "again"
    subprocess.run([sys.executable, str(TRAINING / "train.py"), "--dataset", "lending_club", "--quick", "--out", str(out),
                    "--created", CREATED], check=True, capture_output=True)
    assert (out / "model.txt").read_bytes() == (lending["out"] / "model.txt").read_bytes()
    assert (out / "golden.csv").read_bytes() == (lending["out"] / "golden.csv").read_bytes()
    assert (out / "bundle.json").read_bytes() == (lending["out"] / "bundle.json").read_bytes()


def test_data_file_trains_the_same_recipe_on_other_rows(tmp_path):
    """--data-file: any CSV with the dataset's columns (here: the German data's first 800 rows, shuffled columns)."""
    header, rows = data.read_csv(TRAINING.parent / "Data" / "datasets" / "german_credit.csv")
    order = list(reversed(range(len(header))))
    source = tmp_path / "other.csv"
    data.write_csv(source, [header[i] for i in order], [[r[i] for i in order] for r in rows[:800]])
    result = build(Options(dataset="german_credit", out=tmp_path / "bundle", data_file=source, quick=True, created=CREATED,
                           log=lambda *_: None))
    provenance = result["bundle"]["provenance"]
    assert provenance["rows"] == 800 and provenance["dataset_file"] == str(source.resolve())
    assert provenance["dataset_sha256"] == hashlib.sha256(source.read_bytes()).hexdigest()
    assert provenance["cleaning"]["recoded_labels"]["telephone"]["cells"] > 0
