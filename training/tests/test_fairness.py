"""The disparate impact report against fairlearn's MetricFrame, and the recipe rules that keep
protected columns out of the model."""

import copy
import json

import numpy as np
import pandas as pd
import pytest
from fairlearn.metrics import MetricFrame, selection_rate, true_positive_rate

from loanrisk_training import pipeline
from loanrisk_training.recipe import RecipeError, check_recipe, load_recipe

CREATED = "2026-01-01T00:00:00Z"


@pytest.fixture(scope="module", params=["german_credit", "credit_data"])
def built(request, tmp_path_factory):
    dataset = request.param
    options = pipeline.Options(dataset=dataset, out=tmp_path_factory.mktemp(dataset), quick=True, created=CREATED,
                               workers=1, log=lambda *_: None)
    result = pipeline.build(options)
    recipe = load_recipe(dataset)
    t = pipeline.load_training_data(recipe, pipeline.settings(options, recipe), pipeline.REPO / recipe["data_file"], options.seed)
    return result, t


def groups_for(t, name: str) -> np.ndarray:
    """The oracle's own grouping: protected labels as loaded, age cut into the recipe's bands by pandas."""
    age = t.recipe["age"]
    if name == age["column"]:
        edges = age["bands"]
        names = [f"under {edges[0]}"] + [f"{lo}-{hi - 1}" for lo, hi in zip(edges, edges[1:])] + [f"{edges[-1]} and over"]
        cut = pd.cut(t.raw[name], bins=[-np.inf] + edges + [np.inf], right=False, labels=names)
        return cut.astype(object).where(cut.notna(), "not given").to_numpy()
    column = t.protected_raw[name]
    return column.astype(object).where(column.notna(), "not given").to_numpy()


def test_every_group_rate_equals_fairlearns(built):
    result, t = built
    bundle = result["bundle"]
    p, y = result["oof"].pooled(result["y"])
    approved = p < bundle["policy"]["approve_below"]
    attributes = bundle["fairness"]["attributes"]
    protected = [f["name"] for f in t.recipe["features"] if f.get("role") == "protected"]
    assert [a["name"] for a in attributes] == protected + [t.recipe["age"]["column"]]
    for attribute in attributes:
        groups = np.tile(groups_for(t, attribute["name"]), len(p) // len(t.y))
        frame = MetricFrame(metrics={"selection_rate": selection_rate, "tpr": true_positive_rate},
                            y_true=(y == 0).astype(int), y_pred=approved.astype(int), sensitive_features=groups)
        ours = {g["group"]: g for g in attribute["groups"]}
        assert set(ours) == set(frame.by_group.index)
        for group, row in frame.by_group.iterrows():
            assert ours[group]["approval_rate"] == pytest.approx(row["selection_rate"], abs=1e-12)
            assert ours[group]["true_positive_rate"] == pytest.approx(row["tpr"], abs=1e-12)
        # Ratios and gaps are taken over the groups large enough to judge, with the attribute given.
        judged = np.isin(groups, [g["group"] for g in attribute["groups"] if g["applicants"] >= 30 and g["group"] != "not given"])
        assert judged.any()
        among = MetricFrame(metrics={"selection_rate": selection_rate, "tpr": true_positive_rate},
                            y_true=(y[judged] == 0).astype(int), y_pred=approved[judged].astype(int), sensitive_features=groups[judged])
        assert attribute["lowest_adverse_impact_ratio"] == pytest.approx(among.ratio(method="between_groups")["selection_rate"], abs=1e-12)
        assert attribute["true_positive_rate_gap"] == pytest.approx(among.difference(method="between_groups")["tpr"], abs=1e-12)
        assert all(g["judged"] == (g["applicants"] >= 30 and g["group"] != "not given") for g in attribute["groups"])
        assert attribute["passes_four_fifths"] == (attribute["lowest_adverse_impact_ratio"] >= 0.8)
        best = max((g for g in ours.values() if g["judged"]), key=lambda g: g["approval_rate"])
        assert attribute["most_favoured"] == best["group"] and best["adverse_impact_ratio"] == 1.0
        assert attribute["reading"].startswith(attribute["phrase"] + ": approval rates range from")


def test_protected_columns_are_recorded_never_used_nor_asked_for(built):
    result, t = built
    bundle = result["bundle"]
    protected = {f["name"] for f in t.recipe["features"] if f.get("role") == "protected"}
    assert protected and {p["name"] for p in bundle["protected_inputs"]} == protected
    assert not protected & set(bundle["model_features"])
    assert not protected & {f["name"] for f in bundle["features"]}
    for name in ("template", "sample"):
        header = (result["samples_dir"] / f"{bundle['name']}-{name}.csv").read_text().splitlines()[0].split(",")
        assert not protected & set(header)
    age = t.recipe["age"]["column"]
    assert bundle["monotone_constraints"][age] == -1


def test_the_cost_of_each_choice_is_measured_on_the_same_folds(built):
    result, _ = built
    table = {v["variant"]: v for v in result["bundle"]["metrics"]["inputs_and_constraints"]}
    assert set(table) == {"shipped", "without_monotone_constraints", "with_protected_inputs", "age_excluded"}
    assert table["shipped"]["auc_vs_shipped"] == 0.0
    folds = len(result["bundle"]["metrics"]["per_fold"])
    for v in table.values():
        assert 0.5 < v["roc_auc"] < 1 and v["auc_vs_shipped_se"] >= 0
    assert folds >= 2


def recipe_with(change) -> dict:
    recipe = copy.deepcopy(load_recipe("german_credit"))
    change(recipe)
    return recipe


def test_a_protected_column_cannot_be_a_model_feature():
    with pytest.raises(RecipeError, match="never a model input"):
        check_recipe(recipe_with(lambda r: r["model_features"].append("foreign_worker")))


def test_a_protected_column_needs_its_basis():
    def drop_basis(r):
        next(f for f in r["features"] if f["name"] == "foreign_worker").pop("basis")
    with pytest.raises(RecipeError, match="basis"):
        check_recipe(recipe_with(drop_basis))


def test_age_as_an_input_must_never_raise_the_risk():
    with pytest.raises(RecipeError, match="62 or over"):
        check_recipe(recipe_with(lambda r: r["monotone"].pop("age_in_years")))
    with pytest.raises(RecipeError, match="62 or over"):
        check_recipe(recipe_with(lambda r: r["monotone"].update({"age_in_years": 1})))


def test_the_bundle_json_round_trips(built):
    result, _ = built
    on_disk = json.loads((result["out"] / "bundle.json").read_text())
    assert on_disk["fairness"] == json.loads(json.dumps(result["bundle"]["fairness"]))
