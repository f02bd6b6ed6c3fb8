"""Posts a fixed, varied set of requests to a running LoanRisk server and writes every answer
(status and body, byte for byte) to one file, so two builds can be diffed (bench/api_diff.sh).

The set: for each bundled model (lending-club, german-credit, credit-data), every golden row
(Data/models/*/golden.csv) as one applicant with numbers as JSON numbers, the first rows again
with numbers as strings, blanks as null, an unknown field and an out-of-range value, the
examples/ bodies, and one batch of all golden rows; each under ?reasons=0, 4 (the default),
10, and with contributions=true. Request ids differ per request and are left out (headers
are not compared).

    python3 bench/api_responses.py --url http://127.0.0.1:8080 --out answers.txt
"""
import argparse
import csv
import json
import urllib.error
import urllib.request

MODELS = ["lending-club", "german-credit", "credit-data"]
QUERIES = ["", "?reasons=0", "?reasons=10", "?reasons=4&contributions=true", "?reasons=0&contributions=true"]


def cell_value(spec, text, as_strings):
    text = text.strip()
    if text == "":
        return None
    if spec["kind"] == "categorical" or as_strings:
        return text
    try:
        return int(text) if spec["kind"] == "integer" and text.lstrip("-").isdigit() else float(text)
    except ValueError:
        return text


def applicants(model):
    bundle = json.load(open(f"Data/models/{model}/bundle.json"))
    rows = list(csv.DictReader(open(f"Data/models/{model}/golden.csv", newline="")))
    id_column = bundle.get("id_column")
    out = []
    for index, row in enumerate(rows):
        body = {id_column: row[id_column]} if id_column and id_column in row else {}
        for spec in bundle["features"]:
            if spec["name"] in row:
                body[spec["name"]] = cell_value(spec, row[spec["name"]], as_strings=False)
        out.append(body)
    variants = []
    for index, base in enumerate(out[:6]):
        as_strings = {k: (v if v is None or isinstance(v, str) else repr(v)) for k, v in base.items()}
        variants.append(as_strings)
        extra = dict(base, favourite_colour="blue")
        variants.append(extra)
        first_numeric = next((f["name"] for f in bundle["features"] if f["kind"] != "categorical"), None)
        if first_numeric:
            variants.append(dict(base, **{first_numeric: 1e12}))
            variants.append(dict(base, **{first_numeric: None}))
        first_categorical = next((f["name"] for f in bundle["features"] if f["kind"] == "categorical"), None)
        if first_categorical:
            variants.append(dict(base, **{first_categorical: "never seen in training"}))
    variants.append({})
    return out, variants


def post(url, body, content_type="application/json"):
    request = urllib.request.Request(url, data=body, headers={"Content-Type": content_type}, method="POST")
    try:
        with urllib.request.urlopen(request) as answer:
            return answer.status, answer.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", required=True)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    with open(args.out, "wb") as out:
        def record(label, status, body):
            out.write(f"== {label} -> {status}\n".encode())
            out.write(body)
            out.write(b"\n")

        for model in MODELS:
            golden, variants = applicants(model)
            route = f"{args.url}/api/v1/models/{model}/predict"
            for query in QUERIES:
                for index, body in enumerate(golden + variants):
                    record(f"{model} one #{index} {query}", *post(route + query, json.dumps(body).encode()))
                record(f"{model} batch {query}", *post(route + query, json.dumps({"applicants": golden}).encode()))
                example = open(f"examples/{model}-one.json", "rb").read()
                record(f"{model} example {query}", *post(route + query, example))
        for query in QUERIES:
            record(f"default example {query}", *post(f"{args.url}/api/v1/predict{query}", open("examples/lending-club-one.json", "rb").read()))
            record(f"default batch example {query}", *post(f"{args.url}/api/v1/predict{query}", open("examples/lending-club-batch.json", "rb").read()))
        record("malformed", *post(f"{args.url}/api/v1/predict", b'{"a": [1, 2'))
        record("unreadable", *post(f"{args.url}/api/v1/predict", b'{"int_rate": "lots", "annual_inc": [1]}'))
        # Bodies of other shapes, which the predict path's own reader leaves to the JSON tree.
        example = json.load(open("examples/lending-club-one.json"))
        shapes = {
            "applicants not an array": {"applicants": {"a": 1}},
            "element not an object": {"applicants": [example, 3, [example]]},
            "top-level array": [example],
            "top-level string": "applicant",
            "nested unknown field": dict(example, notes={"free": ["text"]}),
            "nested id": dict(example, applicant_id={"id": 1}),
            "booleans and unknowns": dict(example, flagged=True, verified=False, extra=None),
            "batch with a nested field": {"applicants": [example, dict(example, int_rate=[6.5])], "meta": {"source": "x"}},
        }
        for label, body in shapes.items():
            record(label, *post(f"{args.url}/api/v1/predict", json.dumps(body).encode()))
        for label, raw in {
            "duplicate keys": b'{"int_rate": 30, "int_rate": 6.49, "annual_inc": 51000, "annual_inc": null}',
            "applicants twice": b'{"applicants": [{"int_rate": 6}], "applicants": [{"int_rate": 30}]}',
            "trailing text": b'{"int_rate": 6} x',
            "bad literal": b'{"int_rate": nul}',
            "leading zero": b'{"int_rate": 06}',
            "unterminated batch": b'{"applicants": [{"int_rate": 6}',
            "escaped strings": b'{"applicant_id": "A\\u00e9\\"1", "term": "term_36"}',
        }.items():
            record(label, *post(f"{args.url}/api/v1/predict", raw))


if __name__ == "__main__":
    main()
