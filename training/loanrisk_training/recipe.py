"""A dataset recipe: everything about one bundle that is a decision rather than a result.

Recipes live in training/recipes/<dataset>.json. The keys (all required unless noted):

    dataset, bundle_name, version, title, description, data_file (relative to the repo)
    target            {column, positive_label, negative_label, definition}
    id_prefix         sample ids are "<id_prefix>-<6-digit source row>" in column `applicant_id`
    features          raw columns the user supplies, in template order:
                      {name, kind: numeric|integer|categorical, description, unit, phrase,
                       labels (optional, categorical): {label: words for an applicant}}
    dropped_columns   (optional) {column: why it is not used}
    recode            (optional) {column: {old label: new label}} applied on loading
    missing_codes     (optional) {column: [numbers meaning "unknown"]} turned into missing
    derived_features  the bundle's derived-feature spec (with description and phrase)
    model_features    the model's features in order (raw or derived names)
    monotone          (optional) {model feature: +1 | -1}
    costs             {false_approve, false_decline, review, review_catch_rate, basis}
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
REQUIRED = [
    "dataset", "bundle_name", "version", "title", "description", "data_file", "target", "id_prefix",
    "features", "derived_features", "model_features", "costs", "score_scaling", "holdout_rows", "search",
]


class RecipeError(ValueError):
    pass


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
        labels = f.get("labels")
        if labels is not None and (f["kind"] != "categorical" or not isinstance(labels, dict)
                                   or not all(isinstance(v, str) and v.strip() for v in labels.values())):
            raise RecipeError(f"Feature '{f['name']}': labels are words for a categorical feature's labels, {{label: text}}.")
    kinds = {f["name"]: f["kind"] for f in recipe["features"]}
    validate_spec(kinds, recipe["derived_features"])
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
