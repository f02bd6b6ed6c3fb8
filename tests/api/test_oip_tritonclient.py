"""Open Inference Protocol v2 (KServe / Triton REST) as NVIDIA's own client speaks it.

`tritonclient[http]` is the official Triton client: if it can check health, read the model's
metadata and run `infer`, any OIP client can. The probabilities it gets back must be the very
same doubles that `POST /api/v1/predict` gives for the same rows (and that LightGBM itself gives,
per the bundle's golden.csv), and the decisions the same.

The 50 rows are the first 50 of Data/samples/lending-club-sample.csv. That sample has no missing
cells. In JSON tensors NaN cannot be sent: tritonclient's JSON goes through json.dumps, which
writes the invalid JSON token `NaN`, and the server answers 400; a missing FP64 value is sent as
`null` instead (test_raw_infer_null_is_missing). In binary tensors — tritonclient's default,
Triton's binary tensor data extension — NaN is a missing value (test_binary_nan_is_missing). An
input tensor that is left out is missing for every row (test_infer_absent_input_is_missing).

The binary extension's framing errors (sizes that do not add up, wrong datatypes, shapes that
do not hold the elements) are sent as raw bodies at the end, since tritonclient never makes them.
"""

from __future__ import annotations

import csv
import json
import math
import struct
import urllib.error
import urllib.request

import pytest
from keyed_client import Keyed  # tests/support, on the path by conftest
from oip_tensors import float64_arrays, mixed_arrays  # tests/support, on the path by conftest

ROWS = 50
DEFAULT_MODEL = "lending-club"


@pytest.fixture(scope="module")
def httpclient(api):
    return api.require("tritonclient.http", "tritonclient[http]")


@pytest.fixture(scope="module")
def np(api):
    return api.require("numpy")


@pytest.fixture(scope="module")
def client(httpclient, server):
    c = Keyed(httpclient.InferenceServerClient(url=f"{server.host}:{server.port}", connection_timeout=10.0,
                                               network_timeout=30.0), server.auth_headers)
    yield c
    c.close()


@pytest.fixture(scope="module")
def rows(api) -> list[dict[str, str]]:
    rows = api.sample_rows(DEFAULT_MODEL)[:ROWS]
    assert len(rows) == ROWS
    # The premise of the comment above: no missing cells, hence no NaN to send.
    assert all(v.strip() != "" for r in rows for v in r.values()), "the sample now has missing cells"
    return rows


def oip_datatype(feature: dict) -> str:
    return "BYTES" if feature["kind"] == "categorical" else "FP64"


def infer_inputs(httpclient, np, bundle: dict, rows: list[dict[str, str]], binary_data: bool = False):
    """One InferInput per model input, as JSON tensors (binary_data=False) or, as tritonclient
    sends them by default, binary ones."""
    inputs = []
    for name, datatype, array in float64_arrays(np, bundle, rows):
        tensor = httpclient.InferInput(name, [len(rows)], datatype)
        tensor.set_data_from_numpy(array, binary_data=binary_data)
        inputs.append(tensor)
    return inputs


def api_predictions(api, server, bundle: dict, rows: list[dict[str, str]]) -> list[dict]:
    response = server.post("/api/v1/predict", {"applicants": [api.applicant_json(r, bundle) for r in rows]})
    assert response.status == 200, str(response)
    results = response.json()["results"]
    assert len(results) == len(rows)
    return results


def test_server_live_and_ready(client):
    assert client.is_server_live()
    assert client.is_server_ready()


def test_model_ready(client):
    assert client.is_model_ready(DEFAULT_MODEL)
    assert not client.is_model_ready("no-such-model")


def test_model_metadata(client, lending_club_bundle):
    meta = client.get_model_metadata(DEFAULT_MODEL)
    assert meta["name"] == DEFAULT_MODEL
    assert lending_club_bundle["version"] in meta["versions"], meta
    assert meta.get("platform"), meta
    inputs = {i["name"]: i for i in meta["inputs"]}
    assert list(inputs) == [f["name"] for f in lending_club_bundle["features"]], "inputs in the bundle's order"
    for feature in lending_club_bundle["features"]:
        tensor = inputs[feature["name"]]
        assert tensor["datatype"] == oip_datatype(feature), tensor
        assert tensor["shape"] == [-1], tensor
    outputs = {o["name"]: o for o in meta["outputs"]}
    assert outputs["probability_of_default"]["datatype"] == "FP64"
    assert outputs["decision"]["datatype"] == "BYTES"
    assert outputs["probability_of_default"]["shape"] == outputs["decision"]["shape"] == [-1]
    # The outputs given only when asked for (issue #6).
    width = len(lending_club_bundle["model_features"]) + 1
    assert outputs["contributions"] == {"name": "contributions", "datatype": "FP64", "shape": [-1, width]}
    assert outputs["reasons"]["datatype"] == "BYTES" and outputs["reasons"]["shape"] == [-1, -1]


