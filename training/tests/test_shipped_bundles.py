"""The bundles in Data/models: consistent with their model.txt, golden.csv reproducible, targets met."""

import hashlib
import json
from pathlib import Path

import lightgbm as lgb
import pytest

from loanrisk_training import data, derived

REPO = Path(__file__).resolve().parents[2]
TARGET_AUC = {"lending-club": 0.75, "german-credit": 0.79, "credit-data": 0.84}
BUNDLES = sorted(p.parent for p in (REPO / "Data" / "models").glob("*/bundle.json"))


@pytest.mark.parametrize("folder", BUNDLES, ids=lambda p: p.name)
def test_bundle_matches_its_model_and_golden(folder):
    bundle = json.loads((folder / "bundle.json").read_text())
    assert bundle["name"] == folder.name and bundle["format_version"] == 1
    assert bundle["provenance"]["model_sha256"] == hashlib.sha256((folder / "model.txt").read_bytes()).hexdigest()
    dataset = REPO / bundle["provenance"]["dataset_file"]
    assert bundle["provenance"]["dataset_sha256"] == data.sha256_file(dataset)
    booster = lgb.Booster(model_file=str(folder / "model.txt"))
    assert booster.feature_name() == bundle["model_features"]
    specs = {f["name"]: f for f in bundle["features"]}
    categorical = [m for m in bundle["model_features"] if m in specs and specs[m]["kind"] == "categorical"]
    assert booster.pandas_categorical == ([specs[m]["categories"] for m in categorical] or None)
    header, rows = data.read_csv(folder / "golden.csv")
    assert header == [bundle["id_column"]] + list(specs) + ["probability"]
    cats = {n: f["categories"] for n, f in specs.items() if f["kind"] == "categorical"}
    frame = derived.model_frame(data.raw_frame(header[1:-1], [r[1:-1] for r in rows], bundle["features"], cats),
                                bundle["derived_features"], bundle["model_features"])
    assert [repr(float(p)) for p in booster.predict(frame)] == [r[-1] for r in rows]
    sample_header, sample = data.read_csv(REPO / "Data" / "samples" / f"{folder.name}-sample.csv")
    assert sample_header == header[:-1] and [r[:-1] for r in rows[: len(sample)]] == sample
    template_header, template = data.read_csv(REPO / "Data" / "samples" / f"{folder.name}-template.csv")
    assert template_header == header[:-1] and len(template) == 1


@pytest.mark.parametrize("folder", BUNDLES, ids=lambda p: p.name)
def test_bundle_meets_its_target(folder):
    bundle = json.loads((folder / "bundle.json").read_text())
    assert bundle["metrics"]["mean"]["roc_auc"] >= TARGET_AUC.get(folder.name, 0.5)
    policy = bundle["policy"]
    assert policy["approve_below"] <= policy["decline_at_or_above"]


@pytest.mark.parametrize("folder", BUNDLES, ids=lambda p: p.name)
def test_bundle_is_as_well_calibrated_as_its_folds_can_show(folder):
    """Pooled ECE at most 0.03; the mean fold ECE no worse than a perfectly calibrated model's
    would be on folds of that size (95th percentile of the simulated floor)."""
    metrics = json.loads((folder / "bundle.json").read_text())["metrics"]
    calibration = metrics["calibration"]
    shipped = calibration["cross_fitted_platt" if calibration["applied"] else "uncalibrated"]
    assert shipped["pooled_ece"] <= 0.03
    assert metrics["mean"]["ece"] <= calibration["ece_if_perfectly_calibrated"]["p95"]


@pytest.mark.parametrize("folder", BUNDLES, ids=lambda p: p.name)
def test_bundle_keeps_protected_columns_out_and_reports_their_impact(folder):
    bundle = json.loads((folder / "bundle.json").read_text())
    protected = {p["name"] for p in bundle["protected_inputs"]}
    assert not protected & set(bundle["model_features"]) and not protected & {f["name"] for f in bundle["features"]}
    booster = lgb.Booster(model_file=str(folder / "model.txt"))
    constraints = booster.dump_model()["monotone_constraints"] if "monotone_constraints" in booster.dump_model() else None
    assert bundle["monotone_constraints"]
    if constraints is not None:
        assert {m: c for m, c in zip(bundle["model_features"], constraints) if c} == bundle["monotone_constraints"]
    if bundle["age"] and bundle["age"]["column"] in bundle["model_features"]:
        assert bundle["monotone_constraints"][bundle["age"]["column"]] == -1
    attributes = [a["name"] for a in bundle["fairness"]["attributes"]]
    assert attributes == [p["name"] for p in bundle["protected_inputs"]] + ([bundle["age"]["column"]] if bundle["age"] else [])
