"""What a missing input does to the risk, per input, asked of the model itself (LightGBM).

For every input of a bundle and every training row: the model's log-odds with that input made
missing, minus its log-odds with the input set to a typical value (numbers: the lower median of
the training rows, a value applicants do give; categories: the most frequent label), the
applicant's other inputs as given and the derived features recomputed from the bundle's own
spec, exactly as LoanRisk scores an upload. The mean of that difference says what leaving the
input out does to an ordinary applicant; the share of the rows that give the input and would
score lower without it says how often leaving it out pays.

Rows: the training rows (the held-out sample excluded), the same rows the bundle's reference
distributions describe: 9,557 / 900 / 4,154 rows against 300 / 100 / 300 sample rows, so the
means are steady, and they are the population the model was fitted to.

A model can only learn what "missing" means from rows where it was missing. Of the shipped
bundles' inputs only five of credit-data's ever are (Income 8.4 % of the rows, less for Assets,
Debt, Home, Job); LightGBM scores a number it never saw missing as 0 (measured on lending-club:
int_rate, funded_amnt and annual_inc missing give the log-odds of 0, to the bit), so a
missing interest rate scores as a 0 % rate, the lowest risk. An input whose absence lowers the
risk is a way to an approval by leaving a field blank: key inputs (policy.key_inputs) close
it, since a missing key input routes an approve to review.

    cd training && python -m loanrisk_training.missingness ../Data/models/lending-club [--write]

prints the analysis of a shipped bundle (from its dataset file, recipe and model.txt) and with
--write stores it as bundle.json's metrics.missing_inputs (model.txt untouched).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import lightgbm as lgb
import numpy as np
import pandas as pd

from . import calibration, data, derived

# A key input is flagged when its absence lowers the mean log-odds by more than 0.02, the
# default reason floor (policy.reason_floor): a smaller change would not even be a principal
# reason. Key inputs are protected already (a missing one routes an approve to review); the
# flag says the protection is needed.
LOWERS = 0.02
# Another input is suggested as a key input when its absence lowers the mean log-odds by more
# than 0.10 (odds about 10 % lower). Measured on the shipped bundles (2026-12-07): lending-club's
# non-key inputs lower it by at most 0.054 (all_util), german-credit's savings and instalment
# rate by 0.52 and 0.32, the next (telephone) by 0.07; 0.10 keeps the clear cases and leaves
# the small ones to the table.
SUGGEST = 0.10

DEFINITION = (
    "per input, over the training rows (the held-out sample excluded): missing_vs_typical_log_odds = mean over the rows of "
    "the shipped model's log-odds with the input missing minus with it set to its typical value (`typical`, as a CSV cell: "
    "numbers the lower median of the training rows, categories the most frequent label), the other inputs as given, derived features recomputed; "
    "missing_lowers_risk_share = share of the rows that give the input whose log-odds are lower with it missing than with their "
    "own value; missing_share = share of the rows without it; flag when the mean is below "
    f"-{LOWERS:g} for a key input (policy.key_inputs: a missing one routes an approve to review) or below -{SUGGEST:g} for another"
)
KEY_FLAG = "key input whose absence lowers the risk: a missing one routes an approve to review"
SUGGEST_FLAG = "absence lowers the risk; consider making it a key input"

REPO = Path(__file__).resolve().parents[2]


class MissingnessError(ValueError):
    pass


def typical(column: pd.Series) -> float | str | None:
    """The lower median of a number's given values (a value an applicant did give), or the
    most frequent label of a category (the first in category order on a tie)."""
    if isinstance(column.dtype, pd.CategoricalDtype):
        counts = column.value_counts(sort=False)
        return str(counts.idxmax()) if counts.max() > 0 else None
    given = column.to_numpy(dtype=np.float64)
    given = given[~np.isnan(given)]
    return float(np.percentile(given, 50, method="lower")) if len(given) else None


def as_text(value: float | str | None, kind: str) -> str | None:
    """A typical value as a CSV cell would give it ("48", "13.49", "C1"): one type for readers."""
    if value is None or isinstance(value, str):
        return value
    return str(int(value)) if kind == "integer" or value.is_integer() else repr(value)


def with_value(raw: pd.DataFrame, name: str, value: float | str | None) -> pd.DataFrame:
    """`raw` with every row's `name` set to `value` (None: missing), typed as before."""
    out = raw.copy()
    column = raw[name]
    if isinstance(column.dtype, pd.CategoricalDtype):
        out[name] = pd.Categorical([value] * len(raw), categories=column.cat.categories)
    else:
        out[name] = np.full(len(raw), np.nan if value is None else float(value))
    return out


def log_odds(booster: lgb.Booster, raw: pd.DataFrame, spec: dict) -> np.ndarray:
    """The model's log-odds for typed raw rows, through the bundle's derived-feature spec."""
    frame = derived.model_frame(raw, spec["derived_features"], spec["model_features"])
    return calibration.margin(booster.predict(frame))


