#!/usr/bin/env bash
# The scoring benchmark (issue 2): prints figures, asserts nothing.
#   bash bench/run.sh            # 2 threads
#   THREADS=1 bash bench/run.sh
# 1. the Swift evaluator vs LightGBM's own predict, same rows, same thread count, with parity;
# 2. the whole `loanrisk score` process vs pandas read_csv + LightGBM predict + to_csv;
# 3. our CSV reader vs CSV.swift.
# The workload (50,000 applicants x 120 columns, 1,000 trees x 63 leaves) is made once by
# training/bench_workload.py into bench/work/ (ignored by git).
set -euo pipefail
cd "$(dirname "$0")/.."
threads=${THREADS:-2}
runs=${RUNS:-5}
work=bench/work

if [ ! -f "$work/model.txt" ]; then
  echo "== making the workload (a few minutes)"
  python3 training/bench_workload.py --out "$work"
fi

echo "== building (release)"
swift build -c release --product loanrisk >/dev/null
swift build -c release --product scoring-bench >/dev/null
bin=$(swift build -c release --show-bin-path)

echo "== Swift evaluator ($threads threads)"
"$bin/scoring-bench" predict --model "$work/model.txt" --input "$work/applicants.csv" \
  --expected "$work/expected.csv" --threads "$threads" --repeats "$runs" --json | tee "$work/swift_predict.json"

echo "== loanrisk score, whole process ($runs runs)"
: > "$work/cli_runs.txt"
for _ in $(seq "$runs"); do
  /usr/bin/time -f "%e %M" -o "$work/time.txt" "$bin/loanrisk" score --model "$work/model.txt" \
    --input "$work/applicants.csv" --output "$work/results.csv" --threads "$threads" 2>/dev/null
  cat "$work/time.txt" >> "$work/cli_runs.txt"
done
cat "$work/cli_runs.txt"

echo "== LightGBM $(python3 -c 'import lightgbm; print(lightgbm.__version__)') ($threads threads)"
python3 bench/lightgbm_reference.py --model "$work/model.txt" --input "$work/applicants.csv" \
  --threads "$threads" --repeat "$runs" --json > "$work/lightgbm.json"
cat "$work/lightgbm.json"

echo "== CSV reader"
"$bin/scoring-bench" csv --input "$work/applicants.csv" --iterations 3

python3 - "$work" "$threads" <<'PY'
import json, statistics, sys
work, threads = sys.argv[1], sys.argv[2]
swift = json.load(open(f"{work}/swift_predict.json"))
lgb = json.load(open(f"{work}/lightgbm.json"))
runs = [tuple(map(float, line.split())) for line in open(f"{work}/cli_runs.txt") if line.strip()]
cli_s = statistics.median(r[0] for r in runs)
cli_mb = max(r[1] for r in runs) / 1024
def pick(d, *keys):
    for k in keys:
        if k in d:
            v = d[k]
            return v["min"] if isinstance(v, dict) and "min" in v else v
    return float("nan")
lgb_predict = pick(lgb, "predict_seconds_min", "predict_seconds")
lgb_pipe = pick(lgb, "process_pipeline_seconds", "pipeline_seconds")
lgb_rss = pick(lgb, "process_peak_rss_mb", "peak_rss_mb")
print()
print(f"| {threads} threads | Swift | LightGBM 4.7 | ratio |")
print("|---|---|---|---|")
print(f"| predict, 50,000 x 1,000 trees | {swift['predict_seconds_min']:.3f} s | {lgb_predict:.3f} s | {lgb_predict / swift['predict_seconds_min']:.1f}x |")
print(f"| whole CSV run (process) | {cli_s:.2f} s | {lgb_pipe:.2f} s | {lgb_pipe / cli_s:.1f}x |")
print(f"| peak memory of that run | {cli_mb:.0f} MB | {lgb_rss:.0f} MB | |")
print(f"| parity | {swift['bit_exact_rows']} of {swift['rows']} rows bit-identical, max diff {swift['max_abs_diff']} | | |")
PY
