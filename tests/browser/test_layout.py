"""Pages that read like a lender's (issue 32): at a laptop's 1366 px and a phone's 390 px, no
number or word in a table is cut off, nothing makes the page scroll sideways, wide tables
scroll in their own box with their header and first column kept in view, and axe-core finds
nothing — on the batch page (twelve uploaded columns on show), a row's page, every model's
card and the challenger page. Plus the order and words of the batch page: the applicants
right after the summary, business names before column names, one format per kind of number.

The file is the lending-club sample made 20,000 rows long (counts and sums with five digits)
with wide values in its first rows (incomes in the millions, long ids)."""

from __future__ import annotations

import csv
import re
import sys
from pathlib import Path

import pytest

pytest.importorskip("selenium", reason="selenium is not installed (pip install -r tests/browser/requirements.txt)")
axe_module = pytest.importorskip("axe_selenium_python", reason="axe-selenium-python is not installed")

from selenium.webdriver.common.by import By  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "support"))
from loanrisk_fixtures import Servers  # noqa: E402
from conftest import sign_in_through_form  # noqa: E402
from test_browser import BATCH_URL, read_csv, upload, wait  # noqa: E402

WIDTHS = {"laptop": (1366, 900), "phone": (390, 844)}
ROWS = 20_000
MODELS = ("lending-club", "german-credit", "credit-data")
# Twelve uploaded columns on show (the most the page allows), the widest of the file.
SHOWN = ["funded_amnt", "term", "int_rate", "sub_grade", "verification_status", "annual_inc", "emp_length",
         "revol_util", "total_bal_il", "all_util", "delinq_amnt", "total_il_high_credit_limit"]

# Every element whose text is cut off: its content wider than its box (unless the element
# itself scrolls), or reaching past the box of an ancestor that hides its overflow. Reaching
# past an ancestor that scrolls is not cut off (the reader scrolls), and neither is what a
# closed <details> hides.
CLIPPED_JS = r"""
const out = [];
const describe = (e) => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') +
  (typeof e.className === 'string' && e.className ? '.' + e.className.trim().split(/\s+/).join('.') : '');
const scrolls = (s) => s.overflowX === 'auto' || s.overflowX === 'scroll';
const texts = document.querySelectorAll(
  'main td, main th, main .value, main .label, main .num, main dd, main dt, main code, main h1, main h2, main li, main p, main a, main .badge');
// Visually hidden text (a stacked table's header row, kept for screen readers) is not shown text.
const hidden = (e) => { for (let p = e; p && p !== document.body; p = p.parentElement) if (p.getBoundingClientRect().width <= 1) return true; return false; };
for (const e of texts) {
  if (!e.getClientRects().length || !e.textContent.trim() || hidden(e)) continue;
  const style = getComputedStyle(e);
  if (e.scrollWidth > e.clientWidth + 1 && !scrolls(style) && style.display !== 'inline') {
    out.push(`${describe(e)} "${e.textContent.trim().slice(0, 40)}": text ${e.scrollWidth} px in ${e.clientWidth} px`);
    continue;
  }
  const box = e.getBoundingClientRect();
  for (let p = e.parentElement; p && p !== document.body; p = p.parentElement) {
    const s = getComputedStyle(p);
    if (s.overflowX === 'visible') continue;
    if (scrolls(s)) break;
    const edge = p.getBoundingClientRect();
    if (box.right > edge.right + 1 || box.left < edge.left - 1) {
      out.push(`${describe(e)} "${e.textContent.trim().slice(0, 40)}": cut by ${describe(p)} (${Math.round(box.right)} > ${Math.round(edge.right)})`);
    }
    break;
  }
}
const page = document.documentElement.scrollWidth - window.innerWidth;
if (page > 0) out.push(`the page scrolls sideways by ${page} px`);
return out.slice(0, 12);
"""

# Boxes that scroll sideways: each says so to a keyboard and a screen reader (focusable, named),
# and a wide table in one keeps its header row and first column in view.
SCROLLERS_JS = r"""
const out = [];
for (const box of document.querySelectorAll('main *')) {
  const s = getComputedStyle(box);
  if (!(s.overflowX === 'auto' || s.overflowX === 'scroll') || box.scrollWidth <= box.clientWidth + 1) continue;
  if (!box.getClientRects().length) continue;
  const table = box.querySelector('table');
  out.push({
    id: box.id || (table && table.id) || box.className,
    focusable: box.tabIndex >= 0,
    named: !!(box.getAttribute('aria-label') || box.getAttribute('aria-labelledby')),
    stickyHead: !table || !table.tHead || [...table.tHead.rows[0].cells].every((c) => getComputedStyle(c).position === 'sticky'),
    stickyFirst: !table || [...table.rows].every((r) => !r.cells.length || getComputedStyle(r.cells[0]).position === 'sticky'),
  });
}
return out;
"""

# The contributions chart's words and numbers as drawn, in CSS pixels.
CHART_TEXT_JS = r"""
return [...document.querySelectorAll('svg.chart.contributions text')]
  .filter((t) => t.getClientRects().length && t.textContent.trim())
  .map((t) => t.getBoundingClientRect().height);
"""


