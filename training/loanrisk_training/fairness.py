"""The disparate impact report: how the shipped policy treats each group of each protected
column (and of age, in bands), measured on the pooled out-of-fold predictions, so that no
row's own label shaped the prediction it is judged by.

Per group: the approval rate (share approved outright; review is not approval), the adverse
impact ratio against the most-favoured group (the four-fifths rule of the US Uniform
Guidelines, used by fair-lending examiners as a first screen), and the true-positive rate,
here the share of good applicants (who repaid) that are approved. The training test checks
every number against fairlearn's MetricFrame.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

FOUR_FIFTHS = 0.8
SMALL_GROUP = 30
NOT_GIVEN = "not given"

DEFINITIONS = {
    "approval_rate": "share of the group's predictions below the approve cut-off (review is not approval)",
    "adverse_impact_ratio": "the group's approval rate divided by the highest approval rate of any group of the same "
                            "attribute; below 0.8 fails the four-fifths rule",
    "true_positive_rate": "share of the group's good applicants (who repaid) that are approved",
    "true_positive_rate_gap": "the highest true-positive rate of any group minus this group's",
    "small": f"fewer than {SMALL_GROUP} applicants: the rates are uncertain",
    "judged": f"the groups the ratios and gaps are taken over: at least {SMALL_GROUP} applicants, attribute given "
              "(the others are listed, measured against the best judged group)",
}


def age_bands(age: pd.Series, edges: list[int]) -> list[str]:
    """'under 25', '25-34', …, '62 and over' for each age; 'not given' when missing."""
    labels = [f"under {edges[0]}"] + [f"{lo}-{hi - 1}" for lo, hi in zip(edges, edges[1:])] + [f"{edges[-1]} and over"]
    out = []
    for value in age.to_numpy(dtype=np.float64):
        out.append(NOT_GIVEN if np.isnan(value) else labels[int(np.searchsorted(edges, value, side="right"))])
    return out


def labels(column: pd.Series) -> list[str]:
    """A categorical column's labels, 'not given' for missing."""
    return [NOT_GIVEN if pd.isna(v) else str(v) for v in column]


def groups_of(t) -> list[dict]:
    """Every attribute the report covers: each protected column, then age in bands."""
    out = [{"name": f["name"], "phrase": f["phrase"], "basis": f["basis"], "role": "protected", "groups": labels(t.protected_raw[f["name"]])}
           for f in t.recipe["features"] if f.get("role") == "protected"]
    age = t.recipe.get("age")
    if age:
        column = t.raw[age["column"]] if age["column"] in t.raw else t.protected_raw[age["column"]]
        out.append({"name": age["column"], "phrase": "Age", "basis": "age", "role": "model input" if age["column"] in t.recipe["model_features"] else "protected",
                    "treatment": age["treatment"], "groups": age_bands(column, age["bands"])})
    return out


def attribute_report(group: np.ndarray, approved: np.ndarray, good: np.ndarray, applicants: np.ndarray) -> list[dict]:
    """Per group, sorted by name: rates over the pooled predictions;
    `applicants` counts each applicant once (predictions repeat per repeat)."""
    rows = []
    for name in sorted(set(group.tolist())):
        mine = group == name
        goods = mine & good
        rows.append({"group": name, "applicants": int(applicants[name]),
                     "approval_rate": float(approved[mine].mean()),
                     "true_positive_rate": float(approved[goods].mean()) if goods.any() else None})
    for r in rows:
        r["small"] = r["applicants"] < SMALL_GROUP
        r["judged"] = not r["small"] and r["group"] != NOT_GIVEN
    judged = [r for r in rows if r["judged"]] or rows
    best = max(r["approval_rate"] for r in judged)
    best_tpr = max((r["true_positive_rate"] for r in judged if r["true_positive_rate"] is not None), default=None)
    for r in rows:
        r["adverse_impact_ratio"] = float(r["approval_rate"] / best) if best > 0 else None
        r["true_positive_rate_gap"] = (float(best_tpr - r["true_positive_rate"])
                                       if best_tpr is not None and r["true_positive_rate"] is not None else None)
    return rows


def reading(phrase: str, rows: list[dict], model_input: bool) -> str:
    """The table in plain sentences; `model_input`: the attribute is age, used as the law allows."""
    ranked = sorted([r for r in rows if r["judged"]] or rows, key=lambda r: r["approval_rate"])
    low, high = ranked[0], ranked[-1]
    ratio = low["adverse_impact_ratio"]
    text = (f"{phrase}: approval rates range from {low['approval_rate']:.0%} ('{low['group']}') to "
            f"{high['approval_rate']:.0%} ('{high['group']}').")
    if ratio is None:
        return text + " No group is approved, so no ratio can be formed."
    if ratio >= FOUR_FIFTHS:
        text += f" The lowest adverse impact ratio is {ratio:.2f}, at or above four-fifths: the rule indicates no adverse impact."
    else:
        gap = low["true_positive_rate_gap"]
        among_goods = (f"; among applicants who repaid, its approval rate is {100 * gap:.1f} percentage points below the best group's"
                       if gap else "")
        text += (f" The group '{low['group']}' has an adverse impact ratio of {ratio:.2f}, below four-fifths: the rule "
                 f"flags adverse impact{among_goods}.")
    if model_input:
        return text + (" Age is a model input, as Regulation B allows in an empirically derived system, constrained so that "
                       "the estimated risk never rises with age: no applicant aged 62 or over scores worse for being older.")
    if ratio >= FOUR_FIFTHS:
        return text + " The model does not use this attribute."
    return text + (" The model does not use this attribute; the difference comes through the inputs it does use, which a "
                   "lender must be able to justify as predictive of repayment.")


def report(t, pooled_p: np.ndarray, pooled_y: np.ndarray, approve_below: float) -> dict:
    """The `fairness` entry of bundle.json."""
    repeats = len(pooled_p) // len(t.y)
    approved = pooled_p < approve_below
    good = pooled_y == 0
    attributes = []
    for a in groups_of(t):
        once = np.array(a["groups"], dtype=object)
        applicants = pd.Series(once).value_counts().to_dict()
        rows = attribute_report(np.tile(once, repeats), approved, good, applicants)
        judged = [r for r in rows if r["judged"]] or rows
        ratios = [r["adverse_impact_ratio"] for r in judged if r["adverse_impact_ratio"] is not None]
        tprs = [r["true_positive_rate"] for r in judged if r["true_positive_rate"] is not None]
        attributes.append({
            **{k: v for k, v in a.items() if k != "groups"},
            "groups": rows,
            "most_favoured": max(judged, key=lambda r: r["approval_rate"])["group"],
            "lowest_adverse_impact_ratio": min(ratios) if ratios else None,
            "passes_four_fifths": bool(min(ratios) >= FOUR_FIFTHS) if ratios else None,
            "true_positive_rate_gap": float(max(tprs) - min(tprs)) if tprs else None,
            "reading": reading(a["phrase"], rows, a["role"] == "model input"),
        })
    return {
        "source": f"pooled out-of-fold predictions ({len(t.y)} applicants x {repeats} repeats) with the shipped approve cut-off "
                  f"({approve_below:.4g})",
        "definitions": DEFINITIONS,
        "attributes": attributes,
    }
