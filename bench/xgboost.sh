#!/usr/bin/env bash
# XGBoost benchmark (issue 34): prints figures, asserts nothing.
#   bash bench/xgboost.sh            # 2 threads
#   THREADS=1 RUNS=3 bash bench/xgboost.sh
# The wide workload (bench/work/applicants.csv from training/bench_workload.py: 50,000 x 120)
# with a 1,000-tree XGBoost model trained on it once by bench/xgboost_reference.py make.
# 1. XGBoostModel (scoring-bench xgboost): rows in memory, min/median of RUNS, bit-parity counts;
# 2. XGBoost's Booster.inplace_predict on the same rows (float32 codes), same thread count;
# 3. Treelite: its compiled model if TL2cgen is installed, else why not; GTIL once.
# Then the whole scoring-bench process against an inplace_predict process, paired by farm-bench.
set -euo pipefail
cd "$(dirname "$0")/.."
threads=${THREADS:-2}
runs=${RUNS:-5}
work=bench/work

if [ ! -f "$work/applicants.csv" ]; then
  echo "== making the workload (a few minutes)"
  python3 training/bench_workload.py --out "$work"
fi
if [ ! -f "$work/xgb_model.ubj" ]; then
  echo "== training the XGBoost model (a few minutes)"
  python3 bench/xgboost_reference.py make --input "$work/applicants.csv" --out "$work"
fi

echo "== building (release)"
swift build -c release --product scoring-bench >/dev/null
bin=$(swift build -c release --show-bin-path)

for model in xgb_model.ubj xgb_model.json; do
  echo "== XGBoostModel, $model ($threads threads)"
  "$bin/scoring-bench" xgboost --model "$work/$model" --input "$work/applicants.csv" \
    --expected "$work/xgb_expected.csv" --threads "$threads" --repeats "$runs" --contrib-rows 2000
done

echo "== XGBoost $(python3 -c 'import xgboost; print(xgboost.__version__)') and Treelite ($threads threads)"
python3 bench/xgboost_reference.py time --input "$work/applicants.csv" --out "$work" --threads "$threads" --repeat "$runs"