def test_model_metadata_unknown_model(client, httpclient):
    with pytest.raises(httpclient.InferenceServerException) as info:
        client.get_model_metadata("no-such-model")
    assert info.value.status() == "404", (info.value.status(), str(info.value))


def test_infer_matches_json_api_exactly(api, client, httpclient, np, server, lending_club_bundle, rows):
    outputs = [httpclient.InferRequestedOutput("probability_of_default", binary_data=False),
               httpclient.InferRequestedOutput("decision", binary_data=False)]
    result = client.infer(DEFAULT_MODEL, infer_inputs(httpclient, np, lending_club_bundle, rows), outputs=outputs,
                          request_id="tritonclient-50")
    response = result.get_response()
    assert response["model_name"] == DEFAULT_MODEL
    assert response.get("model_version") == lending_club_bundle["version"], response.get("model_version")
    assert response.get("id") in (None, "tritonclient-50"), "OIP: the request id, if echoed, is the one sent"

    probabilities = result.as_numpy("probability_of_default")
    decisions = result.as_numpy("decision")
    assert probabilities is not None and decisions is not None, response.keys()
    assert probabilities.dtype == np.float64 and probabilities.shape == (ROWS,)
    assert decisions.shape == (ROWS,)

    expected = api_predictions(api, server, lending_club_bundle, rows)
    mismatches = []
    for i, (row, want) in enumerate(zip(rows, expected)):
        got_p = float(probabilities[i])
        got_d = decisions[i].decode() if isinstance(decisions[i], bytes) else str(decisions[i])
        if got_p != want["probability_of_default"] or got_d != want["decision"]:
            mismatches.append(f"row {i} ({row['applicant_id']}): OIP {got_p!r} {got_d}, "
                              f"/api/v1/predict {want['probability_of_default']!r} {want['decision']}")
    assert not mismatches, "\n".join(mismatches)


def test_infer_matches_lightgbm_golden(api, client, httpclient, np, lending_club_bundle, rows):
    """The shipped golden.csv holds LightGBM's own probability for every sample row."""
    with open(api.MODELS / DEFAULT_MODEL / "golden.csv", newline="") as f:
        golden = {r["applicant_id"]: float(r["probability"]) for r in csv.DictReader(f)}
    outputs = [httpclient.InferRequestedOutput("probability_of_default", binary_data=False)]
    result = client.infer(DEFAULT_MODEL, infer_inputs(httpclient, np, lending_club_bundle, rows), outputs=outputs)
    probabilities = result.as_numpy("probability_of_default")
    compared = 0
    for row, p in zip(rows, probabilities):
        if row["applicant_id"] in golden:
            assert float(p) == golden[row["applicant_id"]], row["applicant_id"]
            compared += 1
    assert compared == ROWS


def test_infer_with_client_defaults(client, httpclient, np, lending_club_bundle, rows):
    """No requested outputs: tritonclient then adds `parameters: {binary_data_output: true}`
    (Triton's binary extension), and every default output comes back in binary: the JSON
    header gives each one's `binary_data_size` instead of its data."""
    result = client.infer(DEFAULT_MODEL, infer_inputs(httpclient, np, lending_club_bundle, rows[:3]))
    outputs = {o["name"]: o for o in result.get_response()["outputs"]}
    assert set(outputs) == {"probability_of_default", "decision"}
    assert outputs["probability_of_default"]["parameters"] == {"binary_data_size": 3 * 8}
    assert "data" not in outputs["probability_of_default"]
    assert result.as_numpy("probability_of_default").shape == (3,)


