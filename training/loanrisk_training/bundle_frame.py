"""The frame a shipped bundle's model sees for rows of a CSV as a user uploads it: raw
columns typed from bundle.json, derived features computed, model features in order. Used
to ask LightGBM itself about a bundle (golden contributions, the TreeSHAP benchmark)."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from . import data, derived


def bundle_frame(folder: Path, csv_path: Path, rows: int = 0) -> pd.DataFrame:
    """`rows` from the top of `csv_path` (0: all) as `folder`'s model sees them."""
    spec = json.loads((folder / "bundle.json").read_text())
    header, text = data.read_csv(csv_path)
    if rows:
        text = text[:rows]
    features = spec["features"]
    names = [f["name"] for f in features]
    positions = [header.index(n) for n in names]
    cats = {f["name"]: f["categories"] for f in features if f["kind"] == "categorical"}
    raw = data.raw_frame(names, [[r[i] for i in positions] for r in text], features, cats)
    return derived.model_frame(raw, spec.get("derived_features", []), spec["model_features"])
