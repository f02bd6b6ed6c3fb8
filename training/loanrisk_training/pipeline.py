"""The whole build: recipe + data -> model.txt, bundle.json, golden.csv (+ template, sample).

Order of work (all on the same folds, all seeded):
  1. load and clean the data; hold out `holdout_rows` stratified rows (the sample) from everything
  2. build the training frame with the derived-feature executor, from the spec written to bundle.json
  3. search hyperparameters on repeat 0's folds; nested check of that search
  4. compare imbalance handling on all folds with the chosen config; keep the winner
  5. measure Platt calibration cross-fitted; fold it into model.txt when it helps
  6. compare algorithms on the same folds
  7. train the final model on all non-held-out rows, write and re-verify model.txt
  8. samples and golden, policy cut-offs
  9. the report: constraints' and protected columns' cost on the same folds, disparate impact, what a
     missing input does to the risk; bundle.json
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass, field
from pathlib import Path

import lightgbm as lgb
import numpy as np
import pandas as pd
from scipy.special import expit
from sklearn.model_selection import train_test_split

from . import (algorithms, bundle, calibration, data, derived, fairness, imbalance, lgbm, missingness, policy, reference, samples, search,
               variants)
from .folds import out_of_fold, repeated_folds
from .recipe import inputs, load_recipe, protected
from .stages import FinalModel, Folds, OutOfFoldResult, PolicyResult, ReportResult, SearchResult, TrainingData

REPO = Path(__file__).resolve().parents[2]


@dataclass
class Options:
    dataset: str
    out: Path | None = None
    data_file: Path | None = None
    samples_dir: Path | None = None
    seed: int = 42
    threads: int = 1
    workers: int = 2
    folds: int | None = None
    repeats: int | None = None
    trials: int | None = None
    trees: int | None = None
    subsample: int | None = None
    holdout: int | None = None
    quick: bool = False
    nested: bool | None = None
    created: str | None = None
    log: object = print
    timings: dict = field(default_factory=dict)


def settings(o: Options, recipe: dict) -> dict:
    """Run sizes: the recipe's, or small ones for --quick; explicit options win."""
    q = o.quick
    return {
        "folds": o.folds or (2 if q else 5),
        "repeats": o.repeats or (1 if q else 3),
        "trials": o.trials or (2 if q else recipe["search"]["trials"]),
        "checkpoints": [o.trees] if o.trees else ([30] if q else recipe["search"]["checkpoints"]),
        "subsample": o.subsample or (1500 if q else None),
        "holdout": o.holdout or (60 if q else recipe["holdout_rows"]),
        "nested": (not q) if o.nested is None else o.nested,
        "forest_trees": 30 if q else 300,
    }


def relative(path: Path) -> str:
    path = Path(path).resolve()
    try:
        return str(path.relative_to(REPO))
    except ValueError:
        return str(path)


def build(o: Options) -> dict:
    began = time.perf_counter()
    clock = [began]

    def stage(name: str) -> None:
        now = time.perf_counter()
        o.timings[name] = round(now - clock[0], 1)
        o.log(f"  {name}: {now - clock[0]:.1f} s")
        clock[0] = now

    recipe = load_recipe(o.dataset)
    s = settings(o, recipe)
    data_path = Path(o.data_file) if o.data_file else REPO / recipe["data_file"]
    default_out = REPO / "Data" / "models" / recipe["bundle_name"]
    out = Path(o.out) if o.out else default_out
    samples_dir = Path(o.samples_dir) if o.samples_dir else (REPO / "Data" / "samples" if out.resolve() == default_out.resolve() else out)
    out.mkdir(parents=True, exist_ok=True)
    o.log(f"{recipe['bundle_name']}: {relative(data_path)} -> {relative(out)}")

    training = load_training_data(recipe, s, data_path, o.seed)
    folds = make_folds(training)
    stage("data")
    searched = search_configuration(training, folds, o.threads, o.workers, stage)
    predictions = out_of_fold_predictions(training, folds, searched, o.threads, o.workers, o.log, stage)
    model = final_model(training, searched, predictions, out)
    stage("final model")
    chosen = choose_policy(training, predictions, out, samples_dir)
    reported = report(training, folds, searched, predictions, model, chosen, o.workers)
    stage("report")
    created = o.created or dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    result = bundle.assemble(training, searched, predictions, model, chosen, reported, created)
    bundle.write(out / "bundle.json", result)
    stage("bundle")
    o.timings["total"] = round(time.perf_counter() - began, 1)
    mean = result["metrics"]["mean"]
    o.log(f"  done in {o.timings['total']:.1f} s: CV AUC {mean['roc_auc']:.4f} ± {result['metrics']['std']['roc_auc']:.4f}, "
          f"imbalance {predictions.method}, calibration {'applied' if predictions.calibration['apply'] else 'not applied'}")
    return {"bundle": result, "out": out, "samples_dir": samples_dir, "timings": dict(o.timings),
            "oof": predictions.predictions, "y": training.y}


