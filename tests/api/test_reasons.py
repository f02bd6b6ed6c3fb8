"""Principal reasons and contributions (issue #6) against LightGBM itself.

`?contributions=true` must give, for every model feature and the expected value, LightGBM's own
`Booster.predict(pred_contrib=True)` for the same row within 1e-9 (the server's TreeSHAP is exact;
only the summation order differs), and they must sum to the raw score, the log-odds of
`probability_of_default`. The reasons in each result must be the largest of those contributions
at or above the bundle's reason floor (0.02 log-odds), largest first (a feature whose sentence is
already given is skipped, and so is a monotone feature whose value is on the side the model
treats as safer). The model feature frame is built here from bundle.json's
`derived_features`, the same spec training and the server read (training/loanrisk_training/
derived.py is the reference implementation: map, ratio, difference, product).
"""

from __future__ import annotations

import csv
import io
import math

import pytest

MODELS = ["lending-club", "german-credit", "credit-data"]
ROWS = 40
TOLERANCE = 1e-9


@pytest.fixture(scope="module")
def lgb(api):
    return api.require("lightgbm")


@pytest.fixture(scope="module")
def pd(api):
    return api.require("pandas")


@pytest.fixture(scope="module")
def np(api):
    return api.require("numpy")


def _number(value) -> float:
    return math.nan if value is None else float(value)


def model_frame(pd, np, bundle: dict, applicants: list[dict]):
    """The frame LightGBM saw in training: raw inputs (categoricals over the bundle's
    categories), then the derived features in spec order, picked in model order."""
    columns: dict[str, object] = {}
    for feature in bundle["features"]:
        values = [a.get(feature["name"]) for a in applicants]
        if feature["kind"] == "categorical":
            known = set(feature["categories"])
            columns[feature["name"]] = pd.Categorical([v if v in known else None for v in values],
                                                      categories=feature["categories"])
        else:
            columns[feature["name"]] = np.array([_number(v) for v in values], dtype=np.float64)
    for op in bundle.get("derived_features", []):
        kind = op["op"]
        if kind == "map":
            source = columns[op["source"]]
            columns[op["name"]] = np.array(
                [float(op["mapping"][label]) if isinstance(label, str) and label in op["mapping"] else math.nan
                 for label in source], dtype=np.float64)
            continue
        a_key, b_key = ("numerator", "denominator") if kind == "ratio" else ("left", "right")
        a = np.asarray(columns[op[a_key]], dtype=np.float64)
        b = np.asarray(columns[op[b_key]], dtype=np.float64)
        if kind == "ratio":
            out = np.full(a.shape, np.nan)
            ok = ~np.isnan(a) & ~np.isnan(b) & (b != 0)
            np.divide(a, b, out=out, where=ok)
        elif kind == "difference":
            out = a - b
        elif kind == "product":
            out = a * b
        else:
            raise AssertionError(f"derived op {kind!r} is not known to this test")
        columns[op["name"]] = out
    return pd.DataFrame({name: columns[name] for name in bundle["model_features"]})


def predict(server, model: str, applicants: list[dict], query: str = "") -> list[dict]:
    response = server.post(f"/api/v1/models/{model}/predict{query}", {"applicants": applicants})
    assert response.status == 200, str(response)
    results = response.json()["results"]
    assert len(results) == len(applicants)
    return results


@pytest.mark.parametrize("model", MODELS)
def test_contributions_match_lightgbm_pred_contrib(api, server, lgb, pd, np, model):
    bundle = api.load_bundle(model)
    applicants = [api.applicant_json(r, bundle) for r in api.sample_rows(model)[:ROWS]]
    booster = lgb.Booster(model_file=str(api.MODELS / model / "model.txt"))
    assert booster.feature_name() == bundle["model_features"]
    expected = booster.predict(model_frame(pd, np, bundle, applicants), pred_contrib=True)
    raw = booster.predict(model_frame(pd, np, bundle, applicants), raw_score=True)
    results = predict(server, model, applicants, "?contributions=true&reasons=0")
    features = bundle["model_features"]
    problems = []
    for i, result in enumerate(results):
        assert "reasons" not in result, "?reasons=0 gives no reasons"
        contributions = result["contributions"]
        assert list(contributions) == features + ["expected_value"], "model order, then the expected value"
        for j, name in enumerate(features + ["expected_value"]):
            got, want = contributions[name], float(expected[i][j])
            if abs(got - want) > TOLERANCE:
                problems.append(f"row {i} {name}: API {got!r}, LightGBM {want!r}")
        total = math.fsum(contributions.values())
        p = result["probability_of_default"]
        assert abs(total - float(raw[i])) <= TOLERANCE, (i, total, raw[i])
        assert abs(total - math.log(p / (1 - p))) <= TOLERANCE, (i, total, p)
    assert not problems, "\n".join(problems[:20])