def test_infer_absent_input_is_missing(api, client, httpclient, np, server, lending_club_bundle, rows):
    """An input tensor left out is read as missing for every row, as an absent field is in the
    JSON API (LoanRisk's choice; Triton would answer 400): same probabilities as
    /api/v1/predict with that field null."""
    dropped = "annual_inc"
    inputs = [t for t in infer_inputs(httpclient, np, lending_club_bundle, rows[:5]) if t.name() != dropped]
    result = client.infer(DEFAULT_MODEL, inputs)
    applicants = [dict(api.applicant_json(r, lending_club_bundle), **{dropped: None}) for r in rows[:5]]
    response = server.post("/api/v1/predict", {"applicants": applicants})
    assert response.status == 200, str(response)
    expected = [r["probability_of_default"] for r in response.json()["results"]]
    assert [float(p) for p in result.as_numpy("probability_of_default")] == expected
    full = client.infer(DEFAULT_MODEL, infer_inputs(httpclient, np, lending_club_bundle, rows[:5]))
    assert list(full.as_numpy("probability_of_default")) != expected, "dropping annual_inc changed nothing"


def test_infer_shape_mismatch_is_a_client_error(client, httpclient, np, lending_club_bundle, rows):
    inputs = infer_inputs(httpclient, np, lending_club_bundle, rows[:2])
    inputs[0] = httpclient.InferInput(inputs[0].name(), [1], inputs[0].datatype())
    first = lending_club_bundle["features"][0]
    value = np.array([b"x"], dtype=np.object_) if first["kind"] == "categorical" else np.array([1.0])
    inputs[0].set_data_from_numpy(value, binary_data=False)
    with pytest.raises(httpclient.InferenceServerException) as info:
        client.infer(DEFAULT_MODEL, inputs)
    assert str(info.value.status()).startswith("4"), (info.value.status(), str(info.value))


def test_infer_unknown_model(client, httpclient, np, lending_club_bundle, rows):
    with pytest.raises(httpclient.InferenceServerException) as info:
        client.infer("no-such-model", infer_inputs(httpclient, np, lending_club_bundle, rows[:1]))
    assert info.value.status() == "404", (info.value.status(), str(info.value))


def test_raw_oip_error_body(server):
    """OIP errors are `{"error": "..."}` with a 4xx status."""
    response = server.post(f"/v2/models/{DEFAULT_MODEL}/infer", b"{not json", content_type="application/json")
    assert 400 <= response.status < 500, str(response)
    body = response.json()
    assert isinstance(body.get("error"), str) and body["error"], body


def _raw_request(bundle: dict, rows: list[dict[str, str]]) -> dict:
    inputs = []
    for f in bundle["features"]:
        cells = [r[f["name"]].strip() for r in rows]
        data = cells if f["kind"] == "categorical" else [float(c) for c in cells]
        inputs.append({"name": f["name"], "shape": [len(rows)], "datatype": oip_datatype(f), "data": data})
    return {"inputs": inputs}


def test_raw_infer_matches_example(server, lending_club_bundle, rows):
    """The request tritonclient sends, written out by hand (examples/oip-infer-lending-club.json
    has this form)."""
    response = server.post(f"/v2/models/{DEFAULT_MODEL}/infer", _raw_request(lending_club_bundle, rows[:2]))
    assert response.status == 200, str(response)
    outputs = {o["name"]: o for o in response.json()["outputs"]}
    assert outputs["probability_of_default"]["shape"] == [2]
    assert outputs["decision"]["shape"] == [2]
    assert len(outputs["probability_of_default"]["data"]) == 2


def test_raw_infer_declared_shape_must_match_data(server, lending_club_bundle, rows):
    """OIP: `shape` is the tensor's shape, so [3] with 2 values is a malformed tensor (Triton: 400)."""
    request = _raw_request(lending_club_bundle, rows[:2])
    for tensor in request["inputs"]:
        tensor["shape"] = [3]
    response = server.post(f"/v2/models/{DEFAULT_MODEL}/infer", request)
    assert response.status == 400, str(response)
    assert "error" in response.json()


def test_raw_infer_null_is_missing(api, server, lending_club_bundle, rows):
    """JSON has no NaN; a `null` in an FP64 tensor is a missing value, as `null` is in the JSON
    API: same probability as /api/v1/predict with that field null."""
    request = _raw_request(lending_club_bundle, rows[:2])
    for tensor in request["inputs"]:
        if tensor["name"] == "annual_inc":
            tensor["data"][1] = None
    response = server.post(f"/v2/models/{DEFAULT_MODEL}/infer", request)
    assert response.status == 200, str(response)
    got = next(o for o in response.json()["outputs"] if o["name"] == "probability_of_default")["data"]
    applicants = [api.applicant_json(r, lending_club_bundle) for r in rows[:2]]
    applicants[1]["annual_inc"] = None
    expected = server.post("/api/v1/predict", {"applicants": applicants})
    assert expected.status == 200, str(expected)
    assert got == [r["probability_of_default"] for r in expected.json()["results"]]


