"""The "## Bundled models" section at the end of Data/models/README.md, rendered from the
bundles' bundle.json files. Everything above that heading (the contract) is kept as it is."""

from __future__ import annotations

import json
from pathlib import Path

from . import missingness

REPO = Path(__file__).resolve().parents[2]
README = REPO / "Data" / "models" / "README.md"
HEADING = "## Bundled models"
ORDER = ["lending-club", "german-credit", "credit-data"]


def _bundles() -> list[dict]:
    found = {p.parent.name: json.loads(p.read_text()) for p in (REPO / "Data" / "models").glob("*/bundle.json")}
    return [found[n] for n in ORDER if n in found] + [found[n] for n in sorted(found) if n not in ORDER]


def _pct(x: float) -> str:
    return f"{100 * x:.1f} %"


def render(bundles: list[dict]) -> str:
    lines = [HEADING, "",
             "Written by `python training/train.py --update-readme` from the bundles below; rebuild a bundle with "
             "`python training/train.py --dataset <dataset>`. All figures are out-of-fold: stratified 5-fold CV repeated "
             "3 times on the training rows (the held-out sample rows excluded); ± is the standard deviation over the 15 "
             "folds. ECE: 10 equal-width bins, mean over the folds. Nested AUC: the whole hyperparameter search repeated "
             "inside each of the 5 outer folds of the first repeat (3-fold inner CV), scored on the untouched outer fold — "
             "the estimate free of selection optimism. Cut-offs minimise expected cost on the pooled out-of-fold predictions "
             "with the bundle's `policy.costs`; approval, bad rate among approved, recall of defaulters (share of bads "
             "declined outright) and review rate are from the same predictions. Tests: `pytest training`.", "",
             "| bundle | rows (bad rate) | CV ROC-AUC | Gini | KS | Brier | ECE | nested AUC | approve below | decline from | "
             "approval rate | bad rate approved | recall of defaulters | review rate |",
             "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for b in bundles:
        m, sd, p, cv = b["metrics"]["mean"], b["metrics"]["std"], b["policy"], b["metrics"]["cv"]
        nested = b["metrics"].get("nested")
        nested_auc = f"{nested['roc_auc']:.3f} ± {nested['roc_auc_std']:.3f}" if nested else "–"
        decline = f"{p['decline_at_or_above']:.4g}" if p["decline_at_or_above"] <= 1 else "never"
        lines.append(f"| `{b['name']}` | {cv['rows']:,} ({_pct(cv['bad_rate'])}) | {m['roc_auc']:.3f} ± {sd['roc_auc']:.3f} | "
                     f"{m['gini']:.3f} | {m['ks']:.3f} | {m['brier']:.4f} | {m['ece']:.4f} | {nested_auc} | "
                     f"{p['approve_below']:.4g} | {decline} | {_pct(p['approval_rate'])} | {_pct(p['bad_rate_among_approved'])} | "
                     f"{_pct(p['recall_of_defaulters'])} | {_pct(p['review_rate'])} |")
    lines += ["", "Costs, imbalance handling and calibration:", ""]
    for b in bundles:
        c, cal, imb = b["policy"]["costs"], b["metrics"]["calibration"], b["metrics"]["imbalance"]
        lines.append(f"- `{b['name']}`: approving a bad costs {c['false_approve']:g}, declining a good {c['false_decline']:g}, "
                     f"a review {c['review']:g} and catches {c['review_catch_rate']:.0%} of the bads it sees — {c['basis']} "
                     f"Imbalance: **{imb['chosen']}**. Calibration: **{'Platt, folded into model.txt' if cal['applied'] else 'none applied'}** "
                     f"(ECE of the pooled out-of-fold predictions {cal['uncalibrated']['pooled_ece']:.4f} uncalibrated, "
                     f"{cal['cross_fitted_platt']['pooled_ece']:.4f} with cross-fitted Platt; Brier {cal['uncalibrated']['brier']:.4f} vs "
                     f"{cal['cross_fitted_platt']['brier']:.4f}).")
    lines += ["", "### Algorithm comparison (same folds, same features)", "",
              "| bundle | algorithm | ROC-AUC | Gini | KS | Brier | ECE | AUC vs shipped (± SE) |", "|---|---|---|---|---|---|---|---|"]
    for b in bundles:
        for r in b["metrics"]["comparison"]:
            vs = "shipped" if r["shipped"] else f"{r['auc_vs_shipped']:+.4f} ± {r['auc_vs_shipped_se']:.4f}"
            lines.append(f"| `{b['name']}` | {r['algorithm']} | {r['roc_auc']:.3f} ± {r['roc_auc_std']:.3f} | {r['gini']:.3f} | "
                         f"{r['ks']:.3f} | {r['brier']:.4f} | {r['ece']:.4f} | {vs} |")
    lines += ["", "### Class imbalance (tuned LightGBM, same folds)", "",
              "| bundle | method | ROC-AUC | KS | Brier | ECE | mean p vs bad rate | AUC gain vs none (± SE) |", "|---|---|---|---|---|---|---|---|"]
    for b in bundles:
        for t in b["metrics"]["imbalance"]["tried"]:
            chosen = " (chosen)" if t["method"] == b["metrics"]["imbalance"]["chosen"] else ""
            lines.append(f"| `{b['name']}` | {t['method']}{chosen} | {t['roc_auc']:.3f} ± {t['roc_auc_std']:.3f} | {t['ks']:.3f} | "
                         f"{t['brier']:.4f} | {t['ece']:.4f} | {t['mean_predicted']:.3f} vs {t['observed_bad_rate']:.3f} | "
                         f"{t['auc_gain_vs_none']:+.4f} ± {t['auc_gain_se']:.4f} |")
    lines += fair_lending(bundles)
    lines += missing_inputs(bundles)
    lines += ["", "### Notes", ""]
    for b in bundles:
        close = [r for r in b["metrics"]["comparison"] if not r["shipped"] and r["auc_vs_shipped"] > 0]
        if close:
            lines.append(f"- `{b['name']}`: " + "; ".join(
                f"{r['algorithm']} scores {r['auc_vs_shipped']:+.4f} AUC against the shipped LightGBM (paired SE "
                f"{r['auc_vs_shipped_se']:.4f}, {'more' if r['auc_vs_shipped'] > 2 * r['auc_vs_shipped_se'] else 'less'} than 2 SE)"
                for r in close) + ". LightGBM is shipped: LoanRisk evaluates LightGBM models natively.")
    lines += EXTRA_KEYS
    return "\n".join(lines) + "\n"


def fair_lending(bundles: list[dict]) -> list[str]:
    """Protected columns, constraints and what they cost; the disparate impact of each policy;
    the calibration floor of small folds."""
    lines = ["", "### Fair lending: protected columns, monotone constraints and their cost (same folds)", "",
             "Protected columns (ECOA / Regulation B 1002.6) are never model inputs and never asked for; they are kept to "
             "measure disparate impact. Age is a model input only where the model is constrained so that the risk never "
             "rises with age. Each row is the shipped configuration with one choice undone.", "",
             "| bundle | model | ROC-AUC | vs shipped (± SE) |", "|---|---|---|---|"]
    for b in bundles:
        for v in b["metrics"].get("inputs_and_constraints", []):
            vs = "shipped" if v["variant"] == "shipped" else f"{v['auc_vs_shipped']:+.4f} ± {v['auc_vs_shipped_se']:.4f}"
            lines.append(f"| `{b['name']}` | {v['setup']} | {v['roc_auc']:.4f} | {vs} |")
    lines += ["", "Monotone constraints (+1: risk never falls as the feature rises; -1: never rises):", ""]
    for b in bundles:
        constraints = b.get("monotone_constraints") or {}
        protected = ", ".join(f"`{p['name']}` ({p['basis']})" for p in b.get("protected_inputs") or [])
        lines.append(f"- `{b['name']}`: " + (", ".join(f"`{k}` {v:+d}" for k, v in constraints.items()) or "none") +
                     (f"; protected: {protected}" if protected else ""))
    lines += ["", "### Disparate impact of the shipped policy (out-of-fold)", "",
              "| bundle | attribute | lowest adverse impact ratio | four-fifths rule | TPR gap | approval rates |", "|---|---|---|---|---|---|"]
    for b in bundles:
        for a in (b.get("fairness") or {}).get("attributes", []):
            rates = "; ".join(f"{g['group']} {_pct(g['approval_rate'])}" for g in a["groups"])
            ratio = a["lowest_adverse_impact_ratio"]
            lines.append(f"| `{b['name']}` | {a['phrase']} ({a['basis']}) | {ratio:.2f} | "
                         f"{'passes' if a['passes_four_fifths'] else 'fails'} | {100 * a['true_positive_rate_gap']:.1f} points | {rates} |")
    silent = [b["name"] for b in bundles if not (b.get("fairness") or {}).get("attributes")]
    if silent:
        lines += ["", ", ".join(f"`{n}`" for n in silent) + ": the training data holds no protected attribute and no age, so the "
                  "disparate impact of the policy cannot be measured from it; a lender must measure it on its own applicants."]
    lines += ["", "Calibration on small folds: the mean fold ECE a perfectly calibrated model would show on folds of this "
              "size (labels drawn from the predictions themselves, 200 draws):", ""]
    for b in bundles:
        cal = b["metrics"]["calibration"]
        floor = cal.get("ece_if_perfectly_calibrated")
        if floor:
            lines.append(f"- `{b['name']}`: fold ECE {b['metrics']['mean']['ece']:.4f} against {floor['mean_fold_ece']:.4f} for a "
                         f"perfectly calibrated model on {floor['fold_rows']}-row folds (95th percentile {floor['p95']:.4f}); "
                         f"pooled ECE {cal['uncalibrated']['pooled_ece']:.4f}.")
    return lines


def missing_inputs(bundles: list[dict]) -> list[str]:
    """Per bundle, the key inputs and every input whose absence lowers the risk (metrics.missing_inputs)."""
    lines = ["", "### Missing inputs and key inputs (training rows)", "",
             "What leaving an input out does to the shipped model's risk: the mean change in log-odds with the input missing "
             "against the same applicant with a typical value (numbers: the lower median; categories: the most frequent label), "
             "over the training rows, and the share of the applicants who give it that would score lower without it. An input "
             "never missing in training has no learned meaning for a missing value: LightGBM scores a missing number as 0 "
             "(a missing interest rate as a 0 % rate). A key input "
             "(`policy.key_inputs`, the recipe's `key_inputs`) is one without which no automatic approval is possible: a "
             "missing one routes an approve to review. Listed: the key inputs and every input whose absence lowers the risk "
             f"by more than {missingness.LOWERS:g}; a non-key input lowering it by more than {missingness.SUGGEST:g} is "
             "suggested as a key input. `python -m loanrisk_training.missingness <bundle folder> --write` (from `training/`) "
             "recomputes it for a bundle.", "",
             "| bundle | input | key input | typical value | missing vs typical (log-odds) | scores lower without it | "
             "missing in training | flag |",
             "|---|---|---|---|---|---|---|---|"]
    for b in bundles:
        rows = b["metrics"].get("missing_inputs") or []
        shown = [r for r in rows if r["key"] or r["missing_vs_typical_log_odds"] < -missingness.LOWERS]
        for r in sorted(shown, key=lambda r: r["missing_vs_typical_log_odds"]):
            share = "–" if r["missing_lowers_risk_share"] is None else _pct(r["missing_lowers_risk_share"])
            lines.append(f"| `{b['name']}` | {r['phrase']} (`{r['input']}`) | {'yes' if r['key'] else 'no'} | {r['typical']} | "
                         f"{r['missing_vs_typical_log_odds']:+.3f} | {share} | {_pct(r['missing_share'])} | {r['flag'] or ''} |")
    return lines


EXTRA_KEYS = [
    "- `german-credit`: three columns use the label `none`, which LoanRisk reads as a missing value; the recipe renames it "
    "(`no other debtors`, `no other plans`, `no telephone`), and templates, samples and bundle use the new labels. "
    "`credit-data`: the source's `99999999` missing-value code does not occur in this copy (already empty cells); the "
    "pipeline would turn it into missing values and count them in `provenance.cleaning`.",
    "- Keys beyond the contract (readers may ignore them): `policy.costs.review_catch_rate`; `policy.decline_rate`, "
    "`bads_caught_including_review`, `expected_cost_per_applicant`, `baseline_cost_per_applicant`, `rates_from`, `holdout` "
    "(the cut-offs applied to the held-out sample); `metrics.definitions`, `calibration`, `search`, `nested` (nested-CV "
    "AUC of the whole search), `holdout`, `reliability_deciles` (the reliability table over prediction deciles, more "
    "telling than equal-width bins when most probabilities are small); `reference.binning`, `reference.source`; "
    "`provenance.rows_used`, `subsample`, `training_rows`, `holdout_rows`, `cleaning`, `dropped_columns`, `libraries`, "
    "`imbalance_method`, `calibration`; `age` (the age column, its report bands and treatment), `metrics.inputs_and_constraints`, "
    "`metrics.calibration.ece_if_perfectly_calibrated`, `fairness` (per protected attribute and age band: applicants, "
    "approval rate, adverse impact ratio, true-positive rate and its gap, and a plain reading), `metrics.missing_inputs` "
    "(per input: what a missing value does to the risk against a typical value, and its flag; definition in "
    "`metrics.definitions.missing_inputs`).",
    "- `metrics.reliability` leaves out bins without predictions. Reference bins: bin i holds edges[i] <= x < edges[i+1] "
    "(the last also x = edges[-1]); proportions are shares of all rows, so they and `missing` sum to 1.",
    "- Every bundle's `golden.csv` is its sample plus edge rows (all missing, missing-value spellings with padded values, "
    "unseen labels, missing categoricals, missing numbers, zero denominators, missing numerators, out-of-range values).",
]


def update() -> None:
    text = README.read_text(encoding="utf-8")
    head = text.split("\n" + HEADING + "\n")[0].rstrip("\n") + "\n"
    README.write_text(head + "\n" + render(_bundles()), encoding="utf-8")
