#!/usr/bin/env bash
# scikit-learn RandomForest (issue 34): LoanRisk's SklearnModel against scikit-learn's
# predict_proba (n_jobs=2) on the wide workload. Figures in bench/README.md.
#
#   bash bench/sklearn.sh            # needs bench/work/applicants.csv (training/bench_workload.py)
set -euo pipefail
cd "$(dirname "$0")/.."
WORK=bench/work
[ -f "$WORK/sklearn_rf.json" ] || python3 bench/sklearn_reference.py fit --work "$WORK"
swift build -c release --product scoring-bench >/dev/null
BENCH=.build/release/scoring-bench

echo "== evaluator only, rows in memory (min of 5), parity with predict_proba"
"$BENCH" sklearn --model "$WORK/sklearn_rf.json" --input "$WORK/applicants.csv" \
  --expected "$WORK/sklearn_expected.csv" --threads 2 --repeats 5
python3 bench/sklearn_reference.py predict --work "$WORK" --repeats 5

echo "== whole process: load the model, read the CSV, predict once (farm-bench, A = LoanRisk, B = scikit-learn)"
farm-bench -n 5 --timeout 600 \
  --vs "python3 bench/sklearn_reference.py predict --work $WORK --repeats 1" \
  -- "$BENCH" sklearn --model "$WORK/sklearn_rf.json" --input "$WORK/applicants.csv" --threads 2 --repeats 1
