"""Reference distributions for drift monitoring, and the score scale.

Numeric features: up to 10 bins at the deciles of the non-missing training values (duplicate
edges merged); a feature with at most 10 distinct values gets one bin per value, with edges
half-way between them. Bin i holds edges[i] <= x < edges[i+1]; the last bin also holds
x = edges[-1] (values outside the edges belong to the first or last bin). Proportions are
shares of ALL rows, so sum(proportions) + missing = 1. Categorical features: the share of every
category, in the bundle's category order, and the missing share.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

BINNING = ("numeric: deciles of the training values (or one bin per value when there are at most 10); "
           "bin i holds edges[i] <= x < edges[i+1], the last also x = edges[-1]; out-of-range values go to the "
           "first/last bin; proportions are shares of all rows, so sum(proportions) + missing = 1")


def edges_for(values: np.ndarray) -> np.ndarray:
    distinct = np.unique(values)
    if len(distinct) <= 1:
        return np.array([distinct[0], distinct[0]]) if len(distinct) else np.array([0.0, 0.0])
    if len(distinct) <= 10:
        middle = (distinct[:-1] + distinct[1:]) / 2
        return np.concatenate([[distinct[0]], middle, [distinct[-1]]])
    return np.unique(np.quantile(values, np.linspace(0, 1, 11)))


def proportions(values: np.ndarray, edges: np.ndarray, total: int) -> list[float]:
    bins = len(edges) - 1
    index = np.clip(np.searchsorted(edges, values, side="right") - 1, 0, bins - 1)
    return [float(np.sum(index == b) / total) for b in range(bins)]


def numeric(values: np.ndarray) -> dict:
    present = values[~np.isnan(values)]
    edges = edges_for(present)
    return {"edges": [float(e) for e in edges], "proportions": proportions(present, edges, len(values))}


def features(raw: pd.DataFrame, specs: list[dict]) -> dict:
    out = {}
    for f in specs:
        column = raw[f["name"]]
        missing = float(column.isna().mean())
        if f["kind"] == "categorical":
            shares = column.value_counts(normalize=False).reindex(column.cat.categories, fill_value=0) / len(column)
            out[f["name"]] = {"kind": "categorical", "categories": list(column.cat.categories),
                              "proportions": [float(s) for s in shares], "missing": missing}
        else:
            out[f["name"]] = {"kind": f["kind"], **numeric(column.to_numpy(dtype=np.float64)), "missing": missing}
    return out


def scaling(base_points: float, base_odds: float, pdo: float) -> dict:
    factor = pdo / math.log(2.0)
    return {"base_points": base_points, "base_odds": base_odds, "pdo": pdo,
            "factor": factor, "offset": base_points - factor * math.log(base_odds)}


def points(p: np.ndarray, scale: dict) -> np.ndarray:
    """Unrounded points (the app rounds to a whole number for display)."""
    q = np.clip(p, 1e-12, 1 - 1e-12)
    return scale["offset"] - scale["factor"] * np.log(q / (1 - q))