def wide_file(sample: Path, folder: Path) -> Path:
    """The sample, cycled to ROWS rows with ids of their own, its first rows given the widest
    values an analyst meets."""
    header, rows = read_csv(sample)
    at = {name: i for i, name in enumerate(header)}
    path = folder / "wide-portfolio.csv"
    with open(path, "w", newline="", encoding="utf-8") as f:
        out = csv.writer(f)
        out.writerow(header)
        for n in range(ROWS):
            row = list(rows[n % len(rows)])
            row[at["applicant_id"]] = f"LC-2026-{n:09d}"
            if n in (0, 2, 3, 4):  # row 2 stays the sample's second applicant
                row[at["annual_inc"]] = f"{1_234_567.89 * (n + 1):.2f}"
                row[at["total_il_high_credit_limit"]] = str(98_765_432 - n)
                row[at["total_bal_il"]] = str(12_345_678 + n)
                row[at["funded_amnt"]] = "40000"
            out.writerow(row)
    return path


def challenger_folder(repo: Path, folder: Path) -> Path:
    """lending-club as version 9.9.9 with another sigmoid: the same inputs, other probabilities."""
    import hashlib
    import json
    source = repo / "Data" / "models" / "lending-club"
    model = (source / "model.txt").read_text().replace("objective=binary sigmoid:1\n", "objective=binary sigmoid:0.7\n")
    bundle = json.loads((source / "bundle.json").read_text())
    bundle["version"] = "9.9.9"
    bundle.setdefault("provenance", {})["model_sha256"] = hashlib.sha256(model.encode()).hexdigest()
    target = folder / "lending-club-9.9.9"
    target.mkdir()
    (target / "model.txt").write_text(model)
    (target / "bundle.json").write_text(json.dumps(bundle))
    return target


@pytest.fixture(scope="module")
def pages(driver, server, repo_root, sample_csv, tmp_path_factory):
    """A server of its own (its challenger must not change the other tests' pages), a
    challenger set, the wide file uploaded: the paths of the pages to look at. The browser
    signs in there (cookies are per host, not per port, so it replaces the suite server's
    session) and back on the suite's server at the end."""
    suite_server = server
    folder = tmp_path_factory.mktemp("layout")
    with Servers(directory=folder / "servers") as servers:
        server = servers.start()
        sign_in_through_form(driver, server, server.admin_name, server.admin_password)
        registered = server.cli("models", "register", str(challenger_folder(repo_root, folder)))
        assert registered.returncode == 0, registered.stdout + registered.stderr
        promoted = server.cli("models", "promote", "lending-club", "9.9.9", "--alias", "challenger")
        assert promoted.returncode == 0, promoted.stdout + promoted.stderr
        wait(driver, lambda _: "9.9.9" in server.get("/models/lending-club/challenger").body.decode(),
             "the server did not pick up the challenger")
        upload(driver, server, wide_file(sample_csv, folder))
        batch = BATCH_URL.search(driver.current_url).group(0).split("?")[0]
        columns = "".join(f"&col={c}" for c in SHOWN)
        wait(driver, lambda _: "scored by both" in server.get("/models/lending-club/challenger").body.decode()
             and not re.search(r"\b0 applicants scored by both", server.get("/models/lending-club/challenger").body.decode()),
             "the challenger scored nothing")
        yield server, {
            "batch": f"{batch}?sort=probability&dir=desc{columns}",
            "row": f"{batch}/rows/1",
            **{f"model card {m}": f"/models/{m}" for m in MODELS},
            "challenger": "/models/lending-club/challenger",
        }
        driver.delete_cookie("columns-lending-club")
        sign_in_through_form(driver, suite_server, suite_server.admin_name, suite_server.admin_password)


def open_page(driver, server, path: str, name: str):
    driver.get(path if path.startswith("http") else server.url + path)
    wait(driver, lambda d: d.execute_script("return document.readyState") == "complete", f"{name} did not load")
    if name == "batch":  # the top reasons are filled in by the script: measure the table with them
        wait(driver, lambda d: not d.find_elements(By.CSS_SELECTOR, "td.reason[aria-busy]"), "top reasons never came")


def axe_violations(driver) -> list[str]:
    axe = axe_module.Axe(driver)
    axe.inject()
    return [f"{v['id']} ({v['impact']}): " + "; ".join(n["target"][0] for n in v["nodes"][:4] if n["target"])
            for v in axe.run()["violations"]]


