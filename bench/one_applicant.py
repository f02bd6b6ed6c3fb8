"""Writes the API benchmarks' one-applicant body: the first row of
Data/samples/lending-club-sample.csv, numbers as JSON numbers, blanks as null (the body
bench/api.sh posts too).   python3 bench/one_applicant.py OUT.json"""
import csv
import json
import sys

bundle = json.load(open("Data/models/lending-club/bundle.json"))
row = next(csv.DictReader(open("Data/samples/lending-club-sample.csv", newline="")))
out = {bundle["id_column"]: row[bundle["id_column"]]}
for f in bundle["features"]:
    text = row[f["name"]].strip()
    if text == "":
        out[f["name"]] = None
    elif f["kind"] == "categorical":
        out[f["name"]] = text
    elif f["kind"] == "integer" and text.lstrip("-").isdigit():
        out[f["name"]] = int(text)
    else:
        out[f["name"]] = float(text)
json.dump(out, open(sys.argv[1], "w"))
