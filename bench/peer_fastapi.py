"""The yardstick for bench/api.sh: the Python service a team would usually write instead of
LoanRisk's API, serving the same LightGBM model.txt of a bundle.

FastAPI + pydantic + uvicorn (2 worker processes, uvloop/httptools) + pandas + LightGBM:
`POST /predict` takes ONE applicant object (the bundle's raw inputs; numbers as JSON numbers or
strings; null/absent = missing; unknown fields ignored) and answers
`{"id", "probability_of_default", "decision", "score", "warnings", "model"}` as LoanRisk does.

Per request: pydantic validation -> a one-row pandas frame (float64 numbers with NaN for missing;
categoricals as pandas Categoricals over the bundle's categories, so unknown labels are missing)
-> the bundle's derived features (training/loanrisk_training/derived.py, the same code the
training pipeline and golden files use) -> the model's columns -> `booster.predict`. That is the
path the training pipeline uses, so the probability is LightGBM's own (and, LoanRisk being
bit-identical to LightGBM, the same double LoanRisk answers).

    pip install -r bench/peer_requirements.txt
    python3 bench/peer_fastapi.py --port 8001 [--workers 2] [--bundle Data/models/lending-club]
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
from pathlib import Path
from typing import Optional

# One thread per worker process: 2 workers on 2 cores, as LoanRisk gets 2 cores.
os.environ.setdefault("OMP_NUM_THREADS", "1")

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "training"))

import lightgbm as lgb  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from fastapi import FastAPI  # noqa: E402
from pydantic import BaseModel, ConfigDict, create_model  # noqa: E402

from loanrisk_training.derived import add_derived  # noqa: E402

BUNDLE_DIR = Path(os.environ.get("PEER_BUNDLE", REPO / "Data" / "models" / "lending-club"))
BUNDLE = json.loads((BUNDLE_DIR / "bundle.json").read_text())
BOOSTER = lgb.Booster(model_file=str(BUNDLE_DIR / "model.txt"))
FEATURES = BUNDLE["features"]
DERIVED = BUNDLE.get("derived_features", [])
MODEL_FEATURES = BUNDLE["model_features"]
ID_COLUMN = BUNDLE.get("id_column")
POLICY = BUNDLE["policy"]
SCALING = BUNDLE.get("score_scaling", {})
FACTOR = SCALING.get("factor", 20 / math.log(2))
OFFSET = SCALING.get("offset", 600 - FACTOR * math.log(50))


class _Base(BaseModel):
    model_config = ConfigDict(extra="allow")  # unknown fields are kept aside and reported


_fields = {f["name"]: ((Optional[str] if f["kind"] == "categorical" else Optional[float]), None) for f in FEATURES}
if ID_COLUMN:
    _fields[ID_COLUMN] = (Optional[str], None)
Applicant = create_model("Applicant", __base__=_Base, **_fields)


class ModelRef(BaseModel):
    name: str
    version: str


class Prediction(BaseModel):
    id: Optional[str] = None
    probability_of_default: float
    decision: str
    score: int
    warnings: list[str]
    model: ModelRef


def frame(applicant: BaseModel) -> pd.DataFrame:
    """The raw one-row frame as training/loanrisk_training/data.raw_frame types it."""
    data = {}
    for f in FEATURES:
        value = getattr(applicant, f["name"])
        if f["kind"] == "categorical":
            label = value.strip(" \t") if isinstance(value, str) else None
            data[f["name"]] = pd.Categorical([label if label in f["categories"] else None], categories=f["categories"])
        else:
            data[f["name"]] = np.array([math.nan if value is None else value], dtype=np.float64)
    return pd.DataFrame(data)


def decide(p: float) -> str:
    if p >= POLICY["decline_at_or_above"]:
        return "decline"
    return "approve" if p < POLICY["approve_below"] else "review"


def points(p: float) -> int:
    clamped = min(max(p, 1e-12), 1 - 1e-12)
    return int(round(OFFSET - FACTOR * math.log(clamped / (1 - clamped))))


app = FastAPI(title=f"peer: {BUNDLE['name']} on FastAPI + LightGBM")


@app.post("/predict", response_model=Prediction)
def predict(applicant: Applicant) -> Prediction:  # type: ignore[valid-type]
    matrix = add_derived(frame(applicant), DERIVED)[MODEL_FEATURES]
    p = float(BOOSTER.predict(matrix, num_threads=1)[0])
    unknown = sorted((applicant.model_extra or {}).keys())
    return Prediction(
        id=getattr(applicant, ID_COLUMN) if ID_COLUMN else None,
        probability_of_default=p, decision=decide(p), score=points(p),
        warnings=[f"'{name}' is not an input of this model and was ignored." for name in unknown],
        model=ModelRef(name=BUNDLE["name"], version=BUNDLE["version"]),
    )


@app.get("/healthz")
def healthz() -> dict:
    return {"status": "ok"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8001)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--bundle", help="bundle folder (default Data/models/lending-club)")
    args = parser.parse_args()
    if args.bundle:
        os.environ["PEER_BUNDLE"] = str(Path(args.bundle).resolve())  # the workers read it on import
    import uvicorn
    uvicorn.run("peer_fastapi:app", host=args.host, port=args.port, workers=args.workers,
                log_level="warning", access_log=False)


if __name__ == "__main__":
    main()