def test_infer_contributions_and_reasons_outputs(api, client, httpclient, np, server, lending_club_bundle, rows):
    """Asked for by name, `contributions` is FP64 [rows, features + 1] (model features in
    order, then the expected value) with exactly the numbers `?contributions=true` gives, and
    `reasons` is BYTES [rows, 4] holding the reasons' sentences ("" past the last)."""
    outputs = [httpclient.InferRequestedOutput("contributions", binary_data=False),
               httpclient.InferRequestedOutput("reasons", binary_data=False),
               httpclient.InferRequestedOutput("probability_of_default", binary_data=False)]
    result = client.infer(DEFAULT_MODEL, infer_inputs(httpclient, np, lending_club_bundle, rows), outputs=outputs)
    assert [o["name"] for o in result.get_response()["outputs"]] == ["contributions", "reasons", "probability_of_default"]
    features = lending_club_bundle["model_features"]
    contributions = result.as_numpy("contributions")
    reasons = result.as_numpy("reasons")
    assert contributions.dtype == np.float64 and contributions.shape == (ROWS, len(features) + 1)
    assert reasons.shape == (ROWS, 4)

    response = server.post("/api/v1/predict?contributions=true",
                           {"applicants": [api.applicant_json(r, lending_club_bundle) for r in rows]})
    assert response.status == 200, str(response)
    for i, want in enumerate(response.json()["results"]):
        expected = [want["contributions"][name] for name in features] + [want["contributions"]["expected_value"]]
        assert [float(v) for v in contributions[i]] == expected, f"row {i}"
        texts = [r["text"] for r in want["reasons"]]
        got = [v.decode() if isinstance(v, bytes) else str(v) for v in reasons[i]]
        assert got == texts + [""] * (4 - len(texts)), f"row {i}"
    assert float(result.as_numpy("probability_of_default")[0]) == response.json()["results"][0]["probability_of_default"]


def test_infer_default_outputs_unchanged(server, lending_club_bundle, rows):
    """Without `outputs` the answer is what it was before reasons: probability and decision only."""
    response = server.post(f"/v2/models/{DEFAULT_MODEL}/infer", _raw_request(lending_club_bundle, rows[:2]))
    assert response.status == 200, str(response)
    assert [o["name"] for o in response.json()["outputs"]] == ["probability_of_default", "decision"]


def test_infer_unknown_output_is_400(server, lending_club_bundle, rows):
    request = dict(_raw_request(lending_club_bundle, rows[:1]), outputs=[{"name": "shap_values"}])
    response = server.post(f"/v2/models/{DEFAULT_MODEL}/infer", request)
    assert response.status == 400, str(response)
    assert "shap_values" in response.json()["error"]


# --- Triton's binary tensor data extension (tritonclient's defaults) ---------------------------

def test_server_metadata_lists_the_binary_extension(client):
    assert "binary_tensor_data" in client.get_server_metadata()["extensions"]


def test_binary_defaults_match_json_api_exactly(api, client, httpclient, np, server, lending_club_bundle, rows):
    """tritonclient exactly as its examples use it: `set_data_from_numpy(arr)` (binary
    tensors, BYTES as 4-byte length + bytes, FP64 little-endian), no outputs named (so binary
    outputs): the probabilities are the very doubles /api/v1/predict gives, decisions the same."""
    result = client.infer(DEFAULT_MODEL, infer_inputs(httpclient, np, lending_club_bundle, rows, binary_data=True))
    probabilities = result.as_numpy("probability_of_default")
    decisions = result.as_numpy("decision")
    assert probabilities.dtype == np.float64 and probabilities.shape == (ROWS,)
    expected = api_predictions(api, server, lending_club_bundle, rows)
    assert [float(p) for p in probabilities] == [r["probability_of_default"] for r in expected]
    assert [d.decode() for d in decisions] == [r["decision"] for r in expected]


