"""Reading CSVs the way LoanRisk reads an upload, cleaning per recipe, typing raw columns.

Cells are read as text with Python's csv module and interpreted exactly as the Swift scorer
does (README "loanrisk score"): after trimming spaces and tabs, an empty cell or NA, N/A, NaN,
null, None (any case) is missing; numbers are decimal literals parsed with float() (correctly
rounded, as Swift's Double parsing); a categorical label outside the feature's categories is
missing.
"""

from __future__ import annotations

import csv
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

MISSING_TOKENS = {"", "na", "n/a", "nan", "null", "none"}
NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")


class DataError(ValueError):
    pass


def cell(text: str) -> str:
    return text.strip(" \t")


def is_missing(text: str) -> bool:
    return cell(text).lower() in MISSING_TOKENS


def parse_number(text: str, column: str) -> float:
    value = cell(text)
    if is_missing(value):
        return np.nan
    if not NUMBER.fullmatch(value):
        raise DataError(f"'{column}' must be a number, but is {text!r}.")
    return float(value)


def read_csv(path: Path) -> tuple[list[str], list[list[str]]]:
    with open(path, newline="", encoding="utf-8-sig") as f:
        rows = list(csv.reader(f))
    if not rows:
        raise DataError(f"{path} is empty.")
    header, body = rows[0], [r for r in rows[1:] if r]
    for i, r in enumerate(body):
        if len(r) != len(header):
            raise DataError(f"{path}: data row {i + 1} has {len(r)} fields, the header {len(header)}.")
    return header, body


def write_csv(path: Path, header: list[str], rows: list[list[str]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def sha256_file(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


@dataclass
class Dataset:
    """Cleaned text of the recipe's raw columns, the target, and where each row came from."""
    columns: list[str]              # raw feature names, in recipe order
    text: list[list[str]]           # cleaned cell text per row, in `columns` order
    y: np.ndarray                   # 1 = positive label (bad)
    source_row: np.ndarray          # 1-based data row in the file
    cleaning: dict                  # what was changed, per column

    def subset(self, index: np.ndarray) -> "Dataset":
        return Dataset(self.columns, [self.text[i] for i in index], self.y[index], self.source_row[index], self.cleaning)

    def select(self, names: list[str]) -> "Dataset":
        """The same rows with only the columns `names`, in that order."""
        where = [self.columns.index(n) for n in names]
        return Dataset(list(names), [[r[j] for j in where] for r in self.text], self.y, self.source_row, self.cleaning)


def load_dataset(path: Path, recipe: dict) -> Dataset:
    header, body = read_csv(path)
    columns = [f["name"] for f in recipe["features"]]
    target = recipe["target"]
    absent = [c for c in columns + [target["column"]] if c not in header]
    if absent:
        raise DataError(f"{path} lacks the columns {absent} that recipe '{recipe['dataset']}' needs.")
    where = [header.index(c) for c in columns]
    t = header.index(target["column"])
    labels = {target["positive_label"]: 1, target["negative_label"]: 0}
    recode = recipe.get("recode", {})
    codes = {c: {float(v) for v in vs} for c, vs in recipe.get("missing_codes", {}).items()}
    changed = {c: 0 for c in list(recode) + list(codes)}
    text, y, source = [], [], []
    dropped_target = 0
    for number, row in enumerate(body, start=1):
        label = cell(row[t])
        if is_missing(label):
            dropped_target += 1
            continue
        if label not in labels:
            raise DataError(f"{path}: row {number} has {target['column']}={label!r}; expected {sorted(labels)}.")
        values = []
        for c, i in zip(columns, where):
            v = row[i]
            if c in recode and cell(v) in recode[c]:
                v = recode[c][cell(v)]
                changed[c] += 1
            if c in codes and not is_missing(v) and parse_number(v, c) in codes[c]:
                v = ""
                changed[c] += 1
            values.append(v)
        text.append(values)
        y.append(labels[label])
        source.append(number)
    cleaning = {
        "recoded_labels": {c: {"map": recode[c], "cells": changed[c]} for c in recode},
        "missing_codes": {c: {"codes": recipe["missing_codes"][c], "cells": changed[c]} for c in codes},
        "rows_without_target": dropped_target,
    }
    return Dataset(columns, text, np.array(y, dtype=np.int64), np.array(source, dtype=np.int64), cleaning)


def check_labels(dataset: Dataset, features: list[dict]) -> None:
    """`none` is a real label in some data (German credit) but LoanRisk reads it as missing, so
    it could never reach the model as a label: the recipe must recode it (`recode`)."""
    for j, f in enumerate(features):
        if f["kind"] == "categorical" and any(cell(r[j]).lower() == "none" for r in dataset.text):
            raise DataError(f"'{f['name']}' has the label 'none', which LoanRisk reads as a missing value; recode it in the recipe.")


def categories(dataset: Dataset, features: list[dict]) -> dict[str, list[str]]:
    """Sorted labels seen in the data per categorical feature: the model's code order."""
    out = {}
    for j, f in enumerate(features):
        if f["kind"] == "categorical":
            out[f["name"]] = sorted({cell(r[j]) for r in dataset.text if not is_missing(r[j])})
    return out


def raw_frame(columns: list[str], text: list[list[str]], features: list[dict], cats: dict[str, list[str]]) -> pd.DataFrame:
    """Typed raw columns: numeric/integer -> float64 (NaN missing); categorical -> pandas
    Categorical over the bundle's categories (unknown labels and missing -> NaN)."""
    data = {}
    for j, name in enumerate(columns):
        f = next(f for f in features if f["name"] == name)
        values = [r[j] for r in text]
        if f["kind"] == "categorical":
            known = set(cats[name])
            labels = [cell(v) if cell(v) in known else None for v in values]
            data[name] = pd.Categorical(labels, categories=cats[name])
        else:
            numbers = np.array([parse_number(v, name) for v in values], dtype=np.float64)
            if f["kind"] == "integer":
                bad = ~np.isnan(numbers) & (numbers != np.round(numbers))
                if bad.any():
                    raise DataError(f"'{name}' must be a whole number, but is {values[int(np.argmax(bad))]!r}.")
            data[name] = numbers
    return pd.DataFrame(data)
