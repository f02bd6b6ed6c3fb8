"""The build's first stages on their own: each returns a typed record the next one reads."""

import numpy as np

from loanrisk_training import pipeline
from loanrisk_training.recipe import load_recipe
from loanrisk_training.stages import Folds, TrainingData

SEED = 42


def training_data(dataset="german_credit") -> TrainingData:
    recipe = load_recipe(dataset)
    settings = pipeline.settings(pipeline.Options(dataset=dataset, quick=True), recipe)
    return pipeline.load_training_data(recipe, settings, pipeline.REPO / recipe["data_file"], SEED)


def test_training_data_holds_the_sample_rows_out_and_describes_every_model_feature():
    t = training_data()
    assert len(t.held.y) == t.settings["holdout"]
    assert len(t.y) + len(t.held.y) == t.rows_used
    assert list(t.frame.columns) == t.recipe["model_features"]
    assert len(t.frame) == len(t.y) == len(t.raw)
    assert len(t.monotone) == len(t.recipe["model_features"]) and set(t.monotone) <= {-1, 0, 1}
    assert t.spec == {"derived_features": t.recipe["derived_features"], "model_features": t.recipe["model_features"]}
    # Seeded: the same rows each time.
    again = training_data()
    assert np.array_equal(again.y, t.y) and again.frame.equals(t.frame)


def test_folds_cover_every_row_once_per_repeat_and_the_search_uses_repeat_zero():
    t = training_data()
    folds = pipeline.make_folds(t)
    assert isinstance(folds, Folds)
    assert len(folds.all) == t.settings["folds"] * t.settings["repeats"]
    assert folds.first and all(f.repeat == 0 for f in folds.first)
    for repeat in {f.repeat for f in folds.all}:
        tested = np.concatenate([f.test for f in folds.all if f.repeat == repeat])
        assert np.array_equal(np.sort(tested), np.arange(len(t.y)))
