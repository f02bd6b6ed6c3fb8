"""A dataset recipe: everything about one bundle that is a decision rather than a result.

Recipes live in training/recipes/<dataset>.json. The keys (all required unless noted):

    dataset, bundle_name, version, title, description, data_file (relative to the repo)
    target            {column, positive_label, negative_label, definition}
    id_prefix         sample ids are "<id_prefix>-<6-digit source row>" in column `applicant_id`
    features          the data's columns, in template order, each with its role:
                      {name, kind: numeric|integer|categorical, description, unit, phrase,
                       labels (optional, categorical): {label: words for an applicant},
                       role (optional): "feature" (the default: the applicant supplies it and
                       the model may use it) or "protected" (a prohibited basis of a credit
                       decision, ECOA / Regulation B 1002.6: kept for the fairness report, never
                       a model input, never asked for; needs `basis`, the basis it is)}
    dropped_columns   (optional) {column: why it is not used}: role "dropped"
                      (the id role is the generated `applicant_id`, see id_prefix)
    age               (optional) {column, bands: [band edges in years], treatment}: the
                      applicant's age, reported in bands by the fairness report; the law allows
                      it as a model input only if applicants aged 62 or over are never
                      disadvantaged, so a model feature `column` must be monotone -1
    recode            (optional) {column: {old label: new label}} applied on loading
    missing_codes     (optional) {column: [numbers meaning "unknown"]} turned into missing
    derived_features  the bundle's derived-feature spec (with description and phrase, and for a
                      ratio, difference or product optionally `unit`: "share" for a fraction
                      reasons show as a percentage, or words written after the number, e.g.
                      "times" for a multiple; without it reasons infer one from the columns' units)
    model_features    the model's features in order (raw or derived names)
    monotone          (optional) {model feature: +1 | -1}: risk never lower (+1) or never
                      higher (-1) as the feature rises, a matter of policy (LightGBM's
                      monotone_constraints, method "advanced")
    costs             {false_approve, false_decline, review, review_catch_rate, basis}
    reason_floor      (optional, default 0.02) the smallest contribution, in log-odds, that is a
                      principal reason (bundle.json's policy.reason_floor)
    key_inputs        (optional, default none) input features (role "feature") without which no
                      automatic approval is possible: LoanRisk routes an approve of an applicant
                      missing one to review (bundle.json's policy.key_inputs). Choose them with
                      the report's metrics.missing_inputs: an input whose absence lowers the
                      risk is one a missing value would otherwise turn into an approval
    score_scaling     {base_points, base_odds, pdo}
    holdout_rows      rows held out of all training (they become the sample)
    search            {trials, checkpoints: [tree counts], space: {param: [values]}}
"""

from __future__ import annotations

import json
from pathlib import Path

from .derived import validate_spec

RECIPES = Path(__file__).resolve().parents[1] / "recipes"
KINDS = {"numeric", "integer", "categorical"}
ROLES = {"feature", "protected"}
REQUIRED = [
    "dataset", "bundle_name", "version", "title", "description", "data_file", "target", "id_prefix",
    "features", "derived_features", "model_features", "costs", "score_scaling", "holdout_rows", "search",
]


class RecipeError(ValueError):
    pass


def inputs(recipe: dict) -> list[dict]:
    """The columns an applicant supplies and the model may use (role "feature"), in template order."""
    return [f for f in recipe["features"] if f.get("role", "feature") == "feature"]


def protected(recipe: dict) -> list[dict]:
    """The protected columns (role "protected"): read for the fairness report only."""
    return [f for f in recipe["features"] if f.get("role") == "protected"]


def available() -> list[str]:
    return sorted(p.stem for p in RECIPES.glob("*.json"))


def load_recipe(dataset: str) -> dict:
    path = RECIPES / f"{dataset}.json"
    if not path.exists():
        raise RecipeError(f"No recipe for dataset '{dataset}' (known: {', '.join(available())}).")
    recipe = json.loads(path.read_text(encoding="utf-8"))
    check_recipe(recipe)
    return recipe