def test_binary_outputs_asked_by_name(api, client, httpclient, np, server, lending_club_bundle, rows):
    """`InferRequestedOutput(name)` defaults to binary_data=True: contributions and reasons come
    back in binary, equal to what ?contributions=true gives; one output asked in JSON stays JSON."""
    outputs = [httpclient.InferRequestedOutput("contributions"),
               httpclient.InferRequestedOutput("reasons"),
               httpclient.InferRequestedOutput("probability_of_default", binary_data=False)]
    result = client.infer(DEFAULT_MODEL, infer_inputs(httpclient, np, lending_club_bundle, rows[:10], binary_data=True),
                          outputs=outputs)
    header = {o["name"]: o for o in result.get_response()["outputs"]}
    assert "binary_data_size" in header["contributions"]["parameters"] and "data" not in header["contributions"]
    assert "binary_data_size" in header["reasons"]["parameters"]
    assert "data" in header["probability_of_default"]
    response = server.post("/api/v1/predict?contributions=true",
                           {"applicants": [api.applicant_json(r, lending_club_bundle) for r in rows[:10]]})
    assert response.status == 200, str(response)
    features = lending_club_bundle["model_features"]
    contributions = result.as_numpy("contributions")
    reasons = result.as_numpy("reasons")
    for i, want in enumerate(response.json()["results"]):
        expected = [want["contributions"][name] for name in features] + [want["contributions"]["expected_value"]]
        assert [float(v) for v in contributions[i]] == expected, f"row {i}"
        texts = [r["text"] for r in want["reasons"]]
        assert [v.decode() for v in reasons[i]] == texts + [""] * (4 - len(texts)), f"row {i}"
        assert float(result.as_numpy("probability_of_default")[i]) == want["probability_of_default"]


def test_binary_fp32_and_int64_inputs(api, client, httpclient, np, server, lending_club_bundle, rows):
    """Numeric inputs accept FP32 and INT64 too: whole-valued inputs sent as INT64, the others as
    FP32, score exactly as /api/v1/predict scores the doubles those values are."""
    arrays, applicants = mixed_arrays(np, lending_club_bundle, rows)
    inputs = []
    for name, datatype, array in arrays:
        tensor = httpclient.InferInput(name, [len(rows)], datatype)
        tensor.set_data_from_numpy(array)
        inputs.append(tensor)
    result = client.infer(DEFAULT_MODEL, inputs)
    response = server.post("/api/v1/predict", {"applicants": applicants})
    assert response.status == 200, str(response)
    assert [float(p) for p in result.as_numpy("probability_of_default")] == \
        [r["probability_of_default"] for r in response.json()["results"]]


def test_binary_nan_is_missing(api, client, httpclient, np, server, lending_club_bundle, rows):
    """In binary FP64 NaN can be sent, and is a missing value, as `null` is in the JSON API."""
    inputs = infer_inputs(httpclient, np, lending_club_bundle, rows[:2], binary_data=True)
    for tensor in inputs:
        if tensor.name() == "annual_inc":
            tensor.set_data_from_numpy(np.array([float(rows[0]["annual_inc"]), math.nan]))
    result = client.infer(DEFAULT_MODEL, inputs)
    applicants = [api.applicant_json(r, lending_club_bundle) for r in rows[:2]]
    applicants[1]["annual_inc"] = None
    expected = server.post("/api/v1/predict", {"applicants": applicants})
    assert expected.status == 200, str(expected)
    assert [float(p) for p in result.as_numpy("probability_of_default")] == \
        [r["probability_of_default"] for r in expected.json()["results"]]


def _binary_body(tensors, extra: bytes = b"", sizes: dict | None = None):
    """A binary-extension request of (name, datatype, shape, bytes) tensors; `sizes` overrides
    a tensor's declared binary_data_size; `extra` is appended after the tensors. Returns the
    JSON header and the whole body."""
    sizes = sizes or {}
    header = json.dumps({"inputs": [
        {"name": name, "datatype": datatype, "shape": shape,
         "parameters": {"binary_data_size": sizes.get(name, len(data))}}
        for name, datatype, shape, data in tensors]}).encode()
    return header, header + b"".join(t[3] for t in tensors) + extra


def _post_binary(server, body: bytes, header_length) -> tuple[int, dict]:
    """POSTs a binary-extension body; returns the status and the answer's JSON (its header part)."""
    request = urllib.request.Request(f"{server.url}/v2/models/{DEFAULT_MODEL}/infer", data=body, method="POST",
                                     headers={"Content-Type": "application/octet-stream",
                                              "Inference-Header-Content-Length": str(header_length), **server.auth_headers})
    try:
        with urllib.request.urlopen(request, timeout=30) as r:
            data = r.read()
            length = r.headers.get("Inference-Header-Content-Length")
            return r.status, json.loads(data[:int(length)] if length else data)
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def _bytes_tensor(values: list[str]) -> bytes:
    return b"".join(struct.pack("<I", len(v.encode())) + v.encode() for v in values)