@pytest.mark.parametrize("model", MODELS)
def test_reasons_are_the_largest_positive_contributions(api, server, model):
    bundle = api.load_bundle(model)
    applicants = [api.applicant_json(r, bundle) for r in api.sample_rows(model)[:ROWS]]
    explained = predict(server, model, applicants, "?contributions=true")
    default = predict(server, model, applicants)
    for i, (full, plain) in enumerate(zip(explained, default)):
        assert plain["reasons"] == full["reasons"], f"row {i}: the same reasons with or without contributions"
        assert "contributions" not in plain
        floor = bundle["policy"].get("reason_floor", 0.02)
        constrained = bundle.get("monotone_constraints") or {}
        positive = sorted(((v, k) for k, v in full["contributions"].items() if k != "expected_value" and v >= floor),
                          key=lambda t: -t[0])
        reasons = full["reasons"]
        # The largest contributions above the floor, in order; a feature whose sentence an
        # earlier reason already gave (two features from one column) is passed over for the
        # next, and so is a constrained feature whose value stands on its safer side.
        assert len(reasons) <= min(4, len(positive)), f"row {i}: {reasons}"
        ranked = [name for _, name in positive]
        places = [ranked.index(r["feature"]) for r in reasons]
        assert places == sorted(places), (i, places)
        passed_over = ranked[: places[0]] if places else ranked
        assert all(name in constrained for name in passed_over), (i, passed_over)
        assert len({r["text"] for r in reasons}) == len(reasons), f"row {i}: a sentence given twice"
        for reason in reasons:
            assert set(reason) == {"feature", "columns", "phrase", "value", "kind", "contribution", "text"}
            assert reason["contribution"] == full["contributions"][reason["feature"]] >= floor, (i, reason)
            assert reason["kind"] in ("value", "missing", "unseen_category")
            assert reason["text"] and reason["phrase"]


def test_reason_count_and_off(api, server):
    bundle = api.load_bundle(api.DEFAULT_MODEL)
    applicant = api.applicant_json(api.sample_rows()[0], bundle)
    for n in (0, 1, 10):
        response = server.post(f"/api/v1/predict?reasons={n}", applicant)
        assert response.status == 200, str(response)
        body = response.json()
        if n == 0:
            assert "reasons" not in body
        else:
            assert len(body["reasons"]) <= n


@pytest.mark.parametrize("query, parameter, value", [
    ("reasons=11", "reasons", "11"), ("reasons=-2", "reasons", "-2"), ("reasons=lots", "reasons", "lots"),
    ("contributions=perhaps", "contributions", "perhaps"),
])
def test_bad_query_values_are_400_problem_json(api, server, query, parameter, value):
    bundle = api.load_bundle(api.DEFAULT_MODEL)
    response = server.post(f"/api/v1/predict?{query}", api.applicant_json(api.sample_rows()[0], bundle))
    assert response.status == 400, str(response)
    assert response.content_type.startswith("application/problem+json"), response.content_type
    detail = response.json()["detail"]
    assert f"'{parameter}'" in detail and value in detail, detail


def test_csv_answer_has_reason_columns(api, server):
    body = (api.REPO_ROOT / "Data" / "samples" / "lending-club-sample.csv").read_bytes()
    response = server.post("/api/v1/predict?reasons=3", body, content_type="text/csv")
    assert response.status == 200, str(response)
    rows = list(csv.reader(io.StringIO(response.body.decode())))
    assert rows[0][-5:] == ["status", "model_version", "reason_1", "reason_2", "reason_3"], rows[0]
    assert all(len(r) == len(rows[0]) for r in rows[1:])
    # Every row names the exact version that scored it: the one the JSON answers name too.
    version = server.get("/api/v1/models/lending-club").json()["version"]
    assert {r[-4] for r in rows[1:]} == {version}
    assert any(r[-3] for r in rows[1:]), "no row has a reason"
