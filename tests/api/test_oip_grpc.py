"""The KServe v2 gRPC protocol (`inference.GRPCInferenceService`) as NVIDIA's own client speaks it.

`tritonclient[grpc]` against the same server the REST suites use, its gRPC port set by
GRPC_PORT: health, metadata and ModelInfer (tritonclient sends `raw_input_contents` and reads
`raw_output_contents`) must give the very answers `/api/v1/predict` and REST `/v2` give.
"""

from __future__ import annotations

import csv
import io
import time

import pytest
from keyed_client import Keyed  # tests/support, on the path by conftest
from oip_tensors import float64_arrays, mixed_arrays  # tests/support, on the path by conftest

ROWS = 20
DEFAULT_MODEL = "lending-club"


@pytest.fixture(scope="module")
def grpcclient(api):
    return api.require("tritonclient.grpc", "tritonclient[grpc]")


@pytest.fixture(scope="module")
def np(api):
    return api.require("numpy")


@pytest.fixture(scope="module")
def client(grpcclient, server):
    """A client on the server's gRPC port; the HTTP side being ready does not say the gRPC
    listener is bound yet, so the first call is retried for a few seconds."""
    # gRPC metadata keys are lower case.
    c = Keyed(grpcclient.InferenceServerClient(url=f"{server.host}:{server.grpc_port}"),
              {k.lower(): v for k, v in server.auth_headers.items()})
    deadline = time.monotonic() + 15
    while True:
        try:
            if c.is_server_live():
                break
        except grpcclient.InferenceServerException:
            pass
        if time.monotonic() > deadline:
            pytest.fail(f"no gRPC answer on port {server.grpc_port}:\n{server.log_tail()}", pytrace=False)
        time.sleep(0.2)
    yield c
    c.close()


@pytest.fixture(scope="module")
def rows(api):
    return api.sample_rows(DEFAULT_MODEL)[:ROWS]


def inputs(grpcclient, np, bundle: dict, rows: list[dict[str, str]]):
    """tritonclient's defaults: set_data_from_numpy, which fills raw_input_contents."""
    return [wrap(grpcclient, name, datatype, array) for name, datatype, array in float64_arrays(np, bundle, rows)]


def wrap(module, name: str, datatype: str, array):
    tensor = module.InferInput(name, list(array.shape), datatype)
    tensor.set_data_from_numpy(array)
    return tensor


def predictions(api, server, bundle, rows, query: str = "") -> list[dict]:
    response = server.post(f"/api/v1/predict{query}", {"applicants": [api.applicant_json(r, bundle) for r in rows]})
    assert response.status == 200, str(response)
    return response.json()["results"]


def test_health(client):
    assert client.is_server_live()
    assert client.is_server_ready()
    assert client.is_model_ready(DEFAULT_MODEL)
    assert not client.is_model_ready("no-such-model")


def test_server_metadata_is_truthful(client, server):
    meta = client.get_server_metadata()
    assert meta.name == "loanrisk"
    # gRPC has raw contents in its core protocol; the REST binary extension is REST's alone.
    assert "binary_tensor_data" not in list(meta.extensions)
    assert "binary_tensor_data" in server.get("/v2").json()["extensions"]


def test_model_metadata_equals_rest(client, server):
    meta = client.get_model_metadata(DEFAULT_MODEL, as_json=True)
    rest = server.get(f"/v2/models/{DEFAULT_MODEL}").json()
    assert meta["name"] == rest["name"] and meta["versions"] == rest["versions"] and meta["platform"] == rest["platform"]
    for side in ("inputs", "outputs"):
        assert [(t["name"], t["datatype"], [int(d) for d in t["shape"]]) for t in meta[side]] == \
            [(t["name"], t["datatype"], t["shape"]) for t in rest[side]], side


def test_model_metadata_unknown_model(client, grpcclient):
    with pytest.raises(grpcclient.InferenceServerException) as info:
        client.get_model_metadata("no-such-model")
    assert "NOT_FOUND" in str(info.value.status()), info.value


def test_infer_matches_json_api_exactly(api, client, grpcclient, np, server, lending_club_bundle, rows):
    result = client.infer(DEFAULT_MODEL, inputs(grpcclient, np, lending_club_bundle, rows), request_id="grpc-20")
    assert result.get_response().id == "grpc-20"
    assert result.get_response().model_version == lending_club_bundle["version"]
    probabilities = result.as_numpy("probability_of_default")
    decisions = result.as_numpy("decision")
    assert probabilities.dtype == np.float64 and probabilities.shape == (ROWS,)
    expected = predictions(api, server, lending_club_bundle, rows)
    assert [float(p) for p in probabilities] == [r["probability_of_default"] for r in expected]
    assert [d.decode() for d in decisions] == [r["decision"] for r in expected]


