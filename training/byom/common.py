"""What the three lender artefacts share: where the data is, the held-out split, the result."""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[2]
DATASETS = ROOT / "Data" / "datasets"
SAMPLES = ROOT / "Data" / "samples"
ID_COLUMN = "applicant_id"


@dataclass
class Artefact:
    """A trained model file and its own library's answers for the held-out sample."""

    name: str
    kind: str
    model: Path
    sample: Path
    #: applicant id → the library's own answers: `probability` of default, and `points` for a scorecard.
    expected: dict[str, dict[str, float]]
    note: str
    extra: dict[str, object] = field(default_factory=dict)

    def write_expected(self, path: Path) -> None:
        columns = sorted({k for answers in self.expected.values() for k in answers})
        with open(path, "w", newline="") as f:
            writer = csv.writer(f)
            writer.writerow([ID_COLUMN, *columns])
            for applicant, answers in self.expected.items():
                writer.writerow([applicant, *(repr(answers[c]) for c in columns)])


def split(dataset: str, sample: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The dataset without the sample's rows (its ids are 1-based data row numbers), and the
    sample. Labels are recoded as the dataset's recipe recodes them (`recode`: German credit's
    raw `none`, which LoanRisk reads as a missing value), so the model knows the sample's labels."""
    data = pd.read_csv(DATASETS / dataset)
    recipe = ROOT / "training" / "recipes" / dataset.replace(".csv", ".json")
    if recipe.exists():
        for column, labels in json.loads(recipe.read_text()).get("recode", {}).items():
            data[column] = data[column].replace(labels)
    held = pd.read_csv(SAMPLES / sample)
    rows = {int(applicant.rsplit("-", 1)[1]) - 1 for applicant in held[ID_COLUMN]}
    keep = [i for i in range(len(data)) if i not in rows]
    return data.iloc[keep].reset_index(drop=True), held
