#!/usr/bin/env python3
"""Write a copy of the workload's applicants with ten columns in other units.

    python3 bench/make_drifted.py bench/work/applicants.csv bench/work/drifted.csv

The first ten numeric columns change: the even ones divided by 100 (as if rates came as
fractions), the odd ones multiplied by 12 (monthly figures sent as yearly). Every other
value is written back exactly as read. Used by bench/drift.sh and bench/upload.sh.
"""

import csv
import sys


def main(source: str, target: str) -> None:
    with open(source, newline="") as f, open(target, "w", newline="") as g:
        rows, out = csv.reader(f), csv.writer(g)
        header = next(rows)
        out.writerow(header)
        changed = [i for i, name in enumerate(header) if name.startswith("num_")][:10]
        for row in rows:
            for k, i in enumerate(changed):
                if row[i]:
                    row[i] = repr(float(row[i]) / 100 if k % 2 == 0 else float(row[i]) * 12)
            out.writerow(row)


if __name__ == "__main__":
    main(*sys.argv[1:3])
