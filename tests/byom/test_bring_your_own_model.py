"""A lender's own models served by LoanRisk (issue 34), against their own libraries.

Three artefacts are trained in `training/byom` by the libraries a lender would use: an XGBoost
model with native categorical splits and early stopping (lending_club), a scikit-learn
RandomForest pipeline with one-hot categories whose unknown labels are ignored (credit_data)
and an optbinning points scorecard (German credit). Each is wrapped by `loanrisk bundle init`,
then:

* the CLI scores the held-out sample with the library's own probabilities, to the last bit
  (the scorecard: its points to the last bit, its probability through the card's odds);
* on a running server each is registered as a new version of the bundled model of the same
  data and set as its challenger: the JSON API's answers (from the LightGBM champion) are
  shadow-scored by it, and the comparison holds the library's probabilities;
* promoted to champion, the JSON API, the Open Inference Protocol and the browser upload's
  results.csv all give the library's probabilities, with reasons.
"""

from __future__ import annotations

import csv
import html
import io
import math
import time
import uuid

import pytest

from conftest import KINDS, Servers, run

LIBRARY = {"xgboost": "XGBoost", "sklearn": "scikit-learn", "scorecard": "scorecard"}


def close(kind: str, ours: float, theirs: float) -> bool:
    """Bit-exact for the tree models; a scorecard's probability goes through its odds
    mapping (points → odds), which the library computes from the unrounded log-odds."""
    if kind == "scorecard":
        return math.isclose(ours, theirs, rel_tol=1e-9, abs_tol=1e-12)
    return ours == theirs


@pytest.mark.parametrize("kind", KINDS)
def test_the_command_line_scores_as_the_library_does(kind, artefacts, binary):
    artefact = artefacts[kind]
    done = run(str(binary), "score", "--model", str(artefact.bundle), "--input", str(artefact.sample), "--output", "-")
    rows = list(csv.DictReader(io.StringIO(done.stdout)))
    assert len(rows) == len(artefact.expected)
    for row in rows:
        expected = artefact.expected[row["applicant_id"]]
        assert close(kind, float(row["probability_of_default"]), expected["probability"]), (row["applicant_id"], row["probability_of_default"], expected)
        if kind == "scorecard":
            # The score is the card's own total, rounded as scorecards are shown.
            assert int(row["score"]) == math.floor(expected["points"] + 0.5), (row["applicant_id"], row["score"], expected)


def applicant_json(row: dict[str, str], features: list[dict]) -> dict:
    out = {"applicant_id": row["applicant_id"]}
    for feature in features:
        text = row.get(feature["name"], "").strip()
        if text == "":
            out[feature["name"]] = None
        elif feature["kind"] == "categorical":
            out[feature["name"]] = text
        else:
            out[feature["name"]] = float(text) if any(c in text for c in ".eE") else int(text)
    return out


def upload(server, model: str, text: str) -> str:
    """Uploads a CSV as a signed-in browser does; returns the batch id the page redirects to."""
    cookie, token = server.cookie_header, server.csrf
    boundary = "----byom-" + uuid.uuid4().hex
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{token}\r\n"
            f"--{boundary}\r\nContent-Disposition: form-data; name=\"model\"\r\n\r\n{model}\r\n"
            f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"applicants.csv\"\r\n"
            f"Content-Type: text/csv\r\n\r\n{text}\r\n--{boundary}--\r\n").encode()
    answer = server.post("/batches", body, content_type=f"multipart/form-data; boundary={boundary}",
                         headers={"Cookie": cookie}, follow_redirects=False)
    assert answer.status == 303, str(answer)
    location = answer.headers.get("location") or answer.headers.get("Location", "")
    return location.rstrip("/").rsplit("/", 1)[1]


@pytest.fixture(scope="module")
def server():
    with Servers("loanrisk-byom-") as servers:
        # Stopping waits for the uploads' background reasons jobs: three files' worth on the debug build.
        yield servers.start(env={"LOG_LEVEL": "warning"}, stop_timeout=60)


