"""`GET /openapi.json` is a valid OpenAPI 3.1 document that describes what the server serves:
the predict paths, the Open Inference Protocol paths, and an applicant schema for every model."""

from __future__ import annotations

import re

import pytest


@pytest.fixture(scope="module")
def spec(server) -> dict:
    response = server.get("/openapi.json")
    assert response.status == 200, str(response)
    assert response.content_type.startswith("application/json") or "openapi" in response.content_type, response.content_type
    return response.json()


@pytest.fixture(scope="module")
def models(server) -> list[dict]:
    response = server.get("/api/v1/models")
    assert response.status == 200, str(response)
    models = response.json()["models"]
    assert models, "no models listed"
    return models


def _key(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower())


def test_validates_as_openapi_31(api, spec):
    validator = api.require("openapi_spec_validator", "openapi-spec-validator")
    assert re.fullmatch(r"3\.1\.\d+", str(spec.get("openapi", ""))), f"openapi: {spec.get('openapi')!r}, expected 3.1.x"
    validator.validate(spec, cls=validator.OpenAPIV31SpecValidator)
    validator.validate(spec)  # and as the validator's own version detection reads it


def test_info(spec):
    assert spec["info"].get("title")
    assert spec["info"].get("version")


def test_predict_paths(spec, models):
    paths = spec["paths"]
    assert "post" in paths.get("/api/v1/predict", {}), sorted(paths)
    generic = paths.get("/api/v1/models/{name}/predict", {})
    for model in models:
        specific = paths.get(f"/api/v1/models/{model['name']}/predict", {})
        assert "post" in specific or "post" in generic, \
            f"no POST path predicts with model {model['name']!r}: {sorted(paths)}"
    assert "get" in paths.get("/api/v1/models", {})


def test_predict_bodies(spec):
    """The predict operation takes JSON and CSV and documents its problem+json errors."""
    operation = spec["paths"]["/api/v1/predict"]["post"]
    content = operation["requestBody"]["content"]
    assert "application/json" in content and "text/csv" in content, sorted(content)
    responses = operation["responses"]
    assert "200" in responses, sorted(responses)
    for status in ("400", "413", "415", "422"):
        assert status in responses, f"predict does not document {status}: {sorted(responses)}"
        assert "application/problem+json" in responses[status].get("content", {}), (status, responses[status])


def test_oip_paths(spec):
    paths = spec["paths"]
    for path, method in (("/v2/health/live", "get"), ("/v2/health/ready", "get"), ("/v2/models/{name}", "get"),
                         ("/v2/models/{name}/ready", "get"), ("/v2/models/{name}/infer", "post")):
        assert method in paths.get(path, {}), f"{method.upper()} {path} not documented: {sorted(paths)}"


def _resolve(spec: dict, schema: dict) -> dict:
    while "$ref" in schema:
        ref = schema["$ref"]
        assert ref.startswith("#/"), ref
        node = spec
        for part in ref[2:].split("/"):
            node = node[part.replace("~1", "/").replace("~0", "~")]
        schema = node
    return schema


def test_component_schema_per_model(spec, models, api):
    schemas = spec.get("components", {}).get("schemas", {})
    for model in models:
        bundle = api.load_bundle(model["name"]) if (api.MODELS / model["name"] / "bundle.json").is_file() else None
        features = [f["name"] for f in (bundle["features"] if bundle else model.get("features", []))]
        # a schema named after the model whose properties are the model's inputs
        candidates = [name for name in schemas if _key(model["name"]) in _key(name)]
        assert candidates, f"no component schema for model {model['name']!r}: {sorted(schemas)}"
        described = []
        for name in candidates:
            props = _resolve(spec, schemas[name]).get("properties", {})
            if set(features) <= set(props):
                described.append(name)
        assert described, f"none of {candidates} lists every input of {model['name']!r} ({features})"


def test_the_document_asks_who_is_reading(server):
    """Accounts on: without a session or a key, /openapi.json is 401 with a bearer challenge."""
    answer = server.get("/openapi.json", anonymous=True)
    assert answer.status == 401, str(answer)
    assert answer.headers.get("www-authenticate", "").startswith("Bearer"), answer.headers
