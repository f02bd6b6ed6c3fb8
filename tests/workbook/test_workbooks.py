"""Excel workbooks in and out, and results in an upload's own dialect, against the real server:
a workbook made by openpyxl scores as the same rows uploaded as CSV, dates arrive as ISO text,
the .xlsx download opens in openpyxl with the results CSV's rows, and a semicolon /
decimal-comma upload gets its results back in that dialect."""

from __future__ import annotations

import csv
import datetime
import io
import re

import openpyxl
import pytest

from conftest import REPO_ROOT

SAMPLE = REPO_ROOT / "Data" / "samples" / "lending-club-sample.csv"
RESULT_COLUMNS = ["probability_of_default", "decision", "score", "status", "model_version"]


def sample_rows(count: int = 60) -> tuple[list[str], list[list[str]]]:
    rows = list(csv.reader(io.StringIO(SAMPLE.read_text())))
    return rows[0], rows[1:count + 1]


def number_or_text(text: str):
    """A cell as a person typing into Excel would leave it: numbers as numbers."""
    try:
        return int(text)
    except ValueError:
        try:
            return float(text)
        except ValueError:
            return text


def results(browser, address: str, name: str = "results.csv") -> tuple[list[str], list[list[str]]]:
    rows = list(csv.reader(io.StringIO(browser.get(address + "/" + name).decode())))
    return rows[0], rows[1:]


def test_a_workbook_scores_as_the_same_rows_in_csv_and_downloads_as_xlsx(browser, tmp_path):
    header, rows = sample_rows()
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Applicants"
    sheet.append(header + ["received"])
    for index, row in enumerate(rows):
        sheet.append([number_or_text(c) for c in row] + [datetime.date(2024, 3, 1) + datetime.timedelta(days=index)])
    # A second sheet is ignored: only the first is read.
    book.create_sheet("Notes").append(["not", "applicants"])
    path = tmp_path / "applicants.xlsx"
    book.save(path)

    text = "\r\n".join(",".join(r) for r in [header] + rows) + "\r\n"
    status, page, csv_batch = browser.upload("applicants.csv", text.encode())
    assert status == 200 and "/batches/" in csv_batch, page[:400]
    status, page, xlsx_batch = browser.upload("applicants.xlsx", path.read_bytes())
    assert status == 200 and "/batches/" in xlsx_batch, page[:400]
    assert "results.xlsx" in page

    csv_header, csv_rows = results(browser, csv_batch)
    xlsx_header, xlsx_rows = results(browser, xlsx_batch)
    assert xlsx_header == header + ["received"] + RESULT_COLUMNS
    assert len(xlsx_rows) == len(csv_rows) == len(rows)
    for a, b in zip(csv_rows, xlsx_rows):
        assert a[0] == b[0]                                   # the applicant id
        assert a[-5:] == b[-5:], a[0]                         # probability, decision, score, status, version
    # Dates as Excel stores them (serial days, date-formatted) arrive as ISO dates.
    assert [r[len(header)] for r in xlsx_rows[:3]] == ["2024-03-01", "2024-03-02", "2024-03-03"]

    # The .xlsx download: the same rows, order and columns as results.csv, numbers as numbers.
    download = tmp_path / "results.xlsx"
    download.write_bytes(browser.get(xlsx_batch + "/results.xlsx"))
    opened = openpyxl.load_workbook(download, read_only=True)
    got = [list(r) for r in opened.worksheets[0].iter_rows(values_only=True)]
    assert got[0] == xlsx_header
    assert len(got) - 1 == len(xlsx_rows)
    probability = xlsx_header.index("probability_of_default")
    for cells, expected in zip(got[1:], xlsx_rows):
        assert isinstance(cells[probability], float)
        assert cells[probability] == float(expected[probability])
        assert cells[probability + 2] == int(expected[probability + 2])
        shown = ["" if c is None else (c if isinstance(c, str) else repr(c)) for c in cells]
        assert shown[0] == expected[0]
        assert shown[probability + 1] == expected[probability + 1]     # decision
        assert shown[probability + 3] == expected[probability + 3]     # status
    # A filtered view downloads as that view, as the CSV does.
    declines = [r for r in xlsx_rows if r[probability + 1] == "decline"]
    filtered = tmp_path / "declines.xlsx"
    filtered.write_bytes(browser.get(xlsx_batch + "/results.xlsx?decision=decline"))
    assert sum(1 for _ in openpyxl.load_workbook(filtered, read_only=True).worksheets[0].iter_rows()) == len(declines) + 1


def test_a_workbook_that_cannot_be_read_says_so(browser):
    status, page, _ = browser.upload("broken.xlsx", b"PK\x03\x04" + b"\x00" * 200)
    assert status == 422
    assert "could not be read as an Excel workbook" in page
    status, page, _ = browser.upload("locked.xlsx", bytes([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) + b"\x00" * 600)
    assert status == 422
    assert "password-protected" in page


def test_a_european_upload_gets_its_results_in_its_own_dialect(browser):
    header, rows = sample_rows(40)
    decimal = {"int_rate", "annual_inc", "revol_util"}
    lines = [";".join(header)] + [
        ";".join(c.replace(".", ",") if name in decimal else c for name, c in zip(header, row)) for row in rows]
    status, page, batch = browser.upload("european.csv", ("\r\n".join(lines) + "\r\n").encode())
    assert status == 200 and "/batches/" in batch, page[:400]
    assert "results-as-uploaded.csv" in page
    _, standard = results(browser, batch)
    text = browser.get(batch + "/results-as-uploaded.csv").decode()
    dialect = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert dialect[0] == header + RESULT_COLUMNS
    assert len(dialect) - 1 == len(standard) == len(rows)
    p = len(header)
    for mine, plain, sent in zip(dialect[1:], standard, lines[1:]):
        assert ";".join(mine[:p]) == sent                                  # the cells as sent
        assert mine[p] == plain[p].replace(".", ",")                       # 0,0523
        assert re.fullmatch(r"0,\d+(e-\d+)?", mine[p]), mine[p]
        assert mine[p + 1:] == plain[p + 1:]
