"""The CSVs that go with a bundle: template, sample and golden.

    Data/samples/<name>-template.csv   header (id column, then the raw features in schema
                                       order) and one example row
    Data/samples/<name>-sample.csv     the held-out applicants, without the target
    <bundle>/golden.csv                the sample rows plus edge rows, and LightGBM's
                                       `probability` for each (written with repr())

Golden probabilities come from the final model.txt reloaded with lgb.Booster(model_file=...),
scoring the frame that the derived-feature executor builds from the rows as read back from
the CSV — exactly what the Swift side does with the same file.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import lightgbm as lgb
import numpy as np

from . import data, derived

ID_COLUMN = "applicant_id"
MISSING_SPELLINGS = ["NA", "null", "N/A", "NaN", "None", "na"]


def sample_rows(dataset: data.Dataset, prefix: str) -> list[list[str]]:
    return [[f"{prefix}-{int(n):06d}"] + list(row) for n, row in zip(dataset.source_row, dataset.text)]


def example_row(rows: list[list[str]]) -> list[str]:
    """The first sample row without missing values (else the first row)."""
    return next((r for r in rows if not any(data.is_missing(v) for v in r)), rows[0])


def _number_text(value: float, kind: str) -> str:
    return str(int(round(value))) if kind == "integer" else repr(float(value))


def edge_rows(example: list[str], features: list[dict], derived_spec: list[dict], prefix: str) -> list[list[str]]:
    """Rows that exercise every path of the executor and of missing-value handling."""
    names = [f["name"] for f in features]
    base = example[1:]
    rows = []

    def add(tag: str, values: list[str]) -> None:
        rows.append([f"{prefix}-EDGE-{len(rows) + 1:02d}-{tag}"] + values)

    add("all-missing", [""] * len(names))
    add("missing-spellings", [MISSING_SPELLINGS[j % len(MISSING_SPELLINGS)] if j % 2 == 0 else f" {v} " for j, v in enumerate(base)])
    add("unseen-labels", ["UNSEEN-LABEL" if f["kind"] == "categorical" else v for f, v in zip(features, base)])
    add("categoricals-missing", ["" if f["kind"] == "categorical" else v for f, v in zip(features, base)])
    add("numbers-missing", ["" if f["kind"] != "categorical" else v for f, v in zip(features, base)])
    zero = list(base)
    denominators = {d["denominator"] for d in derived_spec if d["op"] == "ratio"} & set(names)
    for d in denominators:
        zero[names.index(d)] = "0"
    if denominators:
        add("zero-denominators", zero)
        numerators = {d["numerator"] for d in derived_spec if d["op"] == "ratio" and d["denominator"] in denominators} & set(names)
        half = [("" if n in numerators else v) for n, v in zip(names, base)]
        add("missing-numerators", half)
    add("out-of-range", [_number_text(10 * max(f["maximum"], 1.0), f["kind"]) if f["kind"] != "categorical" else v
                         for f, v in zip(features, base)])
    add("below-range", [_number_text(f["minimum"] - 1, f["kind"]) if f["kind"] != "categorical" else v
                        for f, v in zip(features, base)])
    return rows


def golden(bundle_dir: Path, header: list[str], rows: list[list[str]], features: list[dict], derived_spec: list[dict],
           model_features: list[str]) -> np.ndarray:
    """Writes golden.csv and returns its probabilities."""
    with tempfile.TemporaryDirectory() as tmp:
        staged = Path(tmp) / "golden-input.csv"
        data.write_csv(staged, header, rows)
        read_header, read_rows = data.read_csv(staged)
    assert read_header == header
    cats = {f["name"]: f["categories"] for f in features if f["kind"] == "categorical"}
    raw = data.raw_frame(header[1:], [r[1:] for r in read_rows], features, cats)
    frame = derived.model_frame(raw, derived_spec, model_features)
    booster = lgb.Booster(model_file=str(bundle_dir / "model.txt"))
    p = booster.predict(frame)
    data.write_csv(bundle_dir / "golden.csv", header + ["probability"], [r + [repr(float(v))] for r, v in zip(read_rows, p)])
    return p
