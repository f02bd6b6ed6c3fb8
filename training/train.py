#!/usr/bin/env python3
"""Build a LoanRisk model bundle (model.txt, bundle.json, golden.csv; Data/models/README.md).

    python training/train.py --dataset lending_club --out Data/models/lending-club
    python training/train.py --dataset german_credit            # --out defaults to Data/models/<bundle>
    python training/train.py --dataset lending_club --data-file other.csv   # same recipe, other rows
    python training/train.py --dataset credit_data --quick --out /tmp/cd    # CI-sized: 1,500 rows, 2 folds, 30 trees
    python training/train.py --update-readme     # rewrite the "Bundled models" tables from the bundles

The template and sample CSVs go to Data/samples/ when --out is the bundle's place under
Data/models/, otherwise next to the bundle (or to --samples-dir).
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
sys.path.insert(0, str(Path(__file__).resolve().parent))

from loanrisk_training import readme  # noqa: E402
from loanrisk_training.pipeline import Options, build  # noqa: E402
from loanrisk_training.recipe import available  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--dataset", choices=available(), help="the recipe (training/recipes/<dataset>.json)")
    parser.add_argument("--out", type=Path, help="bundle folder (default Data/models/<bundle name>)")
    parser.add_argument("--data-file", type=Path, help="train the recipe on another CSV with the dataset's columns")
    parser.add_argument("--samples-dir", type=Path, help="where the template and sample CSVs go")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--threads", type=int, default=1, help="LightGBM num_threads per fit (recorded in model.txt)")
    parser.add_argument("--jobs", type=int, default=2, help="fits run in parallel processes (results do not depend on it)")
    parser.add_argument("--quick", action="store_true", help="CI size: 1,500 rows, 2 folds x 1 repeat, 2 configs, 30 trees, no nested check")
    parser.add_argument("--subsample", type=int, help="train on N stratified rows of the data")
    parser.add_argument("--folds", type=int)
    parser.add_argument("--repeats", type=int)
    parser.add_argument("--trials", type=int, help="number of hyperparameter configs")
    parser.add_argument("--trees", type=int, help="a single tree count instead of the recipe's checkpoints")
    parser.add_argument("--holdout", type=int, help="rows held out as the sample")
    parser.add_argument("--no-nested", dest="nested", action="store_false", default=None, help="skip the nested CV check")
    parser.add_argument("--created", help="pin bundle.json's `created` (ISO 8601 UTC), e.g. for tests")
    parser.add_argument("--update-readme", action="store_true", help="rewrite the Bundled models section of Data/models/README.md")
    args = parser.parse_args(argv)
    if args.update_readme:
        readme.update()
        return 0
    if not args.dataset:
        parser.error("--dataset is required")
    build(Options(dataset=args.dataset, out=args.out, data_file=args.data_file, samples_dir=args.samples_dir, seed=args.seed,
                  threads=args.threads, workers=args.jobs, folds=args.folds, repeats=args.repeats, trials=args.trials, trees=args.trees,
                  subsample=args.subsample, holdout=args.holdout, quick=args.quick, nested=args.nested, created=args.created))
    return 0


if __name__ == "__main__":
    sys.exit(main())
