"""export_sklearn refuses what LoanRisk's reader cannot serve exactly, with a message naming it,
and writes exact documents for what it can."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from sklearn.compose import ColumnTransformer
from sklearn.ensemble import GradientBoostingClassifier, RandomForestClassifier
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import MinMaxScaler, OneHotEncoder, OrdinalEncoder
from sklearn.svm import SVC
from sklearn.tree import DecisionTreeClassifier

from export_sklearn import UnsupportedModel, document, export, load_skops


@pytest.fixture
def frame():
    rng = np.random.default_rng(0)
    n = 200
    df = pd.DataFrame({
        "income": rng.normal(50_000, 10_000, n),
        "home": rng.choice(["rent", "own", "parents"], n).astype(object),
    })
    df.loc[::17, "income"] = np.nan
    y = (rng.random(n) < 0.3).astype(int)
    return df, y


def pipeline(encoder, estimator):
    pre = ColumnTransformer([("cat", encoder, ["home"]), ("num", SimpleImputer(), ["income"])])
    return make_pipeline(pre, estimator)


def refusal(model, background=None) -> str:
    with pytest.raises(UnsupportedModel) as info:
        document(model, background)
    return str(info.value)


def test_unsupported_estimator_is_named(frame):
    df, y = frame
    assert "SVC" in refusal(pipeline(OneHotEncoder(handle_unknown="ignore"), SVC()).fit(df, y))


def test_unsupported_transformer_is_named(frame):
    df, y = frame
    pre = ColumnTransformer([("cat", OneHotEncoder(handle_unknown="ignore"), ["home"]), ("num", MinMaxScaler(), ["income"])])
    model = make_pipeline(pre, DecisionTreeClassifier(max_depth=2)).fit(df.fillna(0), y)
    assert "MinMaxScaler" in refusal(model)


def test_one_hot_that_errors_on_unknown_is_refused(frame):
    df, y = frame
    message = refusal(pipeline(OneHotEncoder(handle_unknown="error"), DecisionTreeClassifier(max_depth=2)).fit(df, y))
    assert "handle_unknown='error'" in message


def test_ordinal_that_errors_on_unknown_is_refused(frame):
    df, y = frame
    message = refusal(pipeline(OrdinalEncoder(), DecisionTreeClassifier(max_depth=2)).fit(df, y))
    assert "OrdinalEncoder" in message


def test_imputer_with_indicator_is_refused(frame):
    df, y = frame
    pre = ColumnTransformer([("cat", OneHotEncoder(handle_unknown="ignore"), ["home"]),
                             ("num", SimpleImputer(add_indicator=True), ["income"])])
    assert "add_indicator" in refusal(make_pipeline(pre, DecisionTreeClassifier(max_depth=2)).fit(df, y))


def test_multiclass_is_refused(frame):
    df, _ = frame
    y3 = np.arange(len(df)) % 3
    assert "binary" in refusal(RandomForestClassifier(n_estimators=2).fit(df[["income"]], y3))


def test_gradient_boosting_with_another_init_is_refused(frame):
    df, y = frame
    model = GradientBoostingClassifier(n_estimators=2, init=DecisionTreeClassifier(max_depth=1)).fit(df[["income"]].fillna(0), y)
    assert "init=DecisionTreeClassifier" in refusal(model)


def test_logistic_regression_needs_its_training_data(frame):
    df, y = frame
    model = pipeline(OneHotEncoder(handle_unknown="ignore"), LogisticRegression()).fit(df, y)
    assert "background" in refusal(model)
    assert document(model, df)["estimator"]["type"] == "LogisticRegression"


def test_document_is_exact_json(frame, tmp_path):
    df, y = frame
    model = pipeline(OneHotEncoder(handle_unknown="ignore"), RandomForestClassifier(n_estimators=3, random_state=0)).fit(df, y)
    path = tmp_path / "model.json"
    export(model, path)
    doc = json.loads(path.read_text())
    assert doc["format"] == "loanrisk-sklearn" and doc["format_version"] == 1
    assert [i["name"] for i in doc["inputs"]] == ["income", "home"]
    assert doc["inputs"][1]["categories"] == ["own", "parents", "rent"]
    tree = model[-1].estimators_[0].tree_
    thresholds = [t for t, left in zip(tree.threshold, tree.children_left) if left >= 0]
    written = [t for t, left in zip(doc["estimator"]["trees"][0]["threshold"], doc["estimator"]["trees"][0]["left"]) if left >= 0]
    assert [np.float64(t).tobytes() for t in thresholds] == [np.float64(t).tobytes() for t in written]


def test_skops_file_with_an_untrusted_type_is_refused(frame, tmp_path):
    import skops.io as sio

    df, y = frame
    path = tmp_path / "svc.skops"
    sio.dump(make_pipeline(MinMaxScaler(), SVC()).fit(df[["income"]].fillna(0), y), path)
    with pytest.raises(UnsupportedModel, match="does not trust"):
        load_skops(path)


def test_skops_round_trip_of_a_supported_pipeline(frame, tmp_path):
    import skops.io as sio

    df, y = frame
    model = pipeline(OneHotEncoder(handle_unknown="ignore"), RandomForestClassifier(n_estimators=3, random_state=0)).fit(df, y)
    path = tmp_path / "rf.skops"
    sio.dump(model, path)
    loaded = load_skops(path)
    assert document(loaded) == document(model)


def test_labels_other_than_0_1_need_the_default_class_named(frame):
    df, y = frame
    labels = np.where(y == 1, "bad", "good")
    model = pipeline(OneHotEncoder(handle_unknown="ignore"), DecisionTreeClassifier(max_depth=3)).fit(df, labels)
    message = refusal(model)
    assert "'good'" in message and "probability of default" in message
    with pytest.raises(UnsupportedModel, match="retrain with the default class second"):
        document(model, default_class="bad")
    flipped = np.where(y == 1, "z-default", "a-repaid")
    model = pipeline(OneHotEncoder(handle_unknown="ignore"), DecisionTreeClassifier(max_depth=3)).fit(df, flipped)
    assert document(model, default_class="z-default")["positive_class"] == "z-default"
