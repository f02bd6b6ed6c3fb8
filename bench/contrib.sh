#!/usr/bin/env bash
# The TreeSHAP benchmark (issue 6): prints figures, asserts nothing.
#   bash bench/contrib.sh              # 5,000 workload rows, 2 threads
#   ROWS=1000 THREADS=1 bash bench/contrib.sh
# In one run, at the same thread count, LightGBM's pred_contrib and our contributions on
# 1. the first ROWS rows of the 50,000 x 120 workload (1,000 trees x 63 leaves), and
# 2. every row of the bundled lending-club sample (the shipped bundle, derived features and all),
# with the largest difference between the two and the additivity error of ours.
set -euo pipefail
cd "$(dirname "$0")/.."
threads=${THREADS:-2}
rows=${ROWS:-5000}
work=bench/work

if [ ! -f "$work/model.txt" ]; then
  echo "== making the workload (a few minutes)"
  python3 training/bench_workload.py --out "$work"
fi

echo "== building (release)"
swift build -c release --product scoring-bench >/dev/null
bin=$(swift build -c release --show-bin-path)

run_case() {  # name model input rows repeats (each side reports its fastest call)
  local name=$1 model=$2 input=$3 n=$4 repeats=$5
  echo "== $name: LightGBM $(python3 -c 'import lightgbm; print(lightgbm.__version__)') pred_contrib ($threads threads)"
  python3 bench/contrib_reference.py --model "$model" --input "$input" --rows "$n" --threads "$threads" \
    --repeat "$repeats" --out "$work/contrib_$name.f64" --json | tee "$work/contrib_${name}_lightgbm.json"
  echo "== $name: Swift Linear TreeSHAP ($threads threads)"
  "$bin/scoring-bench" contrib --model "$model" --input "$input" --rows "$n" --threads "$threads" --repeats "$repeats" \
    --reference "$work/contrib_$name.f64" --json | tee "$work/contrib_${name}_swift.json"
}

run_case workload "$work/model.txt" "$work/applicants.csv" "$rows" 1
run_case lending-club Data/models/lending-club Data/samples/lending-club-sample.csv 0 20

python3 - "$work" <<'PY'
import json, sys
work = sys.argv[1]
print("\n| case | rows | LightGBM pred_contrib | LoanRisk | speed-up | max |diff| | additivity |")
print("|---|---|---|---|---|---|---|")
for name in ("workload", "lending-club"):
    lgb = json.load(open(f"{work}/contrib_{name}_lightgbm.json"))
    swift = json.load(open(f"{work}/contrib_{name}_swift.json"))
    t = lambda s: f"{s:.3f} s" if s >= 0.1 else f"{s * 1000:.2f} ms"
    print(f"| {name} | {swift['rows']:,} | {t(lgb['seconds'])} | {t(swift['seconds_min'])} "
          f"| {lgb['seconds'] / swift['seconds_min']:.1f}x | {swift['max_abs_diff_vs_lightgbm']:.2e} "
          f"| {swift['max_additivity_error']:.2e} |")
PY
