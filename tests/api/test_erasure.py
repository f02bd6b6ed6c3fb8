"""Erasure by applicant id and the access log against the real server (issue #33): an
uploaded applicant is exported, then erased through `POST /admin/v1/erasures`; the batch's
download no longer holds them while every other applicant stays; the audit records are reported
as kept under Regulation B; the access log names the admin token as the caller, and refuses
anyone without it."""

from __future__ import annotations

import csv
import io
import json
import re
import secrets
import uuid


def _upload(server, text: str) -> None:
    """Uploads a CSV as the signed-in admin's browser does: its cookies and form token, then the multipart POST."""
    cookie, token = server.cookie_header, server.csrf
    boundary = "----erasure-" + uuid.uuid4().hex
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{token}\r\n"
            f"--{boundary}\r\nContent-Disposition: form-data; name=\"model\"\r\n\r\nlending-club\r\n"
            f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"erasure.csv\"\r\n"
            f"Content-Type: text/csv\r\n\r\n{text}\r\n--{boundary}--\r\n").encode()
    answer = server.post("/batches", body, content_type=f"multipart/form-data; boundary={boundary}", headers={"Cookie": cookie})
    assert answer.status == 200, str(answer)  # the redirect to the batch page, followed


def test_an_erased_applicant_leaves_the_batch_and_the_access_log_says_who(api, loanrisk_servers):
    server = loanrisk_servers.start(admin_token=secrets.token_hex(16), admin_label="api-tests",
                                    env={"LOG_LEVEL": "warning"})
    admin = {"Authorization": f"Bearer {server.admin_token}"}
    rows = api.sample_rows()[:3]
    columns = list(rows[0].keys())
    # Ids no other test uploads, so the erasure finds exactly this file's applicant.
    tag = uuid.uuid4().hex[:8]
    for n, row in enumerate(rows):
        row["applicant_id"] = f"erasure-{tag}-{n}"
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    _upload(server, out.getvalue())
    erased = rows[1]["applicant_id"]

    export = server.post("/admin/v1/applicant-exports", {"applicant_id": erased}, headers=admin)
    assert export.status == 200, str(export)
    found = export.json()["rows"]
    assert len(found) == 1 and found[0]["cells"]["applicant_id"] == erased and found[0]["row_number"] == 2
    batch = found[0]["batch_id"]

    assert server.post("/admin/v1/erasures", {"applicant_id": erased}, auth=False).status == 401
    answer = server.post("/admin/v1/erasures", {"applicant_id": erased}, headers=admin)
    assert answer.status == 200, str(answer)
    report = answer.json()
    assert report["erased"]["rows"] == 1 and report["erased"]["upload_records"] == 1 and report["batches"][0]["batch_id"] == batch
    audit = next(r for r in report["retained"] if r["kind"] == "audit_records")
    assert audit["count"] >= 1 and "1002.12(b)" in audit["legal_basis"] and audit["expires"]

    download = server.get(f"/batches/{batch}/results.csv")
    assert download.status == 200
    ids = [r["applicant_id"] for r in csv.DictReader(io.StringIO(download.body.decode()))]
    assert ids == [rows[0]["applicant_id"], rows[2]["applicant_id"]]
    assert server.post("/admin/v1/applicant-exports", {"applicant_id": erased}, headers=admin).json()["rows"] == []

    assert server.get("/admin/v1/access-log", auth=False).status == 401
    log = server.get("/admin/v1/access-log?format=ndjson&action=erase", headers=admin)
    assert log.status == 200 and log.content_type == "application/x-ndjson"
    events = [json.loads(line) for line in log.body.decode().splitlines()]
    assert any(e["object_id"] == erased and e["caller"] == "admin-token:api-tests" and e["outcome"] == "ok" for e in events)
    table = list(csv.reader(io.StringIO(server.get("/admin/v1/access-log?format=csv", headers=admin).body.decode())))
    assert table[0] == ["id", "at", "caller", "action", "object_kind", "object_id", "address", "request_id", "outcome"]
    assert any(r[3] == "upload" and r[5] == batch for r in table[1:])