@pytest.mark.parametrize("kind", KINDS)
def test_challenger_then_champion_through_every_channel(kind, artefacts, server):
    artefact = artefacts[kind]
    name, version = artefact.name, artefact.version
    registered = server.cli("models", "register", str(artefact.bundle))
    assert registered.returncode == 0, registered.stderr
    answer = server.request("PUT", f"/admin/v1/models/{name}/aliases/challenger", {"version": version})
    if answer.status == 409:
        # The scorecard leaves out an input the champion reads (age): named, then accepted.
        assert answer.json()["input_changes"]["removed"], str(answer)
        answer = server.request("PUT", f"/admin/v1/models/{name}/aliases/challenger", {"version": version, "force": True})
    assert answer.status == 200, str(answer)

    rows = artefact.sample_rows()
    described = server.get(f"/api/v1/models/{name}").json()
    champion_version = described["version"]
    assert described["kind"] == "lightgbm"
    applicants = [applicant_json(r, described["features"]) for r in rows]
    answer = server.post(f"/api/v1/models/{name}/predict", {"applicants": applicants})
    assert answer.status == 200, str(answer)

    # The challenger shadow-scores the champion's traffic with the library's probabilities.
    deadline = time.monotonic() + 20
    while True:
        comparison = server.get(f"/admin/v1/models/{name}/challenger").json()
        if comparison.get("pairs", 0) >= len(rows) or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    assert comparison["pairs"] >= len(rows), comparison
    assert comparison["challenger"] == version and comparison["champion"] == champion_version
    shown = comparison.get("largest_differences") or comparison.get("largestDifferences")
    assert shown
    for pair in shown:
        applicant = pair.get("applicant_id") or pair.get("applicantID")
        ours = pair.get("challenger_probability", pair.get("challengerProbability"))
        assert close(kind, ours, artefact.expected[applicant]["probability"]), pair

    # Promoted (its inputs differ from the LightGBM champion's: forced, as an admin would).
    answer = server.request("PUT", f"/admin/v1/models/{name}/aliases/champion", {"version": version, "force": True})
    assert answer.status == 200, str(answer)
    described = server.get(f"/api/v1/models/{name}").json()
    assert described["version"] == version and described["kind"] == kind
    features = described["features"]
    applicants = [applicant_json(r, features) for r in rows]

    answer = server.post(f"/api/v1/models/{name}/predict?reasons=4", {"applicants": applicants})
    assert answer.status == 200, str(answer)
    results = answer.json()["results"]
    explained = 0
    for row, result in zip(rows, results):
        assert close(kind, result["probability_of_default"], artefact.expected[row["applicant_id"]]["probability"]), (row["applicant_id"], result)
        explained += bool(result.get("reasons"))
    assert explained > len(rows) // 2, "most applicants get principal reasons"

    inputs = []
    for feature in features:
        values = [a[feature["name"]] for a in applicants]
        if feature["kind"] == "categorical":
            inputs.append({"name": feature["name"], "datatype": "BYTES", "shape": [len(values)], "data": values})
        else:
            inputs.append({"name": feature["name"], "datatype": "FP64", "shape": [len(values)], "data": values})
    answer = server.post(f"/v2/models/{name}/infer", {"inputs": inputs})
    assert answer.status == 200, str(answer)
    outputs = {o["name"]: o for o in answer.json()["outputs"]}
    for row, p in zip(rows, outputs["probability_of_default"]["data"]):
        assert close(kind, p, artefact.expected[row["applicant_id"]]["probability"]), row["applicant_id"]

    batch = upload(server, name, artefact.sample.read_text())
    download = server.get(f"/batches/{batch}/results.csv")
    assert download.status == 200, str(download)
    scored = list(csv.DictReader(io.StringIO(download.body.decode())))
    assert len(scored) == len(rows)
    for row in scored:
        assert close(kind, float(row["probability_of_default"]), artefact.expected[row["applicant_id"]]["probability"]), row["applicant_id"]
    page = server.get(f"/models/{name}")
    assert page.status == 200 and LIBRARY[kind] in page.text
    # The card quotes this version's bundle.json, not the shipped LightGBM bundle's evidence.
    assert "cross-validation" not in page.text and "Compared with other algorithms" not in page.text

    # The template asks for the model's inputs; the one-applicant form decides with the same reasons.
    template = server.get(f"/models/{name}/template.csv")
    assert template.status == 200
    header = next(csv.reader(io.StringIO(template.body.decode())))
    assert [f["name"] for f in features] == [c for c in header if c != "applicant_id"]
    first, reasons = rows[0], results[0].get("reasons") or []
    fields = {"model": name, "applicant_id": first["applicant_id"], **{f["name"]: first.get(f["name"], "") for f in features}}
    answer = server.session.post_form("/applicants", fields, follow_redirects=False)
    assert answer.status == 303, str(answer)
    decided = server.get(answer.headers.get("location") or answer.headers.get("Location", ""))
    assert decided.status == 200, str(decided)
    shown = html.unescape(decided.text)
    assert results[0]["decision"] in shown
    for reason in reasons:
        assert reason["text"] in shown, reason["text"]