def analyse(booster: lgb.Booster, raw: pd.DataFrame, features: list[dict], spec: dict, key_inputs: list[str]) -> list[dict]:
    """metrics.missing_inputs: one entry per input in `features` (bundle.json's features)."""
    own = log_odds(booster, raw, spec)
    out = []
    for f in features:
        name = f["name"]
        value = typical(raw[name])
        missing = log_odds(booster, with_value(raw, name, None), spec)
        usual = log_odds(booster, with_value(raw, name, value), spec) if value is not None else missing
        given = raw[name].notna().to_numpy()
        effect = float(np.mean(missing - usual))
        key = name in key_inputs
        flag = KEY_FLAG if key and effect < -LOWERS else SUGGEST_FLAG if not key and effect < -SUGGEST else None
        out.append({
            "input": name, "phrase": f["phrase"], "key": key, "typical": as_text(value, f["kind"]),
            "missing_vs_typical_log_odds": round(effect, 4),
            "missing_lowers_risk_share": round(float(np.mean(missing[given] < own[given])), 4) if given.any() else None,
            "missing_share": round(float(1 - given.mean()), 4),
            "flag": flag,
        })
    return out


def recipe_for(bundle: dict) -> dict:
    """The recipe that built `bundle` (the one naming its bundle_name)."""
    from .recipe import available, load_recipe

    for name in available():
        recipe = load_recipe(name)
        if recipe["bundle_name"] == bundle["name"]:
            return recipe
    raise MissingnessError(f"No recipe in training/recipes builds the bundle '{bundle['name']}'.")


def training_rows(bundle: dict) -> pd.DataFrame:
    """The shipped bundle's training rows, typed with its own categories: its dataset file
    split again with its recorded seed, subsample and hold-out, checked against provenance."""
    from .pipeline import load_training_data

    prov = bundle["provenance"]
    path = REPO / prov["dataset_file"]
    if data.sha256_file(path) != prov["dataset_sha256"]:
        raise MissingnessError(f"{prov['dataset_file']} is not the file '{bundle['name']}' was trained on (sha256 differs).")
    t = load_training_data(recipe_for(bundle), {"subsample": prov["subsample"], "holdout": prov["holdout_rows"]}, path, prov["seed"])
    names = [f["name"] for f in bundle["features"]]
    if len(t.y) != prov["training_rows"] or t.dev.columns != names:
        raise MissingnessError(f"The recipe splits {len(t.y)} training rows of {t.dev.columns}; '{bundle['name']}' was trained "
                               f"on {prov['training_rows']} rows of {names}.")
    cats = {f["name"]: f["categories"] for f in bundle["features"] if f["kind"] == "categorical"}
    return data.raw_frame(names, t.dev.text, bundle["features"], cats)


def for_bundle(folder: Path) -> list[dict]:
    """metrics.missing_inputs of a shipped bundle folder, recomputed."""
    bundle = json.loads((Path(folder) / "bundle.json").read_text(encoding="utf-8"))
    booster = lgb.Booster(model_file=str(Path(folder) / "model.txt"))
    return analyse(booster, training_rows(bundle), bundle["features"], bundle, bundle["policy"].get("key_inputs", []))


def store(bundle: dict, missing_inputs: list[dict]) -> dict:
    """`bundle` with metrics.missing_inputs (after inputs_and_constraints, where a build puts it)
    and its definition."""
    metrics = {k: v for k, v in bundle["metrics"].items() if k != "missing_inputs"}
    placed = {}
    for k, v in metrics.items():
        placed[k] = v
        if k == "inputs_and_constraints":
            placed["missing_inputs"] = missing_inputs
    placed.setdefault("missing_inputs", missing_inputs)
    placed["definitions"] = {**placed["definitions"], "missing_inputs": DEFINITION}
    return {**bundle, "metrics": placed}


def describe(name: str, rows: list[dict]) -> str:
    lines = [f"{name}: mean change in log-odds, input missing vs typical (share of rows that score lower without it)"]
    for r in sorted(rows, key=lambda r: r["missing_vs_typical_log_odds"]):
        share = "–" if r["missing_lowers_risk_share"] is None else f"{100 * r['missing_lowers_risk_share']:.0f} %"
        lines.append(f"  {r['input']:<40} {'key' if r['key'] else '   '} {r['missing_vs_typical_log_odds']:+.3f} ({share})"
                     + (f"  <- {r['flag']}" if r["flag"] else ""))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="What a missing input does to a shipped bundle's risk (metrics.missing_inputs).")
    parser.add_argument("folders", nargs="+", type=Path, help="bundle folders, e.g. Data/models/lending-club")
    parser.add_argument("--write", action="store_true", help="store the analysis in each bundle.json (model.txt untouched)")
    args = parser.parse_args(argv)
    from . import bundle as bundle_file

    for folder in args.folders:
        rows = for_bundle(folder)
        print(describe(folder.name, rows))
        if args.write:
            path = folder / "bundle.json"
            bundle_file.write(path, store(json.loads(path.read_text(encoding="utf-8")), rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