def check_recipe(recipe: dict) -> None:
    missing = [key for key in REQUIRED if key not in recipe]
    if missing:
        raise RecipeError(f"Recipe '{recipe.get('dataset', '?')}' lacks {', '.join(missing)}.")
    names = [f["name"] for f in recipe["features"]]
    if len(set(names)) != len(names):
        raise RecipeError("Duplicate raw feature names.")
    for f in recipe["features"]:
        if f.get("kind") not in KINDS:
            raise RecipeError(f"Feature '{f['name']}' has kind {f.get('kind')!r}; use one of {sorted(KINDS)}.")
        for key in ("description", "phrase"):
            if not f.get(key):
                raise RecipeError(f"Feature '{f['name']}' needs a {key}.")
        if f.get("role", "feature") not in ROLES:
            raise RecipeError(f"Feature '{f['name']}' has role {f.get('role')!r}; use one of {sorted(ROLES)}.")
        if f.get("role") == "protected" and not f.get("basis"):
            raise RecipeError(f"Protected column '{f['name']}' needs a `basis` (the prohibited basis it is).")
        labels = f.get("labels")
        if labels is not None and (f["kind"] != "categorical" or not isinstance(labels, dict)
                                   or not all(isinstance(v, str) and v.strip() for v in labels.values())):
            raise RecipeError(f"Feature '{f['name']}': labels are words for a categorical feature's labels, {{label: text}}.")
    barred = {f["name"] for f in protected(recipe)}
    read = set(recipe["model_features"]) | {d.get(k) for d in recipe["derived_features"]
                                            for k in ("source", "numerator", "denominator", "left", "right")}
    if barred & read:
        raise RecipeError(f"Protected columns {sorted(barred & read)} are model features or read by a derived feature; "
                          "a protected column is never a model input.")
    kinds = {f["name"]: f["kind"] for f in inputs(recipe)}
    validate_spec(kinds, recipe["derived_features"])
    names = [f["name"] for f in inputs(recipe)]
    known = set(names) | {d["name"] for d in recipe["derived_features"]}
    unknown = [m for m in recipe["model_features"] if m not in known]
    if unknown:
        raise RecipeError(f"Model features {unknown} are neither raw nor derived features.")
    if len(set(recipe["model_features"])) != len(recipe["model_features"]):
        raise RecipeError("Duplicate model features.")
    for name in recipe.get("monotone", {}):
        if name not in recipe["model_features"] or kinds.get(name) == "categorical":
            raise RecipeError(f"Monotone constraint on '{name}', which is not a numeric model feature.")
    used = set(recipe["model_features"])
    for d in recipe["derived_features"]:
        used |= {d.get(k) for k in ("source", "numerator", "denominator", "left", "right")}
    idle = [n for n in names if n not in used]
    if idle:
        raise RecipeError(f"Raw features {idle} are neither model features nor read by a derived feature; drop them.")
    check_age(recipe)
    check_key_inputs(recipe)


def check_key_inputs(recipe: dict) -> None:
    """Key inputs are named input features, each once: a key input the applicant is never asked
    for (protected, dropped, unknown) would send every applicant to review."""
    keys = recipe.get("key_inputs", [])
    if not isinstance(keys, list) or not all(isinstance(k, str) for k in keys):
        raise RecipeError(f"Recipe '{recipe['dataset']}': key_inputs is a list of input feature names.")
    names = [f["name"] for f in inputs(recipe)]
    unknown = [k for k in keys if k not in names]
    if unknown:
        raise RecipeError(f"Recipe '{recipe['dataset']}': key inputs {unknown} are not input features "
                          f"(the inputs are: {', '.join(names)}).")
    if len(set(keys)) != len(keys):
        raise RecipeError(f"Recipe '{recipe['dataset']}': duplicate key inputs.")


def check_age(recipe: dict) -> None:
    """Age may be a model input only where risk never rises with it (Regulation B 1002.6(b)(2):
    applicants aged 62 or over must not be disadvantaged)."""
    age = recipe.get("age")
    if age is None:
        return
    if age.get("column") not in {f["name"] for f in recipe["features"]} or not age.get("bands") or not age.get("treatment"):
        raise RecipeError("`age` needs a column of the data, band edges and a treatment.")
    if age["column"] in recipe["model_features"] and recipe.get("monotone", {}).get(age["column"]) != -1:
        raise RecipeError(f"Age '{age['column']}' is a model feature without monotone -1: applicants aged 62 or over could be disadvantaged.")
