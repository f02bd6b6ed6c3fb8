"""The input tensors the Open Inference Protocol suites send (REST and gRPC alike), as
(name, datatype, numpy array) triples that either tritonclient module wraps in its InferInput."""

from __future__ import annotations

import math


def float64_arrays(np, bundle: dict, rows: list[dict[str, str]]):
    """One tensor per model input: BYTES for categorical inputs, FP64 for the others (an
    empty cell as NaN)."""
    out = []
    for feature in bundle["features"]:
        cells = [r[feature["name"]].strip() for r in rows]
        if feature["kind"] == "categorical":
            out.append((feature["name"], "BYTES", np.array([c.encode() for c in cells], dtype=np.object_)))
        else:
            out.append((feature["name"], "FP64", np.array([float(c) if c else math.nan for c in cells], dtype=np.float64)))
    return out


def mixed_arrays(np, bundle: dict, rows: list[dict[str, str]]):
    """Numeric inputs as other number types: whole-valued ones as INT64, the rest as FP32; and
    the applicants, as the JSON API takes them, holding exactly the doubles those values are."""
    tensors, applicants = [], [dict() for _ in rows]
    for feature in bundle["features"]:
        name = feature["name"]
        cells = [r[name].strip() for r in rows]
        if feature["kind"] == "categorical":
            array, datatype, values = np.array([c.encode() for c in cells], dtype=np.object_), "BYTES", cells
        elif all(float(c).is_integer() for c in cells):
            array, datatype = np.array([int(float(c)) for c in cells], dtype=np.int64), "INT64"
            values = [int(v) for v in array]
        else:
            array, datatype = np.array([float(c) for c in cells], dtype=np.float32), "FP32"
            values = [float(v) for v in array]
        tensors.append((name, datatype, array))
        for applicant, value in zip(applicants, values):
            applicant[name] = value
    assert {"FP32", "INT64", "BYTES"} <= {t[1] for t in tensors}, "the sample no longer has all three kinds"
    return tensors, applicants
