"""Protected attributes over the real API: an applicant sent with them is scored exactly as
without them, and the answer says they were not used; a CSV that carries them passes them
through untouched. The template and the model card never ask for them."""

from __future__ import annotations

import csv
import io
import re

import pytest

CASES = [("german-credit", {"personal_status_and_sex": "female : divorced/separated/married", "foreign_worker": "yes"}),
         ("credit-data", {"Marital": "widow"})]


@pytest.mark.parametrize("model,protected", CASES)
def test_a_protected_attribute_sent_is_reported_and_changes_nothing(api, server, model, protected):
    bundle = api.load_bundle(model)
    assert {p["name"] for p in bundle["protected_inputs"]} == set(protected)
    applicants = [api.applicant_json(r, bundle) for r in api.sample_rows(model)[:20]]
    plain = server.post(f"/api/v1/models/{model}/predict?contributions=true", {"applicants": applicants})
    carrying = server.post(f"/api/v1/models/{model}/predict?contributions=true",
                           {"applicants": [{**a, **protected} for a in applicants]})
    assert plain.status == carrying.status == 200, (str(plain), str(carrying))
    for without, with_ in zip(plain.json()["results"], carrying.json()["results"]):
        assert with_["probability_of_default"] == without["probability_of_default"]
        assert with_["contributions"] == without["contributions"] and with_["reasons"] == without["reasons"]
        basis = {p["name"]: p["basis"] for p in bundle["protected_inputs"]}
        for name in protected:
            assert f"'{name}' is a protected attribute ({basis[name]}); it was not used in the decision." in with_["warnings"]


@pytest.mark.parametrize("model,protected", CASES)
def test_a_csv_that_carries_them_passes_them_through(api, server, model, protected):
    bundle = api.load_bundle(model)
    rows = api.sample_rows(model)[:10]
    header = list(rows[0]) + list(protected)
    body = io.StringIO()
    writer = csv.writer(body, lineterminator="\r\n")
    writer.writerow(header)
    for r in rows:
        writer.writerow([r[c] for c in rows[0]] + list(protected.values()))
    response = server.post(f"/api/v1/models/{model}/predict", body.getvalue(), content_type="text/csv")
    assert response.status == 200, str(response)
    out = list(csv.DictReader(io.StringIO(response.body.decode("utf-8"))))
    assert len(out) == len(rows)
    for row in out:
        assert {k: row[k] for k in protected} == protected
        assert row["status"] == "ok"
    template = server.get(f"/models/{model}/template.csv")
    assert template.status == 200
    assert not set(protected) & set(template.body.decode().splitlines()[0].split(","))
    assert bundle["id_column"] in template.body.decode().splitlines()[0]


@pytest.mark.parametrize("model,protected", CASES)
def test_the_model_card_shows_the_disparate_impact_report(server, model, protected):
    page = server.get(f"/models/{model}")
    assert page.status == 200
    html = page.body.decode()
    assert "Fair lending" in html and "Disparate impact of the decision policy" in html
    assert "four-fifths rule" in html and "What these choices cost" in html
    for name in protected:
        inputs = re.split(r"<h2[^>]*>Inputs</h2>", html.split('id="fair-lending"')[1])
        assert len(inputs) == 2, "the card has one Inputs section after Fair lending"
        assert f"<code>{name}</code>" not in inputs[1]