def test_infer_equals_rest_binary(client, grpcclient, np, server, lending_club_bundle, rows, api):
    """The same call over REST with tritonclient.http's binary defaults gives the same tensors."""
    httpclient = api.require("tritonclient.http", "tritonclient[http]")
    rest = Keyed(httpclient.InferenceServerClient(url=f"{server.host}:{server.port}"), server.auth_headers)
    try:
        http_inputs = [wrap(httpclient, *t) for t in float64_arrays(np, lending_club_bundle, rows)]
        outputs_http = [httpclient.InferRequestedOutput(n) for n in ("probability_of_default", "decision", "reasons")]
        outputs_grpc = [grpcclient.InferRequestedOutput(n) for n in ("probability_of_default", "decision", "reasons")]
        a = rest.infer(DEFAULT_MODEL, http_inputs, outputs=outputs_http)
        b = client.infer(DEFAULT_MODEL, inputs(grpcclient, np, lending_club_bundle, rows), outputs=outputs_grpc)
        for name in ("probability_of_default", "decision", "reasons"):
            assert a.as_numpy(name).tolist() == b.as_numpy(name).tolist(), name
    finally:
        rest.close()


def test_contributions_and_reasons(api, client, grpcclient, np, server, lending_club_bundle, rows):
    outputs = [grpcclient.InferRequestedOutput("contributions"), grpcclient.InferRequestedOutput("reasons")]
    result = client.infer(DEFAULT_MODEL, inputs(grpcclient, np, lending_club_bundle, rows[:5]), outputs=outputs)
    features = lending_club_bundle["model_features"]
    contributions = result.as_numpy("contributions")
    reasons = result.as_numpy("reasons")
    assert contributions.shape == (5, len(features) + 1) and reasons.shape == (5, 4)
    for i, want in enumerate(predictions(api, server, lending_club_bundle, rows[:5], "?contributions=true")):
        assert [float(v) for v in contributions[i]] == \
            [want["contributions"][n] for n in features] + [want["contributions"]["expected_value"]], f"row {i}"
        texts = [r["text"] for r in want["reasons"]]
        assert [v.decode() for v in reasons[i]] == texts + [""] * (4 - len(texts)), f"row {i}"


def test_fp32_and_int64_inputs(api, client, grpcclient, np, server, lending_club_bundle, rows):
    arrays, applicants = mixed_arrays(np, lending_club_bundle, rows)
    tensors = [wrap(grpcclient, *t) for t in arrays]
    result = client.infer(DEFAULT_MODEL, tensors)
    response = server.post("/api/v1/predict", {"applicants": applicants})
    assert response.status == 200, str(response)
    assert [float(p) for p in result.as_numpy("probability_of_default")] == \
        [r["probability_of_default"] for r in response.json()["results"]]


def test_typed_contents_without_raw(api, client, grpcclient, np, server, lending_club_bundle, rows):
    """A client that fills InferTensorContents (fp64_contents, bytes_contents) instead of raw
    bytes gets typed contents back, with the same numbers."""
    from tritonclient.grpc import service_pb2, service_pb2_grpc
    import grpc

    request = service_pb2.ModelInferRequest(model_name=DEFAULT_MODEL, id="typed")
    for feature in lending_club_bundle["features"]:
        cells = [r[feature["name"]].strip() for r in rows[:3]]
        if feature["kind"] == "categorical":
            request.inputs.add(name=feature["name"], datatype="BYTES", shape=[3]).contents.bytes_contents.extend(
                [c.encode() for c in cells])
        else:
            request.inputs.add(name=feature["name"], datatype="FP64", shape=[3]).contents.fp64_contents.extend(
                [float(c) for c in cells])
    with grpc.insecure_channel(f"{server.host}:{server.grpc_port}") as channel:
        response = service_pb2_grpc.GRPCInferenceServiceStub(channel).ModelInfer(
            request, metadata=[(k.lower(), v) for k, v in server.auth_headers.items()])
    assert len(response.raw_output_contents) == 0
    outputs = {o.name: o for o in response.outputs}
    expected = predictions(api, server, lending_club_bundle, rows[:3])
    assert list(outputs["probability_of_default"].contents.fp64_contents) == [r["probability_of_default"] for r in expected]
    assert [d.decode() for d in outputs["decision"].contents.bytes_contents] == [r["decision"] for r in expected]


def test_errors_are_grpc_statuses_with_the_message(client, grpcclient, np, lending_club_bundle, rows):
    tensors = inputs(grpcclient, np, lending_club_bundle, rows[:2])
    with pytest.raises(grpcclient.InferenceServerException) as info:
        client.infer("no-such-model", tensors)
    assert "NOT_FOUND" in str(info.value.status()) and "no-such-model" in info.value.message()

    numeric = next(i for i, f in enumerate(lending_club_bundle["features"]) if f["kind"] != "categorical")
    name = lending_club_bundle["features"][numeric]["name"]
    wrong = grpcclient.InferInput(name, [2], "FP64")
    wrong.set_data_from_numpy(np.array([1.0, 2.0]))
    wrong.set_shape([3])  # declared after the data, which tritonclient checks against the shape
    tensors[numeric] = wrong
    with pytest.raises(grpcclient.InferenceServerException) as info:
        client.infer(DEFAULT_MODEL, tensors)
    assert "INVALID_ARGUMENT" in str(info.value.status()), info.value
    assert f"'{name}'" in info.value.message() and "[3]" in info.value.message(), info.value.message()

    tensors = inputs(grpcclient, np, lending_club_bundle, rows[:2])
    boolean = grpcclient.InferInput(name, [2], "BOOL")
    boolean.set_data_from_numpy(np.array([True, False]))
    tensors[numeric] = boolean
    with pytest.raises(grpcclient.InferenceServerException) as info:
        client.infer(DEFAULT_MODEL, tensors)
    assert "INVALID_ARGUMENT" in str(info.value.status()) and "BOOL" in info.value.message(), info.value.message()


