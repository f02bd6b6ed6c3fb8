#!/usr/bin/env python3
"""Export a fitted scikit-learn classifier or pipeline as a LoanRisk JSON document.

    python training/export_sklearn.py model.skops model.json [--background train.csv]

or from Python: ``export(pipeline, "model.json", background=X_train)``.

LoanRisk scores the document natively (``SklearnModel`` in Sources/Scoring/SKLearn), with
scikit-learn's own numbers: every float is written by ``json`` with ``repr`` (the shortest
string that reads back to the same float64), and everything the prediction depends on is
copied as scikit-learn stored it — tree thresholds and leaf values, the gradient-boosting
baseline as ``_raw_predict_init`` computes it, the imputers' statistics, the scalers' means
and scales. Nothing is refitted or recomputed.

The preprocessing in front of the estimator (Pipeline, ColumnTransformer, SimpleImputer,
StandardScaler, OneHotEncoder, OrdinalEncoder) is written as one recipe per column the
estimator reads: which raw input it comes from and the element-wise steps applied to it.
Every supported transformer works column by column, so any composition of them flattens to
such recipes. Anything else is refused with a message naming it (``UnsupportedModel``).

The CLI reads a skops file (``skops.io``) trusting only the types listed in
``TRUSTED_TYPES``; a pickle is never loaded.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

FORMAT = "loanrisk-sklearn"
FORMAT_VERSION = 1

# The skops types the CLI accepts: the estimators and transformers the reader can serve,
# and the numpy/scikit-learn internals they are made of. Anything else in the file is refused.
TRUSTED_TYPES = {
    "sklearn.pipeline.Pipeline",
    "sklearn.compose._column_transformer.ColumnTransformer",
    "sklearn.impute._base.SimpleImputer",
    "sklearn.preprocessing._data.StandardScaler",
    "sklearn.preprocessing._encoders.OneHotEncoder",
    "sklearn.preprocessing._encoders.OrdinalEncoder",
    "sklearn.preprocessing._function_transformer.FunctionTransformer",
    "sklearn.tree._classes.DecisionTreeClassifier",
    "sklearn.tree._tree.Tree",
    "sklearn.ensemble._forest.RandomForestClassifier",
    "sklearn.ensemble._forest.ExtraTreesClassifier",
    "sklearn.tree._classes.ExtraTreeClassifier",
    "sklearn.ensemble._gb.GradientBoostingClassifier",
    "sklearn.tree._classes.DecisionTreeRegressor",
    "sklearn.dummy.DummyClassifier",
    "sklearn._loss.loss.HalfBinomialLoss",
    "sklearn._loss.link.LogitLink",
    "sklearn._loss.link.Interval",
    "sklearn.ensemble._hist_gradient_boosting.gradient_boosting.HistGradientBoostingClassifier",
    "sklearn.ensemble._hist_gradient_boosting.predictor.TreePredictor",
    "sklearn.ensemble._hist_gradient_boosting.binning._BinMapper",
    "sklearn.linear_model._logistic.LogisticRegression",
    "sklearn.utils.validation.check_array",
    "functools.partial",
    "builtins.slice",
    "numpy.dtype",
    "numpy.ndarray",
    "numpy.int64",
    "numpy.float64",
    "numpy.random.mtrand.RandomState",
    "numpy.random._mt19937.MT19937",
    "collections.OrderedDict",
}


class UnsupportedModel(ValueError):
    """The model (or a step of its pipeline) cannot be served exactly by LoanRisk."""


def _name(obj: Any) -> str:
    return type(obj).__name__


def _float(x: Any) -> float | None:
    """A float for JSON; NaN (which JSON cannot write) as null."""
    x = float(x)
    if math.isnan(x):
        return None
    if math.isinf(x):
        raise UnsupportedModel(f"an infinite value ({x}) cannot be written")
    return x


def _is_nan(x: Any) -> bool:
    return x is None or (isinstance(x, (float, np.floating)) and math.isnan(x))


def _label(x: Any) -> str:
    """A category as LoanRisk shows it: strings as they are, numbers as Python prints them."""
    if isinstance(x, (np.integer,)):
        return str(int(x))
    if isinstance(x, (np.floating,)):
        return repr(float(x))
    return str(x)


# ---------------------------------------------------------------------------
# Flattening the preprocessing into per-column recipes


@dataclass
class Column:
    """One column flowing through the pipeline: its raw input and the steps so far.

    `raw` is true while the column still holds the input's own values (labels for a
    categorical input): only imputers may act on it then. An encoder turns it into numbers."""

    input: int
    ops: list[dict] = field(default_factory=list)
    raw: bool = True


@dataclass
class Flattening:
    names: list[str]
    categories: dict[int, list[Any]] = field(default_factory=dict)  # input -> categories (no NaN)
    numeric: set[int] = field(default_factory=set)

    def mark_categorical(self, column: Column, categories: list[Any], where: str) -> None:
        known = self.categories.get(column.input)
        cats = [c for c in categories if not _is_nan(c)]
        if known is not None and [_label(c) for c in known] != [_label(c) for c in cats]:
            raise UnsupportedModel(
                f"{where}: input {self.names[column.input]!r} is encoded twice with different categories")
        self.categories[column.input] = cats

    def mark_numeric(self, column: Column, where: str) -> None:
        if column.raw:
            self.numeric.add(column.input)


def _select(columns: list[Column], selector: Any, names_in: list[str] | None, where: str) -> list[int]:
    """The positions of the columns a ColumnTransformer entry names: by name, index or mask."""
    positions = list(range(len(columns)))
    if isinstance(selector, slice):
        return positions[selector]
    sel = np.asarray(selector)
    if sel.dtype == bool:
        return [p for p, keep in zip(positions, sel) if keep]
    picked = []
    for s in np.atleast_1d(sel).tolist():
        if isinstance(s, str):
            if names_in is None or s not in names_in:
                raise UnsupportedModel(f"{where}: column {s!r} is not among the inputs")
            picked.append(names_in.index(s))
        elif isinstance(s, int):
            picked.append(positions[s])
        else:
            raise UnsupportedModel(f"{where}: column selector {s!r} is not a name, index or mask")
    return picked


def _apply(step: Any, columns: list[Column], flat: Flattening, names_in: list[str] | None) -> list[Column]:
    """The columns `step` outputs, given the columns it reads."""
    from sklearn.compose import ColumnTransformer
    from sklearn.impute import SimpleImputer
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import FunctionTransformer, OneHotEncoder, OrdinalEncoder, StandardScaler

    where = _name(step)
    if isinstance(step, str):
        if step == "passthrough":
            return list(columns)
        if step == "drop":
            return []
        raise UnsupportedModel(f"transformer {step!r} is not supported")
    if isinstance(step, Pipeline):
        for _, sub in step.steps:
            if sub is None or sub == "passthrough":
                continue
            columns = _apply(sub, columns, flat, names_in)
            names_in = None
        return columns
    if isinstance(step, ColumnTransformer):
        out: list[Column] = []
        fitted_names = getattr(step, "feature_names_in_", None)
        inner_names = [str(n) for n in fitted_names] if fitted_names is not None else names_in
        for name, trans, selector in step.transformers_:
            positions = _select(columns, selector, inner_names, f"ColumnTransformer step {name!r}")
            if not positions:
                continue
            # Copies: one input may feed several transformers.
            picked = [Column(columns[p].input, list(columns[p].ops), columns[p].raw) for p in positions]
            sub_names = [inner_names[p] for p in positions] if inner_names else None
            out += _apply(trans, picked, flat, sub_names)
        return out
    if isinstance(step, SimpleImputer):
        if step.add_indicator:
            raise UnsupportedModel("SimpleImputer with add_indicator=True is not supported")
        if not _is_nan(step.missing_values):
            raise UnsupportedModel(
                f"SimpleImputer with missing_values={step.missing_values!r} is not supported (only NaN)")
        out = []
        for column, stat in zip(columns, step.statistics_):
            if _is_nan(stat):
                raise UnsupportedModel(
                    f"SimpleImputer: input {flat.names[column.input]!r} had no values in training "
                    "(its column is dropped), which is not supported")
            if not column.raw and not isinstance(stat, (int, float, np.number)):
                raise UnsupportedModel("SimpleImputer with a label fill value after an encoder is not supported")
            column.ops.append({"op": "impute", "value": stat})
            out.append(column)
        return out
    if isinstance(step, StandardScaler):
        if step.mean_ is None and step.scale_ is None:
            return list(columns)
        for j, column in enumerate(columns):
            flat.mark_numeric(column, where)
            column.raw = False
            op: dict[str, Any] = {"op": "scale"}
            if step.with_mean:
                op["mean"] = _float(step.mean_[j])
            if step.with_std:
                op["scale"] = _float(step.scale_[j])
            column.ops.append(op)
        return list(columns)
    if isinstance(step, OneHotEncoder):
        if step.handle_unknown != "ignore":
            raise UnsupportedModel(
                f"OneHotEncoder with handle_unknown={step.handle_unknown!r} is not supported: an unseen "
                "label would fail in scikit-learn; refit with handle_unknown='ignore'")
        if getattr(step, "_infrequent_enabled", False):
            raise UnsupportedModel("OneHotEncoder with infrequent categories is not supported")
        out = []
        drops = step.drop_idx_ if step.drop_idx_ is not None else [None] * len(columns)
        for column, cats, drop in zip(columns, step.categories_, drops):
            cats = list(cats)
            column_is_raw = column.raw
            if column_is_raw:
                flat.mark_categorical(column, cats, where)
            for k, cat in enumerate(cats):
                if drop is not None and k == drop:
                    continue
                new = Column(column.input, list(column.ops), raw=False)
                if _is_nan(cat):
                    new.ops.append({"op": "onehot_missing"})
                elif column_is_raw:
                    new.ops.append({"op": "onehot", "label": cat})
                else:
                    new.ops.append({"op": "onehot", "value": _float(cat)})
                out.append(new)
        return out
    if isinstance(step, OrdinalEncoder):
        if step.handle_unknown != "use_encoded_value":
            raise UnsupportedModel(
                f"OrdinalEncoder with handle_unknown={step.handle_unknown!r} is not supported: an unseen "
                "label would fail in scikit-learn; refit with handle_unknown='use_encoded_value'")
        if getattr(step, "_infrequent_enabled", False):
            raise UnsupportedModel("OrdinalEncoder with infrequent categories is not supported")
        for column, cats in zip(columns, step.categories_):
            cats = list(cats)
            nan_seen = bool(cats) and _is_nan(cats[-1])
            known = cats[:-1] if nan_seen else cats
            op: dict[str, Any] = {
                "op": "ordinal",
                "unknown": _float(step.unknown_value),
                # NaN seen in fit: encoded_missing_value; otherwise a missing value is unknown.
                "missing": _float(step.encoded_missing_value) if nan_seen else _float(step.unknown_value),
            }
            if column.raw:
                flat.mark_categorical(column, cats, where)
                op["labels"] = known
            else:
                op["values"] = [_float(c) for c in known]
            column.ops.append(op)
            column.raw = False
        return list(columns)
    if isinstance(step, FunctionTransformer):
        # HistGradientBoosting's own preprocessor passes numeric columns through check_array.
        func = step.func
        target = getattr(func, "func", func)
        # A fitted ColumnTransformer's "passthrough" is FunctionTransformer(None): identity.
        if (func is None or getattr(target, "__name__", "") == "check_array") and step.inverse_func is None:
            return list(columns)
        raise UnsupportedModel(f"FunctionTransformer({getattr(target, '__name__', target)!r}) is not supported")
    raise UnsupportedModel(f"transformer {where} is not supported")


def _finish_columns(columns: list[Column], flat: Flattening) -> list[dict]:
    """Resolve labels to category codes and check every categorical input is encoded."""
    recipes = []
    for column in columns:
        if column.raw:
            if column.input in flat.categories:
                raise UnsupportedModel(
                    f"input {flat.names[column.input]!r} reaches the estimator without an encoder")
            flat.numeric.add(column.input)
        cats = flat.categories.get(column.input)
        labels = [_label(c) for c in cats] if cats is not None else None
        ops = []
        encoded = False
        for op in column.ops:
            op = dict(op)
            if op["op"] == "impute":
                value = op.pop("value")
                if not encoded and labels is not None:
                    if _label(value) in labels:
                        op["value"] = float(labels.index(_label(value)))
                    else:
                        op["unseen"] = True
                else:
                    op["value"] = _float(value)
            elif op["op"] == "onehot" and "label" in op:
                op["value"] = float(labels.index(_label(op.pop("label"))))
            elif op["op"] == "ordinal" and "labels" in op:
                op["values"] = [float(labels.index(_label(c))) for c in op.pop("labels")]
            if op["op"] in ("onehot", "ordinal", "scale"):
                encoded = True
            ops.append(op)
        recipes.append({"input": column.input, "ops": ops})
    both = flat.numeric & set(flat.categories)
    if both:
        name = flat.names[min(both)]
        raise UnsupportedModel(f"input {name!r} is used both as a category and as a number")
    return recipes


# ---------------------------------------------------------------------------
# Estimators


def _sklearn_tree(tree: Any, values: np.ndarray, f32: bool) -> dict:
    """A fitted `sklearn.tree._tree.Tree` with the value each node predicts."""
    left = tree.children_left
    leaves = left == -1
    return {
        "left": [int(v) for v in left],
        "right": [int(v) for v in tree.children_right],
        "feature": [int(f) if not leaf else -1 for f, leaf in zip(tree.feature, leaves)],
        # A split on missingness alone has threshold +inf (every number goes left); JSON
        # cannot write it, so it is null.
        "threshold": [_threshold(t) if not leaf else 0.0 for t, leaf in zip(tree.threshold, leaves)],
        "missing_left": [bool(m) for m in tree.missing_go_to_left],
        "value": [float(v) for v in values],
        "cover": [float(w) for w in tree.weighted_n_node_samples],
    }


def _threshold(t: float) -> float | None:
    t = float(t)
    if t == math.inf:
        return None
    if math.isnan(t) or math.isinf(t):
        raise UnsupportedModel(f"a tree threshold of {t} is not supported")
    return t


def _class_one(tree: Any) -> np.ndarray:
    """The probability of class 1 each node of a classification tree predicts, as
    `predict_proba` returns it (scikit-learn ≥ 1.4 stores the class fractions)."""
    value = tree.value
    if value.shape[1] != 1 or value.shape[2] != 2:
        raise UnsupportedModel(f"a tree with {value.shape[1]} outputs and {value.shape[2]} classes is not binary")
    return value[:, 0, 1]


def _check_binary(model: Any) -> None:
    classes = getattr(model, "classes_", None)
    if classes is None or len(classes) != 2:
        raise UnsupportedModel(f"{_name(model)} is not a binary classifier (classes {classes!r})")


def _hgb_trees(model: Any) -> tuple[list[dict], list[list[int]]]:
    known_bitsets, f_idx_map = model._bin_mapper.make_known_categories_bitsets()
    known = [[int(w) for w in row] for row in known_bitsets]
    trees = []
    for iteration in model._predictors:
        if len(iteration) != 1:
            raise UnsupportedModel("HistGradientBoostingClassifier with more than two classes is not supported")
        predictor = iteration[0]
        nodes = predictor.nodes
        raw_bitsets = predictor.raw_left_cat_bitsets
        n = len(nodes)
        tree = {
            "left": [], "right": [], "feature": [], "threshold": [], "missing_left": [], "value": [],
            "cover": [], "categories": [], "known": [],
        }
        for i in range(n):
            node = nodes[i]
            leaf = bool(node["is_leaf"])
            tree["left"].append(-1 if leaf else int(node["left"]))
            tree["right"].append(-1 if leaf else int(node["right"]))
            tree["feature"].append(-1 if leaf else int(node["feature_idx"]))
            tree["threshold"].append(0.0 if leaf or node["is_categorical"] else float(node["num_threshold"]))
            tree["missing_left"].append(bool(node["missing_go_to_left"]))
            tree["value"].append(float(node["value"]))
            tree["cover"].append(float(node["count"]))
            if not leaf and node["is_categorical"]:
                tree["categories"].append([int(w) for w in raw_bitsets[node["bitset_idx"]]])
                tree["known"].append(int(f_idx_map[node["feature_idx"]]))
            else:
                tree["categories"].append(None)
                tree["known"].append(None)
        trees.append(tree)
    return trees, known


def _estimator(model: Any, width: int, background_columns: np.ndarray | None) -> dict:
    from sklearn.ensemble import (ExtraTreesClassifier, GradientBoostingClassifier,
                                  HistGradientBoostingClassifier, RandomForestClassifier)
    from sklearn.linear_model import LogisticRegression
    from sklearn.tree import DecisionTreeClassifier

    name = _name(model)
    if type(model) is DecisionTreeClassifier:
        _check_binary(model)
        return {"type": name, "trees": [_sklearn_tree(model.tree_, _class_one(model.tree_), True)]}
    if type(model) in (RandomForestClassifier, ExtraTreesClassifier):
        _check_binary(model)
        if getattr(model, "estimators_samples_", None) is None and model.n_outputs_ != 1:
            raise UnsupportedModel(f"{name} with several outputs is not supported")
        return {"type": name, "trees": [_sklearn_tree(e.tree_, _class_one(e.tree_), True) for e in model.estimators_]}
    if type(model) is GradientBoostingClassifier:
        _check_binary(model)
        if model.estimators_.shape[1] != 1:
            raise UnsupportedModel("GradientBoostingClassifier with more than two classes is not supported")
        if model.loss != "log_loss":
            raise UnsupportedModel(f"GradientBoostingClassifier with loss={model.loss!r} is not supported")
        # The baseline exactly as scikit-learn adds it: _raw_predict_init on any row (it is a
        # constant for the prior `init_`); recomputing log(p/(1-p)) moves the last bit.
        if model.init_ == "zero":
            baseline = 0.0
        elif _name(model.init_) == "DummyClassifier" and model.init_.strategy == "prior":
            baseline = float(model._raw_predict_init(np.zeros((1, width), dtype=np.float32))[0, 0])
        else:
            raise UnsupportedModel(f"GradientBoostingClassifier with init={_name(model.init_)} is not supported")
        trees = [_sklearn_tree(e.tree_, e.tree_.value[:, 0, 0], True) for e in model.estimators_[:, 0]]
        return {"type": name, "trees": trees, "baseline": baseline, "learning_rate": float(model.learning_rate)}
    if type(model) is HistGradientBoostingClassifier:
        _check_binary(model)
        trees, known = _hgb_trees(model)
        baseline = np.asarray(model._baseline_prediction).ravel()
        if baseline.size != 1:
            raise UnsupportedModel("HistGradientBoostingClassifier with more than two classes is not supported")
        return {"type": name, "trees": trees, "baseline": float(baseline[0]), "known_categories": known}
    if type(model) is LogisticRegression:
        _check_binary(model)
        if model.coef_.shape[0] != 1:
            raise UnsupportedModel("LogisticRegression with more than two classes is not supported")
        if background_columns is None:
            raise UnsupportedModel(
                "LogisticRegression needs the training data (background=...) to store each column's "
                "mean: contributions are coef·(x − mean), as shap.LinearExplainer computes them")
        means = np.asarray(background_columns, dtype=np.float64).mean(axis=0)
        return {
            "type": name,
            "coef": [float(c) for c in model.coef_[0]],
            "intercept": float(model.intercept_[0]),
            "means": [_float(m) for m in means],
        }
    raise UnsupportedModel(f"estimator {name} is not supported (DecisionTree, RandomForest, ExtraTrees, "
                           "GradientBoosting, HistGradientBoosting classifiers and LogisticRegression are)")


def _hgb_preprocessor(model: Any) -> Any | None:
    return getattr(model, "_preprocessor", None)


def _check_default_class(estimator: Any, default_class: Any) -> None:
    """LoanRisk serves `predict_proba(X)[:, 1]` as the probability of default. With classes
    0/1 (or False/True), 1 is taken to be default; any other labels must be named, or a model
    trained on "bad"/"good" would be served as the probability of "good"."""
    second = estimator.classes_[1]
    if default_class is None:
        if isinstance(second, (bool, np.bool_)) or (isinstance(second, (int, np.integer)) and int(second) == 1
                                                    and int(estimator.classes_[0]) == 0):
            return
        raise UnsupportedModel(
            f"{_name(estimator)} has classes {[_label(c) for c in estimator.classes_]}: LoanRisk serves the probability "
            f"of classes_[1] ({_label(second)!r}) as the probability of default. Train with 1 = default, or say that "
            f"{_label(second)!r} is the default class (export(..., default_class={_label(second)!r}), --default-class)")
    if _label(second) != _label(default_class):
        raise UnsupportedModel(
            f"the default class is {_label(default_class)!r}, but predict_proba's second column is the probability of "
            f"{_label(second)!r} (classes {[_label(c) for c in estimator.classes_]}): retrain with the default class second")


def document(model: Any, background: Any = None, default_class: Any = None) -> dict:
    """The LoanRisk document for a fitted classifier or pipeline (see the module docstring);
    `default_class`: the label meaning default, when the classes are not 0/1."""
    import sklearn
    from sklearn.pipeline import Pipeline

    if isinstance(model, Pipeline):
        steps = [s for _, s in model.steps if s is not None and s != "passthrough"]
        estimator, transformers = steps[-1], steps[:-1]
    else:
        estimator, transformers = model, []
    _check_binary(estimator)
    _check_default_class(estimator, default_class)
    names_in = getattr(model, "feature_names_in_", None)
    n_in = int(model.n_features_in_)
    names = [str(n) for n in names_in] if names_in is not None else [f"x{i}" for i in range(n_in)]
    flat = Flattening(names=names)
    columns = [Column(i) for i in range(n_in)]
    current_names: list[str] | None = list(names)
    for step in transformers:
        columns = _apply(step, columns, flat, current_names)
        current_names = None
    pre = _hgb_preprocessor(estimator)
    if pre is not None:
        columns = _apply(pre, columns, flat, current_names)
    recipes = _finish_columns(columns, flat)
    background_columns = None
    if background is not None:
        background_columns = model[:-1].transform(background) if transformers else np.asarray(background, dtype=np.float64)
        if hasattr(background_columns, "toarray"):
            background_columns = background_columns.toarray()
    est = _estimator(estimator, len(recipes), background_columns)
    # A ColumnTransformer whose output was sparse sends trees down their sparse path, where
    # NaN is compared as a number (it goes right) instead of following missing_go_to_left.
    if any(getattr(s, "sparse_output_", False) for s in transformers) and "trees" in est:
        est["sparse_input"] = True
    inputs = []
    for i, name in enumerate(names):
        entry: dict[str, Any] = {"name": name}
        if i in flat.categories:
            entry["categories"] = [_label(c) for c in flat.categories[i]]
        inputs.append(entry)
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "sklearn_version": sklearn.__version__,
        # predict_proba(X)[:, 1] is the probability of classes_[1]: LoanRisk serves it as the
        # probability of default, so the model card says which class that was.
        "positive_class": _label(estimator.classes_[1]),
        "steps": [_name(s) for s in transformers] + [_name(estimator)],
        "inputs": inputs,
        "columns": recipes,
        "estimator": est,
    }


def export(model: Any, path: str | Path, background: Any = None, default_class: Any = None) -> dict:
    """Write `model` (a fitted classifier or Pipeline) to `path`; `background` (the training
    inputs) is needed for LogisticRegression's contributions; `default_class` names the label
    meaning default when the classes are not 0/1. Returns the document."""
    doc = document(model, background, default_class)
    text = json.dumps(doc, separators=(",", ":"), allow_nan=False)
    Path(path).write_text(text + "\n")
    return doc


def _skops_types(path: str | Path) -> set[str]:
    """Every type a skops file's schema names (skops trusts many sklearn types by default;
    LoanRisk checks all of them against its own list)."""
    import zipfile

    schema = json.loads(zipfile.ZipFile(path).read("schema.json"))
    found: set[str] = set()

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if "__class__" in node and "__module__" in node:
                found.add(f"{node['__module__']}.{node['__class__']}")
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(schema)
    return {t for t in found if not t.startswith("builtins.")} | {
        t for t in found if t.startswith("builtins.") and t.split(".", 1)[1] not in _BUILTINS}


_BUILTINS = {"dict", "list", "tuple", "str", "int", "float", "bool", "NoneType", "slice", "type"}


def load_skops(path: str | Path) -> Any:
    """Load a skops file, trusting only `TRUSTED_TYPES`; refuse it when it holds anything else."""
    import skops.io as sio

    unknown = sorted(_skops_types(path) - TRUSTED_TYPES)
    if unknown:
        raise UnsupportedModel(f"the skops file holds types LoanRisk does not trust: {', '.join(unknown)}")
    untrusted = sio.get_untrusted_types(file=path)
    return sio.load(path, trusted=[t for t in untrusted if t in TRUSTED_TYPES])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Export a skops-saved scikit-learn model as LoanRisk JSON.")
    ap.add_argument("skops_file", type=Path)
    ap.add_argument("out", type=Path)
    ap.add_argument("--background", type=Path, help="CSV of training inputs (LogisticRegression needs it)")
    ap.add_argument("--default-class", help="the class label meaning default, when the classes are not 0/1")
    args = ap.parse_args(argv)
    try:
        model = load_skops(args.skops_file)
        background = None
        if args.background is not None:
            import pandas as pd
            background = pd.read_csv(args.background)
        export(model, args.out, background, args.default_class)
    except UnsupportedModel as error:
        print(f"export_sklearn: {error}", file=sys.stderr)
        return 1
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