def load_training_data(recipe: dict, s: dict, data_path: Path, seed: int) -> TrainingData:
    """1-2. The data, cleaned; the hold-out; the training frame. Protected columns are split off
    here: they reach the fairness report and the comparison that measures them, never the model."""
    full = data.load_dataset(data_path, recipe)
    data.check_labels(full, recipe["features"])
    used = full
    if s["subsample"] and s["subsample"] < len(full.y):
        keep, _ = train_test_split(np.arange(len(full.y)), train_size=s["subsample"], stratify=full.y, random_state=seed)
        used = full.subset(np.sort(keep))
    keep, held_out = train_test_split(np.arange(len(used.y)), test_size=s["holdout"], stratify=used.y, random_state=seed)
    every_dev, every_held = used.subset(np.sort(keep)), used.subset(np.sort(held_out))
    features, barred = inputs(recipe), protected(recipe)
    dev, held = every_dev.select([f["name"] for f in features]), every_held.select([f["name"] for f in features])
    cats = data.categories(dev, features)
    raw = data.raw_frame(dev.columns, dev.text, features, cats)
    frame = derived.model_frame(raw, recipe["derived_features"], recipe["model_features"])
    kept = every_dev.select([f["name"] for f in barred])
    protected_raw = data.raw_frame(kept.columns, kept.text, barred, data.categories(kept, barred))
    return TrainingData(
        recipe=recipe, settings=s, seed=seed, id_column=samples.ID_COLUMN, data_path=data_path,
        dataset_file=relative(data_path), cleaning=full.cleaning,
        file_rows=int(len(full.y) + full.cleaning["rows_without_target"]), rows_used=int(len(used.y)),
        dev=dev, held=held, categories=cats, raw=raw, frame=frame, y=dev.y, protected_raw=protected_raw,
        monotone=[int(recipe.get("monotone", {}).get(m, 0)) for m in recipe["model_features"]])


def make_folds(t: TrainingData) -> Folds:
    every = repeated_folds(t.y, t.settings["folds"], t.settings["repeats"], t.seed)
    return Folds(all=every, first=[f for f in every if f.repeat == 0])


def search_configuration(t: TrainingData, folds: Folds, threads: int, workers: int, stage) -> SearchResult:
    """3. The hyperparameter search on repeat 0's folds, and its nested check."""
    s, space = t.settings, t.recipe["search"]["space"]
    configs = search.sample_configs(space, s["trials"], t.seed)
    results = search.score_configs(t.frame, t.y, folds.first, configs, s["checkpoints"], t.seed, threads, t.monotone, workers)
    chosen = search.best(results)
    entry = search.entry(space, s["checkpoints"], configs, results, chosen, len(folds.first))
    stage("search")
    nested = (search.nested_check(t.frame, t.y, folds.first, configs, s["checkpoints"], t.seed, threads, t.monotone, workers)
              if s["nested"] else None)
    stage("nested check")
    return SearchResult(params=lgbm.params(chosen["params"], t.seed, threads, t.monotone), trees=chosen["params"]["n_estimators"],
                        entry=entry, nested=nested)


def out_of_fold_predictions(t: TrainingData, folds: Folds, searched: SearchResult, threads: int, workers: int, log, stage) -> OutOfFoldResult:
    """4-6. Imbalance handling, calibration and the other algorithms, on the same folds."""
    oof = {m: out_of_fold(imbalance.learner(m, t.raw, t.frame, t.y, t.spec, searched.params, searched.trees, t.seed), t.y, folds.all, workers)
           for m in ("none", "class_weight", "smote")}
    compared = imbalance.compare(oof, t.y)
    method = compared["chosen"]
    stage("imbalance")
    measured = calibration.measure(oof[method], t.y, method)
    stage("calibration")
    raw_columns = t.raw[[f["name"] for f in t.inputs]]
    note = "the shipped model: tuned GBDT on raw + derived features" + (", Platt-calibrated" if measured["apply"] else "")
    comparison = algorithms.compare(raw_columns, t.frame, t.y, folds.all, measured["oof"], note, searched.params, searched.trees,
                                    t.settings["forest_trees"], t.seed, threads, t.monotone, workers)
    for r in algorithms.winners(comparison):
        log(f"  WARNING: {r['algorithm']} beats the shipped LightGBM by {r['auc_vs_shipped']:+.4f} AUC (SE {r['auc_vs_shipped_se']:.4f})")
    stage("algorithms")
    return OutOfFoldResult(imbalance=compared, method=method, calibration=measured, predictions=measured["oof"], comparison=comparison,
                           plain=oof["none"])