@pytest.mark.parametrize("width", list(WIDTHS))
def test_nothing_is_cut_off_and_axe_finds_nothing(driver, pages, width, shot):
    server, paths = pages
    driver.set_window_size(*WIDTHS[width])
    found = {}
    try:
        for name, path in paths.items():
            open_page(driver, server, path, name)
            problems = list(driver.execute_script(CLIPPED_JS))
            for box in driver.execute_script(SCROLLERS_JS):
                if not (box["focusable"] and box["named"]):
                    problems.append(f"{box['id']} scrolls sideways but cannot be reached or is not named")
                if not (box["stickyHead"] and box["stickyFirst"]):
                    problems.append(f"{box['id']} scrolls sideways without a sticky header and first column")
                if name != "batch" and width == "phone":
                    problems.append(f"{box['id']} must be read by scrolling sideways on a phone")
                if box["id"] == "score-bands":
                    problems.append("the score bands do not fit their card")
            if name == "row":
                sizes = driver.execute_script(CHART_TEXT_JS)
                small = [s for s in sizes if s < 10]
                if small:
                    problems.append(f"{len(small)} of the chart's {len(sizes)} labels are drawn under 10 px ({min(small):.1f} px)")
            problems += [f"axe: {v}" for v in axe_violations(driver)]
            if problems:
                found[f"{name} ({path})"] = problems
            shot(f"layout-{width}-{name.replace(' ', '-')}")
    finally:
        driver.set_window_size(1366, 1000)
    assert not found, f"at {WIDTHS[width][0]} px:\n" + "\n".join(f"{page}:\n  " + "\n  ".join(p) for page, p in found.items())


def test_the_check_sees_a_cut_off_number(driver, pages):
    """The check itself: a number squeezed into a box too narrow for it is reported."""
    server, paths = pages
    open_page(driver, server, paths["model card lending-club"], "model card")
    driver.execute_script("const td = document.querySelector('main table td.num'); td.style.maxWidth = '8px'; td.style.overflow = 'hidden';"
                          "td.closest('table').style.tableLayout = 'fixed'; td.closest('table').style.width = '40px'")
    assert driver.execute_script(CLIPPED_JS), "a number cut to 8 px went unnoticed"


def test_the_batch_page_reads_like_a_lenders(driver, pages):
    """The applicants follow the summary and come before the drift detail (which opens from a
    link); uploaded columns are named in business words with the column name second; and a
    kind of number reads the same in the table and on the row's page."""
    server, paths = pages
    open_page(driver, server, paths["batch"], "batch")
    order = driver.execute_script(
        "return ['summary', 'view-results', 'drift'].map((id) => { const e = document.getElementById(id);"
        " return e ? e.compareDocumentPosition(document.getElementById('view-results')) : -1; })")
    assert order[0] == 4 and order[2] == 2, "the applicants table must come right after the summary and before the drift detail"
    headers = [th.get_attribute("textContent").strip() for th in driver.find_elements(By.CSS_SELECTOR, "#results thead th.uploaded")]
    assert headers and headers[0].startswith("Loan amount"), headers
    assert any(h.startswith("Annual income") and "annual_inc" in h for h in headers), headers
    options = [label.get_attribute("textContent").strip() for label in driver.find_elements(By.CSS_SELECTOR, ".column-options label")]
    assert any(o.startswith("Instalment credit limit") and "total_il_high_credit_limit" in o for o in options), options[:5]

    def cell(row: int, column: str) -> str:
        index = [th.get_attribute("data-key") for th in driver.find_elements(By.CSS_SELECTOR, "#results thead th")].index("col-" + column)
        for tr in driver.find_elements(By.CSS_SELECTOR, "#results tbody tr"):
            if tr.find_element(By.CSS_SELECTOR, "td.rownum").get_attribute("textContent").strip() == str(row):
                return tr.find_elements(By.TAG_NAME, "td")[index].get_attribute("textContent").strip()
        raise AssertionError(f"row {row} is not on the page")

    driver.get(server.url + paths["batch"].replace("sort=probability&dir=desc", "sort=row&dir=asc"))
    assert cell(1, "annual_inc") == "$1,234,567.89", cell(1, "annual_inc")
    # Row 2 is the sample's second applicant: 4800, term_36, 12.99, 90000.0, emp_ge_10.
    assert cell(2, "funded_amnt") == "$4,800", cell(2, "funded_amnt")
    assert cell(2, "int_rate") == "12.99 %", cell(2, "int_rate")
    assert cell(2, "annual_inc") == "$90,000", cell(2, "annual_inc")
    assert cell(2, "emp_length") == "10 years or more", cell(2, "emp_length")
    assert cell(2, "term") == "36 months", cell(2, "term")
    # The drift detail is one link away, and opens when followed.
    link = driver.find_element(By.CSS_SELECTOR, "a[href='#drift']")
    link.click()
    wait(driver, lambda d: d.find_element(By.CSS_SELECTOR, "#drift table").is_displayed(), "the drift detail did not open from its link")
    driver.get(server.url + paths["row"].replace("/rows/1", "/rows/2"))
    values = {tr.get_attribute("data-feature"): tr.find_elements(By.TAG_NAME, "td")[0].get_attribute("textContent").strip()
              for tr in driver.find_elements(By.CSS_SELECTOR, "table.contributions tbody tr")}
    assert values.get("int_rate") == "12.99 %", values
    assert values.get("annual_inc") == "$90,000", values
    assert values.get("verification_status") == "completed", values
