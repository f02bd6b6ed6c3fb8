#!/usr/bin/env bash
# Drift report speed and parity (issue 12): the 50,000 x 120 workload (bench/work, made by
# training/bench_workload.py) against a copy with ten columns in other units (five divided
# by 100, five multiplied by 12), every column binned as the training pipeline bins
# (deciles; missing apart). Prints LoanRisk's time for the whole report on 2 threads, then
# Evidently's PSI on the same bins (parity) and Evidently 0.7's DataDriftPreset(method="psi")
# on the same frames (time). Evidently pins pandas < 3: it gets a virtual environment of its own.
set -euo pipefail
cd "$(dirname "$0")/.."
work=bench/work
[ -f "$work/model.txt" ] || python3 training/bench_workload.py --out "$work"
venv=.build/evidently-venv
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q -r tests/drift/requirements.txt
fi
python3 bench/make_drifted.py "$work/applicants.csv" "$work/drifted.csv"
swift build -c release --product scoring-bench >/dev/null
bin=$(swift build -c release --show-bin-path)/scoring-bench
echo "== LoanRisk: in-range file, then the drifted one"
"$bin" drift --model "$work/model.txt" --reference "$work/applicants.csv" --current "$work/applicants.csv"
"$bin" drift --model "$work/model.txt" --reference "$work/applicants.csv" --current "$work/drifted.csv" --psi-out "$work/drift-psi.json"
echo "== Evidently on the same data"
"$venv/bin/python" bench/drift_evidently.py "$work/applicants.csv" "$work/drifted.csv" "$work/drift-psi.json" --time
