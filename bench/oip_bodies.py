"""Writes the one-applicant Open Inference Protocol requests bench/oip.sh sends: the first row
of Data/samples/lending-club-sample.csv as REST JSON tensors (oip.json), as REST binary tensors
(oip.bin, with its JSON header's length in oip.bin.header) and as a serialized gRPC
ModelInferRequest with raw_input_contents (oip.grpc), as tritonclient would send each."""
import csv
import json
import struct
import sys

out = sys.argv[1]
bundle = json.load(open("Data/models/lending-club/bundle.json"))
row = next(csv.DictReader(open("Data/samples/lending-club-sample.csv", newline="")))


def cell(feature):
    text = row[feature["name"]].strip()
    return text if feature["kind"] == "categorical" else float(text)


features = bundle["features"]
datatype = {f["name"]: "BYTES" if f["kind"] == "categorical" else "FP64" for f in features}
json_body = {"inputs": [{"name": f["name"], "shape": [1], "datatype": datatype[f["name"]], "data": [cell(f)]}
                        for f in features]}
open(f"{out}/oip.json", "w").write(json.dumps(json_body))


def raw(feature) -> bytes:
    value = cell(feature)
    if isinstance(value, str):
        return struct.pack("<I", len(value.encode())) + value.encode()
    return struct.pack("<d", value)


tails = [raw(f) for f in features]
header = json.dumps({
    "inputs": [{"name": f["name"], "shape": [1], "datatype": datatype[f["name"]],
                "parameters": {"binary_data_size": len(t)}} for f, t in zip(features, tails)],
    "parameters": {"binary_data_output": True}}).encode()
open(f"{out}/oip.bin", "wb").write(header + b"".join(tails))
open(f"{out}/oip.bin.header", "w").write(str(len(header)))

from tritonclient.grpc import service_pb2  # noqa: E402  (tritonclient[grpc]: tests/api/requirements.txt)

request = service_pb2.ModelInferRequest(model_name="lending-club")
for f, t in zip(features, tails):
    tensor = request.inputs.add(name=f["name"], datatype=datatype[f["name"]], shape=[1])
    request.raw_input_contents.append(t)
open(f"{out}/oip.grpc", "wb").write(request.SerializeToString())
