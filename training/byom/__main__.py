"""Train the three lender artefacts of issue 34 into a folder.

    python3 -m training.byom OUT

writes, for each, the model file as its own library saves or our exporter writes it, and
`expected-<name>.csv`: the library's own answer for every applicant of the bundled sample
(probability of default; total points for the scorecard). tests/byom checks LoanRisk gives
the same after `loanrisk bundle init`, register and promote.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from . import forest_credit_data, scorecard_german_credit, xgboost_lending_club

TRAINERS = {"xgboost": xgboost_lending_club, "sklearn": forest_credit_data, "scorecard": scorecard_german_credit}


def main(argv: list[str]) -> int:
    if len(argv) < 1:
        print(__doc__, file=sys.stderr)
        return 2
    out = Path(argv[0])
    out.mkdir(parents=True, exist_ok=True)
    kinds = argv[1:] or list(TRAINERS)
    listing = out / "artefacts.json"
    index = json.loads(listing.read_text()) if listing.exists() else {}
    for kind in kinds:
        artefact = TRAINERS[kind].train(out)
        expected = out / f"expected-{kind}.csv"
        artefact.write_expected(expected)
        index[kind] = {"name": artefact.name, "model": str(artefact.model), "sample": str(artefact.sample),
                       "expected": str(expected), "note": artefact.note}
        print(f"{kind}: {artefact.model.name} ({artefact.note})")
    listing.write_text(json.dumps(index, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