def final_model(t: TrainingData, searched: SearchResult, predictions: OutOfFoldResult, out: Path) -> FinalModel:
    """7. The final model on every non-held-out row, written and re-verified."""
    train_frame, train_y = t.frame, t.y
    if predictions.method == "smote":
        smoted, train_y = imbalance.smote_raw(t.raw, t.y, t.seed)
        train_frame = derived.model_frame(smoted, t.recipe["derived_features"], t.recipe["model_features"])
    params = {**searched.params, **({"is_unbalance": True} if predictions.method == "class_weight" else {})}
    booster = lgbm.train(train_frame, train_y, params, searched.trees)
    params["num_iterations"] = searched.trees
    text, fold = booster.model_to_string(), None
    if predictions.calibration["apply"]:
        text, sigma, shift = calibration.fold_into_model(text, predictions.calibration["a"], predictions.calibration["b"])
        fold = {"sigmoid": sigma, "leaf_shift": shift}
    path = out / "model.txt"
    path.write_bytes(text.encode("utf-8"))
    verify_model(lgb.Booster(model_file=str(path)), booster, t.frame, t.spec, t.categories, fold)
    return FinalModel(path=path, params=params, fold=fold,
                      calibration_entry=calibration.entry(predictions.calibration, predictions.method, fold))


def choose_policy(t: TrainingData, predictions: OutOfFoldResult, out: Path, samples_dir: Path) -> PolicyResult:
    """8. Samples and golden rows, the bundle's feature specs, the policy's cut-offs."""
    recipe = t.recipe
    sample = samples.sample_rows(t.held, recipe["id_prefix"])
    header = [samples.ID_COLUMN] + t.dev.columns
    example = samples.example_row(sample)
    feature_specs = bundle.feature_specs(t.inputs, t.categories, t.raw, example[1:])
    name = recipe["bundle_name"]
    data.write_csv(samples_dir / f"{name}-template.csv", header, [example])
    data.write_csv(samples_dir / f"{name}-sample.csv", header, sample)
    edges = samples.edge_rows(example, feature_specs, recipe["derived_features"], recipe["id_prefix"])
    golden_p = samples.golden(out, header, sample + edges, feature_specs, recipe["derived_features"], recipe["model_features"])
    p, py = predictions.predictions.pooled(t.y)
    return PolicyResult(feature_specs=feature_specs, cutoffs=policy.choose(p, py, recipe["costs"]),
                        scale=reference.scaling(**recipe["score_scaling"]), held_p=golden_p[: len(sample)], held_y=t.held.y)


def report(t: TrainingData, folds: Folds, searched: SearchResult, predictions: OutOfFoldResult, model: FinalModel,
           chosen: PolicyResult, workers: int) -> ReportResult:
    """9. The cost of the constraints and of leaving protected columns out, on the same folds;
    the disparate impact of the shipped policy on the out-of-fold predictions; what a missing
    input does to the shipped model's risk on the training rows."""
    compared = variants.compare(t, folds, searched.params, searched.trees, predictions.plain, workers)
    p, y = predictions.predictions.pooled(t.y)
    return ReportResult(inputs_and_constraints=compared, monotone=variants.monotone_map(t),
                        fairness=fairness.report(t, p, y, chosen.cutoffs["approve_below"]),
                        missing_inputs=missingness.analyse(lgb.Booster(model_file=str(model.path)), t.raw, chosen.feature_specs,
                                                           t.spec, t.recipe.get("key_inputs", [])))


def verify_model(reloaded: lgb.Booster, trained: lgb.Booster, frame: pd.DataFrame, spec: dict, cats: dict, fold: dict | None) -> None:
    """model.txt as written must have the bundle's features and categories and predict what
    the trained model (with the folded calibration) predicts."""
    if reloaded.feature_name() != spec["model_features"]:
        raise AssertionError(f"model feature names {reloaded.feature_name()} != model_features {spec['model_features']}")
    categorical = [c for c in frame.columns if isinstance(frame[c].dtype, pd.CategoricalDtype)]
    if reloaded.pandas_categorical != ([cats[c] for c in categorical] or None):
        raise AssertionError("pandas_categorical of model.txt differs from the bundle's categories")
    if fold is None:
        want = trained.predict(frame)
    else:
        want = expit(fold["sigmoid"] * (trained.predict(frame, raw_score=True) + fold["leaf_shift"]))
    worst = float(np.max(np.abs(reloaded.predict(frame) - want)))
    if worst > 1e-12:
        raise AssertionError(f"model.txt predicts up to {worst} away from the model it was written from")