def _valid_tensors(bundle: dict, row: dict[str, str]):
    out = []
    for f in bundle["features"]:
        cell = row[f["name"]].strip()
        if f["kind"] == "categorical":
            out.append((f["name"], "BYTES", [1], _bytes_tensor([cell])))
        else:
            out.append((f["name"], "FP64", [1], struct.pack("<d", float(cell))))
    return out


def test_binary_hand_framed_request_scores(api, server, lending_club_bundle, rows):
    """The framing written out by hand (struct.pack, no tritonclient): JSON outputs, same answer."""
    header, body = _binary_body(_valid_tensors(lending_club_bundle, rows[0]))
    status, answer = _post_binary(server, body, len(header))
    assert status == 200, answer
    got = next(o for o in answer["outputs"] if o["name"] == "probability_of_default")["data"]
    assert got == [r["probability_of_default"] for r in api_predictions(api, server, lending_club_bundle, rows[:1])]


def test_binary_sizes_that_do_not_add_up(server, lending_club_bundle, rows):
    """Each mismatch is a 400 whose message names the input and the numbers."""
    tensors = _valid_tensors(lending_club_bundle, rows[0])
    numeric = next(t for t in tensors if t[1] == "FP64")[0]

    header, body = _binary_body(tensors, extra=b"\0\0\0")
    status, answer = _post_binary(server, body, len(header))
    assert status == 400 and "add up to" in answer["error"], answer

    header, body = _binary_body(tensors, sizes={numeric: 12})
    status, answer = _post_binary(server, body, len(header))
    assert status == 400 and f"'{numeric}'" in answer["error"] and "12" in answer["error"], answer

    header, body = _binary_body(tensors, sizes={numeric: 1_000_000})
    status, answer = _post_binary(server, body, len(header))
    assert status == 400 and f"'{numeric}'" in answer["error"] and "1000000" in answer["error"], answer

    header, body = _binary_body(tensors)
    status, answer = _post_binary(server, body, len(body) + 5)
    assert status == 400 and "Inference-Header-Content-Length" in answer["error"], answer


def test_binary_wrong_datatype_and_shape(server, lending_club_bundle, rows):
    tensors = _valid_tensors(lending_club_bundle, rows[0])
    numeric = next(i for i, t in enumerate(tensors) if t[1] == "FP64")
    name = tensors[numeric][0]

    wrong = list(tensors)
    wrong[numeric] = (name, "BOOL", [1], b"\x01")
    header, body = _binary_body(wrong)
    status, answer = _post_binary(server, body, len(header))
    assert status == 400 and f"'{name}'" in answer["error"] and "BOOL" in answer["error"], answer

    wrong[numeric] = (name, "FP16", [1], b"\0\0")
    header, body = _binary_body(wrong)
    status, answer = _post_binary(server, body, len(header))
    assert status == 400 and "FP16" in answer["error"], answer

    wrong[numeric] = (name, "FP64", [3], struct.pack("<dd", 1.0, 2.0))
    header, body = _binary_body(wrong)
    status, answer = _post_binary(server, body, len(header))
    assert status == 400 and f"'{name}'" in answer["error"] and "[3]" in answer["error"], answer

    categorical = next(i for i, t in enumerate(tensors) if t[1] == "BYTES")
    cname = tensors[categorical][0]
    wrong = list(tensors)
    wrong[categorical] = (cname, "BYTES", [1], struct.pack("<I", 50) + b"abc")
    header, body = _binary_body(wrong)
    status, answer = _post_binary(server, body, len(header))
    assert status == 400 and f"'{cname}'" in answer["error"] and "50" in answer["error"], answer


def test_tritonclient_passes_the_key_in_headers(client, httpclient, np, lending_club_bundle, rows):
    """tritonclient sends the key as `headers={"Authorization": "Bearer …"}` on each call; without
    it the server answers 401 (in the protocol's error shape), which tritonclient raises."""
    result = client.infer(DEFAULT_MODEL, infer_inputs(httpclient, np, lending_club_bundle, rows[:2]))
    assert len(result.as_numpy("probability_of_default")) == 2
    with pytest.raises(httpclient.InferenceServerException) as refused:
        client.unkeyed.infer(DEFAULT_MODEL, infer_inputs(httpclient, np, lending_club_bundle, rows[:2]))
    assert "401" in str(refused.value.status()) or "key" in str(refused.value), refused.value
    assert not client.unkeyed.is_server_live()  # a 401 is not live, to tritonclient
    assert client.is_server_live()
