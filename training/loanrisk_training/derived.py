"""The derived-feature executor: the Python twin of Swift's `FeaturePipeline`.

The spec is the `derived_features` list of bundle.json (Data/models/README.md); the training
matrix, the golden predictions and the app all compute derived columns from that one spec.
Every op is plain IEEE double arithmetic on float64 arrays, so both sides get identical bits:

    map         label -> number; a label that is missing, not among the feature's
                categories, or not in the mapping -> missing (NaN)
    ratio       numerator / denominator; NaN if either is NaN or the denominator is 0
    difference  left - right   (NaN propagates)
    product     left * right   (NaN propagates)

Inputs are a raw frame as `data.raw_frame` makes it: numeric raw columns float64 with NaN for
missing, categorical raw columns pandas Categoricals whose categories are the bundle's.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

OPERANDS = {"map": ("source",), "ratio": ("numerator", "denominator"), "difference": ("left", "right"), "product": ("left", "right")}


class SpecError(ValueError):
    pass


def validate_spec(raw_kinds: dict[str, str], derived: list[dict]) -> None:
    """Checks names resolve in order, as Swift does on loading: map sources are categorical raw
    features, arithmetic operands are numeric raw features or earlier derived features. An
    arithmetic feature may declare how reasons show it (`unit`, display only)."""
    numeric = {name for name, kind in raw_kinds.items() if kind != "categorical"}
    seen = set(raw_kinds)
    for d in derived:
        name, op = d.get("name"), d.get("op")
        if not name or name in seen:
            raise SpecError(f"Derived feature {name!r} has no name or the name of another column.")
        if op not in OPERANDS:
            raise SpecError(f"Derived feature '{name}' has unknown op {op!r} (map, ratio, difference, product).")
        if op == "map":
            if raw_kinds.get(d.get("source")) != "categorical":
                raise SpecError(f"Derived feature '{name}' maps '{d.get('source')}', which is not a categorical raw feature.")
            mapping = d.get("mapping")
            if not isinstance(mapping, dict) or not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in mapping.values()):
                raise SpecError(f"Derived feature '{name}' needs a mapping of labels to numbers.")
        else:
            for key in OPERANDS[op]:
                if d.get(key) not in numeric:
                    raise SpecError(f"Derived feature '{name}' reads {d.get(key)!r} as {key}: not a numeric feature defined before it.")
        unit = d.get("unit")
        if unit is not None and (op == "map" or not isinstance(unit, str) or not unit.strip()):
            raise SpecError(f"Derived feature '{name}' has unit {unit!r}: a ratio, difference or product's unit is "
                            "'share' (a fraction shown as a percentage) or the words written after its number ('times').")
        seen.add(name)
        numeric.add(name)


def _numbers(column: pd.Series) -> np.ndarray:
    return np.asarray(column, dtype=np.float64)


def compute(op: dict, columns: dict[str, pd.Series | np.ndarray]) -> np.ndarray:
    """One derived column from the columns computed so far."""
    kind = op["op"]
    if kind == "map":
        source = columns[op["source"]]
        labels = list(source.cat.categories)
        table = np.array([float(op["mapping"][label]) if label in op["mapping"] else np.nan for label in labels] + [np.nan])
        codes = source.cat.codes.to_numpy()          # -1 for missing / not a category
        return table[np.where(codes < 0, len(labels), codes)]
    a = _numbers(columns[op[OPERANDS[kind][0]]])
    b = _numbers(columns[op[OPERANDS[kind][1]]])
    if kind == "ratio":
        out = np.full(a.shape, np.nan)
        ok = ~np.isnan(a) & ~np.isnan(b) & (b != 0)
        np.divide(a, b, out=out, where=ok)
        return out
    if kind == "difference":
        return a - b
    return a * b


def add_derived(raw: pd.DataFrame, derived: list[dict]) -> pd.DataFrame:
    """`raw` extended with the derived columns, computed in spec order."""
    columns: dict[str, pd.Series | np.ndarray] = {name: raw[name] for name in raw.columns}
    for op in derived:
        columns[op["name"]] = pd.Series(compute(op, columns), index=raw.index, dtype=np.float64)
    return pd.DataFrame(columns, index=raw.index)


def model_frame(raw: pd.DataFrame, derived: list[dict], model_features: list[str]) -> pd.DataFrame:
    """The frame LightGBM sees: raw and derived columns picked in the model's order."""
    return add_derived(raw, derived)[list(model_features)]
