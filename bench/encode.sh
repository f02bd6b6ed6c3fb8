#!/usr/bin/env bash
# Reading cells through the lending-club schema (no model): 50,000 applicants whose categories
# are written as codes (term_36), as the form's words (36 months), and as the words in capitals.
# Prints figures, asserts nothing.   bash bench/encode.sh
set -euo pipefail
cd "$(dirname "$0")/.."
work=bench/work/encode
mkdir -p "$work"
python3 - "$work" <<'PY'
import csv, json, sys
out = sys.argv[1]
bundle = json.load(open("Data/models/lending-club/bundle.json"))
labels = {f["name"]: f.get("labels") or {} for f in bundle["features"] if f["kind"] == "categorical"}
rows = list(csv.reader(open("Data/samples/lending-club-sample.csv")))
header, body = rows[0], rows[1:]
for name, change in (("codes", lambda c, l: c), ("words", lambda c, l: l.get(c, c)), ("upper", lambda c, l: l.get(c, c).upper())):
    with open(f"{out}/{name}.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(header)
        for i in range(50_000):
            row = body[i % len(body)]
            w.writerow([change(c, labels[h]) if h in labels else c for h, c in zip(header, row)])
PY
swift build -c release --product scoring-bench >/dev/null
bin=$(swift build -c release --show-bin-path)
for name in codes words upper; do
  echo "== $name"
  "$bin/scoring-bench" encode --bundle Data/models/lending-club --input "$work/$name.csv"
done
