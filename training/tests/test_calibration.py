"""Platt scaling folded into model.txt: LightGBM itself then predicts the calibrated p."""

import lightgbm as lgb
import numpy as np
import pandas as pd
from scipy.special import expit

from loanrisk_training import calibration


def small_model():
    rng = np.random.default_rng(0)
    x = pd.DataFrame({"a": rng.normal(size=600), "c": pd.Categorical(rng.choice(["x", "y", "z"], 600))})
    y = (x["a"] + rng.normal(size=600) > 0.8).astype(int)
    params = {"objective": "binary", "verbose": -1, "num_threads": 1, "deterministic": True, "force_row_wise": True, "seed": 1}
    return lgb.train(params, lgb.Dataset(x, y), 25), x, y


def test_tree_sizes_of_an_unmodified_model_are_unchanged():
    booster, _, _ = small_model()
    text = booster.model_to_string()
    assert calibration.tree_sizes(text) == text


def test_folded_model_predicts_platt_probabilities():
    booster, x, _ = small_model()
    text, sigma, shift = calibration.fold_into_model(booster.model_to_string(), 0.8, -0.3)
    assert f"objective=binary sigmoid:{calibration.sigma_text(0.8)}" in text
    reloaded = lgb.Booster(model_str=text)
    raw = booster.predict(x, raw_score=True)
    assert np.max(np.abs(reloaded.predict(x) - expit(sigma * (raw + shift)))) < 1e-15
    assert np.max(np.abs(reloaded.predict(x) - expit(0.8 * raw - 0.3))) < 1e-9
    assert reloaded.pandas_categorical == booster.pandas_categorical


def test_sigma_text_is_read_identically_by_lightgbm_and_correct_parsers():
    for sigma in (0.93451234, 1.23456789, 2.5, 7.0001, 0.1):
        text = calibration.sigma_text(sigma)
        assert calibration.lightgbm_atof(text) == float(text)
        assert abs(float(text) - sigma) < 1e-4


def test_fit_platt_recovers_a_known_map():
    rng = np.random.default_rng(2)
    m = rng.normal(size=20000) * 2
    y = (rng.random(m.size) < expit(0.6 * m - 0.4)).astype(float)
    a, b = calibration.fit_platt(m, y)
    assert abs(a - 0.6) < 0.05 and abs(b + 0.4) < 0.05