def test_answer_names_the_request_id_of_its_audit_records(api, client, grpcclient, np, server, lending_club_bundle, rows):
    """ModelInfer's initial metadata carries x-request-id, as REST's X-Request-Id header does,
    and the audit log holds one oip record per scored row under exactly that id."""
    from tritonclient.grpc import service_pb2, service_pb2_grpc
    import grpc

    request = service_pb2.ModelInferRequest(model_name=DEFAULT_MODEL)
    for tensor in inputs(grpcclient, np, lending_club_bundle, rows[:3]):
        request.inputs.append(tensor._get_tensor())
        request.raw_input_contents.append(tensor._get_content())
    with grpc.insecure_channel(f"{server.host}:{server.grpc_port}") as channel:
        stub = service_pb2_grpc.GRPCInferenceServiceStub(channel)
        ids = []
        for _ in range(2):
            response, call = stub.ModelInfer.with_call(request, metadata=[(k.lower(), v) for k, v in server.auth_headers.items()])
            metadata = dict(call.initial_metadata())
            assert len(response.raw_output_contents) > 0
            ids.append(metadata.get("x-request-id", ""))
    assert all(len(i) == 24 and all(c in "0123456789abcdef" for c in i) for i in ids), ids
    assert ids[0] != ids[1]

    deadline = time.monotonic() + 10  # audit records are committed every 100 ms
    while True:
        answer = server.get(f"/admin/v1/audit?request_id={ids[1]}",
                            headers={"Authorization": f"Bearer {server.admin_token}"})
        assert answer.status == 200, str(answer)
        records = list(csv.DictReader(io.StringIO(answer.body.decode())))
        if records or time.monotonic() > deadline:
            break
        time.sleep(0.1)
    assert [r["request_id"] for r in records] == [ids[1]] * 3, records
    assert {r["channel"] for r in records} == {"oip"}
    assert [int(r["row_number"]) for r in records] == [1, 2, 3]
    assert {r["caller"] for r in records} == {f"key:{server.api_key_name}"}, "the audit records name the key that asked"


def test_key_inputs_hold_and_an_empty_applicant_is_refused(api, client, grpcclient, np, server, lending_club_bundle, rows):
    """Issue 32: over gRPC as over JSON — a row without its interest rate (NaN) that the cut-offs
    approve is held for review, and rows with nothing usable are refused with the reason."""
    approved = [r for r in rows if predictions(api, server, lending_club_bundle, [r])[0]["decision"] == "approve"][:2]
    assert approved, "the sample has approved applicants"
    held = [dict(r, int_rate="") for r in approved]
    result = client.infer(DEFAULT_MODEL, inputs(grpcclient, np, lending_club_bundle, held))
    assert [d.decode() for d in result.as_numpy("decision")] == ["review"] * len(held)
    expected = predictions(api, server, lending_club_bundle, held)
    assert [r["decision"] for r in expected] == ["review"] * len(held)
    assert all(any("'int_rate' was not provided" in w for w in r["warnings"]) for r in expected)

    empty = [{name: "" for name in r} for r in approved]
    with pytest.raises(grpcclient.InferenceServerException) as info:
        client.infer(DEFAULT_MODEL, inputs(grpcclient, np, lending_club_bundle, empty))
    assert "INVALID_ARGUMENT" in str(info.value.status()), info.value
    assert "Too few inputs to score" in info.value.message(), info.value.message()


def test_a_call_without_a_key_is_unauthenticated(client, grpcclient, server):
    """Every call needs `authorization: Bearer <key>` metadata: none, or a wrong key, is
    UNAUTHENTICATED; a key without the grpc scope PERMISSION_DENIED."""
    for headers in (None, {"authorization": "Bearer lr_" + "0" * 64}):
        with pytest.raises(grpcclient.InferenceServerException) as refused:
            client.unkeyed.get_server_metadata(headers=headers)
        assert "UNAUTHENTICATED" in str(refused.value.status()), refused.value
    rest_only = server.make_key("grpc-test-rest-only", ("predict", "oip"))
    deadline = time.monotonic() + 30  # the server reads new keys once a second
    while True:
        with pytest.raises(grpcclient.InferenceServerException) as denied:
            client.unkeyed.get_server_metadata(headers={"authorization": f"Bearer {rest_only}"})
        if "UNAUTHENTICATED" not in str(denied.value.status()) or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    assert "PERMISSION_DENIED" in str(denied.value.status()), denied.value
    assert client.get_server_metadata().name == "loanrisk"
