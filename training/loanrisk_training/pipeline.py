"""The whole build: recipe + data -> model.txt, bundle.json, golden.csv (+ template, sample).

Order of work (all on the same folds, all seeded):
  1. load and clean the data; hold out `holdout_rows` stratified rows (the sample) from everything
  2. build the training frame with the derived-feature executor, from the spec written to bundle.json
  3. search hyperparameters on repeat 0's folds; nested check of that search
  4. compare imbalance handling on all folds with the chosen config; keep the winner
  5. measure Platt calibration cross-fitted; fold it into model.txt when it helps
  6. compare algorithms on the same folds
  7. train the final model on all non-held-out rows, write and re-verify model.txt
  8. samples and golden, policy cut-offs, bundle.json
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace

import lightgbm as lgb
import numpy as np
import pandas as pd
from scipy.special import expit
from sklearn.model_selection import train_test_split

from . import algorithms, bundle, calibration, data, derived, imbalance, lgbm, policy, reference, samples, search
from .folds import out_of_fold, repeated_folds
from .recipe import load_recipe

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
    b = SimpleNamespace(recipe=recipe, settings=s, seed=o.seed, id_column=samples.ID_COLUMN)
    b.data_path = Path(o.data_file) if o.data_file else REPO / recipe["data_file"]
    default_out = REPO / "Data" / "models" / recipe["bundle_name"]
    out = Path(o.out) if o.out else default_out
    samples_dir = Path(o.samples_dir) if o.samples_dir else (REPO / "Data" / "samples" if out.resolve() == default_out.resolve() else out)
    out.mkdir(parents=True, exist_ok=True)
    seed, threads, workers = o.seed, o.threads, o.workers
    o.log(f"{recipe['bundle_name']}: {relative(b.data_path)} -> {relative(out)}")

    # 1-2. data, hold-out, training frame
    full = data.load_dataset(b.data_path, recipe)
    data.check_labels(full, recipe["features"])
    used = full
    if s["subsample"] and s["subsample"] < len(full.y):
        keep, _ = train_test_split(np.arange(len(full.y)), train_size=s["subsample"], stratify=full.y, random_state=seed)
        used = full.subset(np.sort(keep))
    keep, held_out = train_test_split(np.arange(len(used.y)), test_size=s["holdout"], stratify=used.y, random_state=seed)
    dev, held = used.subset(np.sort(keep)), used.subset(np.sort(held_out))
    b.dataset_file, b.cleaning = relative(b.data_path), full.cleaning
    b.file_rows, b.rows_used = int(len(full.y) + full.cleaning["rows_without_target"]), int(len(used.y))
    features, spec = recipe["features"], {"derived_features": recipe["derived_features"], "model_features": recipe["model_features"]}
    cats = data.categories(dev, features)
    b.raw = data.raw_frame(dev.columns, dev.text, features, cats)
    frame = derived.model_frame(b.raw, spec["derived_features"], spec["model_features"])
    b.y = y = dev.y
    monotone = [int(recipe.get("monotone", {}).get(m, 0)) for m in spec["model_features"]]
    folds = repeated_folds(y, s["folds"], s["repeats"], seed)
    first = [f for f in folds if f.repeat == 0]
    stage("data")

    # 3. hyperparameter search and its nested check
    configs = search.sample_configs(recipe["search"]["space"], s["trials"], seed)
    results = search.score_configs(frame, y, first, configs, s["checkpoints"], seed, threads, monotone, workers)
    chosen = search.best(results)
    b.search_entry = search.entry(recipe["search"]["space"], s["checkpoints"], configs, results, chosen, len(first))
    stage("search")
    b.nested = (search.nested_check(frame, y, first, configs, s["checkpoints"], seed, threads, monotone, workers)
                if s["nested"] else None)
    stage("nested check")
    params = lgbm.params(chosen["params"], seed, threads, monotone)
    trees = chosen["params"]["n_estimators"]

    # 4. imbalance
    oof = {m: out_of_fold(imbalance.learner(m, b.raw, frame, y, spec, params, trees, seed), y, folds, workers)
           for m in ("none", "class_weight", "smote")}
    b.imbalance = imbalance.compare(oof, y)
    method = b.imbalance["chosen"]
    stage("imbalance")

    # 5. calibration
    b.calibration = calibration.measure(oof[method], y, method)
    b.final_oof = b.calibration["oof"]
    stage("calibration")

    # 6. algorithms
    raw_columns = b.raw[[f["name"] for f in features]]
    note = "the shipped model: tuned GBDT on raw + derived features" + (", Platt-calibrated" if b.calibration["apply"] else "")
    b.comparison = algorithms.compare(raw_columns, frame, y, folds, b.final_oof, note, params, trees, s["forest_trees"],
                                      seed, threads, monotone, workers)
    for r in algorithms.winners(b.comparison):
        o.log(f"  WARNING: {r['algorithm']} beats the shipped LightGBM by {r['auc_vs_shipped']:+.4f} AUC (SE {r['auc_vs_shipped_se']:.4f})")
    stage("algorithms")

    # 7. final model
    train_frame, train_y = frame, y
    if method == "smote":
        smoted, train_y = imbalance.smote_raw(b.raw, y, seed)
        train_frame = derived.model_frame(smoted, spec["derived_features"], spec["model_features"])
    b.final_params = {**params, **({"is_unbalance": True} if method == "class_weight" else {})}
    booster = lgbm.train(train_frame, train_y, b.final_params, trees)
    b.final_params["num_iterations"] = trees
    text, b.fold = booster.model_to_string(), None
    if b.calibration["apply"]:
        text, sigma, shift = calibration.fold_into_model(text, b.calibration["a"], b.calibration["b"])
        b.fold = {"sigmoid": sigma, "leaf_shift": shift}
    b.model_path = out / "model.txt"
    b.model_path.write_bytes(text.encode("utf-8"))
    verify_model(lgb.Booster(model_file=str(b.model_path)), booster, frame, spec, cats, b.fold)
    b.calibration_entry = calibration.entry(b.calibration, method, b.fold)
    stage("final model")

    # 8. samples, golden, policy, bundle.json
    sample = samples.sample_rows(held, recipe["id_prefix"])
    header = [samples.ID_COLUMN] + dev.columns
    example = samples.example_row(sample)
    b.feature_specs = bundle.feature_specs(features, cats, b.raw, example[1:])
    name = recipe["bundle_name"]
    data.write_csv(samples_dir / f"{name}-template.csv", header, [example])
    data.write_csv(samples_dir / f"{name}-sample.csv", header, sample)
    edges = samples.edge_rows(example, b.feature_specs, spec["derived_features"], recipe["id_prefix"])
    golden_p = samples.golden(out, header, sample + edges, b.feature_specs, spec["derived_features"], spec["model_features"])
    b.held_p, b.held_y = golden_p[: len(sample)], held.y
    p, py = b.final_oof.pooled(y)
    b.cutoffs = policy.choose(p, py, recipe["costs"])
    b.scale = reference.scaling(**recipe["score_scaling"])
    b.created = o.created or dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    result = bundle.assemble(b)
    bundle.write(out / "bundle.json", result)
    stage("bundle")
    o.timings["total"] = round(time.perf_counter() - began, 1)
    mean = result["metrics"]["mean"]
    o.log(f"  done in {o.timings['total']:.1f} s: CV AUC {mean['roc_auc']:.4f} ± {result['metrics']['std']['roc_auc']:.4f}, "
          f"imbalance {method}, calibration {'applied' if b.calibration['apply'] else 'not applied'}")
    return {"bundle": result, "out": out, "samples_dir": samples_dir, "timings": dict(o.timings), "oof": b.final_oof, "y": y}


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
