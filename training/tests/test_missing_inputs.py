"""Key inputs and the report's missing-input analysis (metrics.missing_inputs), asked of LightGBM."""

import copy
import hashlib
import json
import shutil
from pathlib import Path

import lightgbm as lgb
import numpy as np
import pandas as pd
import pytest

from loanrisk_training import missingness
from loanrisk_training.recipe import RecipeError, check_recipe, load_recipe

REPO = Path(__file__).resolve().parents[2]
BUNDLES = sorted(p.parent for p in (REPO / "Data" / "models").glob("*/bundle.json"))


@pytest.mark.parametrize("folder", BUNDLES, ids=lambda p: p.name)
def test_shipped_missing_inputs_equal_a_recomputation(folder):
    bundle = json.loads((folder / "bundle.json").read_text())
    stored = bundle["metrics"]["missing_inputs"]
    assert stored == missingness.for_bundle(folder)
    assert [r["input"] for r in stored] == [f["name"] for f in bundle["features"]]
    assert {r["input"] for r in stored if r["key"]} == set(bundle["policy"]["key_inputs"])
    assert bundle["metrics"]["definitions"]["missing_inputs"] == missingness.DEFINITION


def test_shipped_lending_club_flags_interest_rate_and_sub_grade():
    """The issue's finding: a missing interest rate or sub-grade lowers lending-club's risk;
    both are key inputs, so the report flags them as such."""
    bundle = json.loads((REPO / "Data" / "models" / "lending-club" / "bundle.json").read_text())
    rows = {r["input"]: r for r in bundle["metrics"]["missing_inputs"]}
    for name in ("int_rate", "sub_grade"):
        assert rows[name]["key"] and rows[name]["flag"] == missingness.KEY_FLAG
        assert rows[name]["missing_vs_typical_log_odds"] < -0.4
        assert rows[name]["missing_lowers_risk_share"] > 0.8
    flagged = {n for n, r in rows.items() if r["flag"]}
    assert flagged == {"int_rate", "sub_grade"}


def test_shipped_missing_inputs_flags_follow_the_thresholds():
    for folder in BUNDLES:
        for r in json.loads((folder / "bundle.json").read_text())["metrics"]["missing_inputs"]:
            effect = r["missing_vs_typical_log_odds"]
            if r["key"]:
                assert (r["flag"] == missingness.KEY_FLAG) == (effect < -missingness.LOWERS), (folder.name, r)
            else:
                assert (r["flag"] == missingness.SUGGEST_FLAG) == (effect < -missingness.SUGGEST), (folder.name, r)


def test_missing_inputs_command_writes_the_shipped_file_and_leaves_the_model(tmp_path, capsys):
    """--write on a copy of credit-data without the analysis gives back the shipped bundle.json, byte for byte."""
    shipped = REPO / "Data" / "models" / "credit-data"
    folder = tmp_path / "credit-data"
    folder.mkdir()
    shutil.copy(shipped / "model.txt", folder / "model.txt")
    bundle = json.loads((shipped / "bundle.json").read_text())
    del bundle["metrics"]["missing_inputs"]
    del bundle["metrics"]["definitions"]["missing_inputs"]
    (folder / "bundle.json").write_text(json.dumps(bundle, indent=2))
    assert missingness.main([str(folder), "--write"]) == 0
    assert (folder / "bundle.json").read_bytes() == (shipped / "bundle.json").read_bytes()
    assert hashlib.sha256((folder / "model.txt").read_bytes()).hexdigest() == bundle["provenance"]["model_sha256"]
    assert "Price" in capsys.readouterr().out


def test_missing_inputs_finds_an_input_the_model_never_saw_missing():
    """A real LightGBM model whose risk rises with `rate` (10-20, never missing in training):
    LightGBM scores a missing rate as 0, the lowest risk (lower than all but the lowest-rate
    applicants, who tie with it). The analysis flags it as a key input,
    suggests it when it is not one, and leaves the noise input alone."""
    rng = np.random.default_rng(7)
    n = 4000
    rate = rng.uniform(10, 20, n)
    noise = rng.normal(size=n)
    grade = pd.Categorical(rng.choice(["A", "B"], n), categories=["A", "B"])
    y = (rng.uniform(size=n) < 1 / (1 + np.exp(-(rate - 15)))).astype(int)
    raw = pd.DataFrame({"rate": rate, "noise": noise, "grade": grade})
    spec = {"derived_features": [], "model_features": ["rate", "noise", "grade"]}
    booster = lgb.train({"objective": "binary", "verbose": -1, "num_threads": 1, "seed": 1, "min_data_in_leaf": 50},
                        lgb.Dataset(raw[spec["model_features"]], y), num_boost_round=30)
    features = [{"name": "rate", "phrase": "Rate", "kind": "numeric"}, {"name": "noise", "phrase": "Noise", "kind": "numeric"},
                {"name": "grade", "phrase": "Grade", "kind": "categorical"}]
    as_key = {r["input"]: r for r in missingness.analyse(booster, raw, features, spec, ["rate"])}
    assert as_key["rate"]["missing_vs_typical_log_odds"] < -2 and as_key["rate"]["flag"] == missingness.KEY_FLAG
    assert as_key["rate"]["missing_lowers_risk_share"] > 0.8 and as_key["rate"]["missing_share"] == 0
    assert float(as_key["rate"]["typical"]) in set(rate)
    assert as_key["grade"]["typical"] in {"A", "B"}
    assert abs(as_key["noise"]["missing_vs_typical_log_odds"]) < missingness.SUGGEST and as_key["noise"]["flag"] is None
    plain = {r["input"]: r for r in missingness.analyse(booster, raw, features, spec, [])}
    assert plain["rate"]["flag"] == missingness.SUGGEST_FLAG and not plain["rate"]["key"]


def test_recipe_refuses_an_unknown_key_input():
    recipe = copy.deepcopy(load_recipe("lending_club"))
    recipe["key_inputs"] = ["int_rate", "favourite_colour"]
    with pytest.raises(RecipeError, match=r"key inputs \['favourite_colour'\] are not input features"):
        check_recipe(recipe)


def test_recipe_refuses_a_protected_or_repeated_key_input():
    recipe = copy.deepcopy(load_recipe("german_credit"))
    recipe["key_inputs"] = ["personal_status_and_sex"]
    with pytest.raises(RecipeError, match="personal_status_and_sex"):
        check_recipe(recipe)
    recipe["key_inputs"] = ["credit_amount", "credit_amount"]
    with pytest.raises(RecipeError, match="duplicate key inputs"):
        check_recipe(recipe)
    recipe["key_inputs"] = "credit_amount"
    with pytest.raises(RecipeError, match="list of input feature names"):
        check_recipe(recipe)


@pytest.mark.parametrize("dataset", ["lending_club", "german_credit", "credit_data"])
def test_recipe_key_inputs_reach_the_shipped_bundles(dataset):
    recipe = load_recipe(dataset)
    bundle = json.loads((REPO / "Data" / "models" / recipe["bundle_name"] / "bundle.json").read_text())
    assert recipe["key_inputs"] and bundle["policy"]["key_inputs"] == recipe["key_inputs"]
