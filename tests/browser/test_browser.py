"""End-to-end browser test: a credit analyst uploads a CSV and works with the results.

Runs the real `loanrisk serve` (see conftest.py) and drives headless Chromium through it.
Screenshots and the downloaded results go to .artifacts/ at the repo root.
"""

from __future__ import annotations

import csv
import re
import shutil
from pathlib import Path

import pytest

pytest.importorskip("selenium", reason="selenium is not installed (pip install -r tests/browser/requirements.txt)")

from selenium.common.exceptions import TimeoutException, WebDriverException  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support import expected_conditions as EC  # noqa: E402
from selenium.webdriver.support.ui import Select, WebDriverWait  # noqa: E402

WAIT = 15  # seconds, for any one page load or download
PAGE_SIZE = 50
ADDED_COLUMNS = ["probability_of_default", "decision", "score", "status", "model_version"]
BATCH_URL = re.compile(r"/batches/([A-Za-z0-9_-]+)/?(?:[?#].*)?$")
DEFAULT_MODEL_IS_LENDING_CLUB = (Path(__file__).resolve().parents[2] / "Data" / "models" / "lending-club" / "bundle.json").is_file()


# ---------------------------------------------------------------------------- helpers

def read_csv(path: Path) -> tuple[list[str], list[list[str]]]:
    with open(path, newline="", encoding="utf-8-sig") as f:
        rows = [row for row in csv.reader(f) if any(cell.strip() for cell in row)]
    return rows[0], rows[1:]


def wait(driver, condition, message: str, timeout: float = WAIT):
    return WebDriverWait(driver, timeout, poll_frequency=0.1).until(condition, message)


def navigate(driver, action, message: str):
    """Runs action() (a click or submit) and waits until the next page has loaded in place of this one."""
    driver.execute_script("window.__loanriskOldPage = true")
    action()

    def loaded(d):
        try:
            return d.execute_script(
                "return !window.__loanriskOldPage && document.readyState === 'complete'")
        except WebDriverException:  # mid-navigation: no document to run in yet
            return False

    wait(driver, loaded, f"no new page after {message}")


def in_place(driver, action, message: str):
    """Runs action() on a batch page's view (sort, filter, page, columns) and waits until
    Public/app.js has swapped the next view in: the results section is a new element, and the
    page itself was not reloaded."""
    driver.execute_script(
        "window.__loanriskOldPage = true; document.getElementById('view-results').__old = true")
    action()

    def swapped(d):
        return d.execute_script(
            "const r = document.getElementById('view-results');"
            "return r && !r.__old && !r.hasAttribute('aria-busy')")

    wait(driver, swapped, f"the view was not updated in place after {message}")
    assert driver.execute_script("return window.__loanriskOldPage === true"), f"{message} reloaded the page"


def column_index(driver, label: str) -> int:
    headers = driver.find_elements(By.CSS_SELECTOR, "#results thead th")
    for i, th in enumerate(headers):
        if th.text.strip().startswith(label):
            return i
    raise AssertionError(f"no column {label!r} in #results: {[h.text for h in headers]}")


def header_cell(driver, label: str):
    return driver.find_elements(By.CSS_SELECTOR, "#results thead th")[column_index(driver, label)]


def percentages(driver) -> list[float]:
    """The probability cells of the results table, as numbers ('12.34 %' -> 12.34); blanks skipped."""
    index = column_index(driver, "Probability of default")
    values = []
    for row in driver.find_elements(By.CSS_SELECTOR, "#results tbody tr"):
        cells = row.find_elements(By.TAG_NAME, "td")
        if len(cells) <= index:
            continue
        text = cells[index].text.strip()
        match = re.fullmatch(r"(\d+(?:\.\d+)?)\s*%", text)
        if match:
            values.append(float(match.group(1)))
        else:
            assert text in ("", "—", "-"), f"unexpected probability cell {text!r}"
    return values


def sort_direction(driver) -> str:
    th = header_cell(driver, "Probability of default")
    aria = th.get_attribute("aria-sort")
    text = th.text
    if "▲" in text:
        assert aria == "ascending", f"arrow ▲ but aria-sort={aria!r}"
        return "ascending"
    if "▼" in text:
        assert aria == "descending", f"arrow ▼ but aria-sort={aria!r}"
        return "descending"
    raise AssertionError(f"sorted column shows no arrow: {text!r} (aria-sort={aria!r})")


def stat(driver, label: str) -> str:
    for card in driver.find_elements(By.CSS_SELECTOR, ".summary .stat"):
        if card.find_element(By.CSS_SELECTOR, ".label").text.strip().startswith(label):
            return card.find_element(By.CSS_SELECTOR, ".value").text.strip()
    raise AssertionError(f"no summary figure labelled {label!r}")


def result_rows(driver):
    return [r for r in driver.find_elements(By.CSS_SELECTOR, "#results tbody tr")
            if not r.find_elements(By.CSS_SELECTOR, "td.empty")]


def top_reasons(driver) -> list[str]:
    """The Top reason cells, once app.js has filled them (the page is sent with a "Why?" link
    to each row's page; the script asks for the rows on screen and puts their reasons in)."""
    def filled(d):
        cells = d.find_elements(By.CSS_SELECTOR, "#results tbody td.reason[data-row]")
        if not cells or any(c.get_attribute("aria-busy") for c in cells):
            return False
        return [c.text.strip() for c in cells]
    return wait(driver, filled, "app.js did not fill the Top reason cells")


def upload(driver, server, path: Path):
    driver.get(server.url + "/")
    wait(driver, EC.presence_of_element_located((By.CSS_SELECTOR, "form.upload input[type=file]")),
         "upload form not shown")
    driver.find_element(By.CSS_SELECTOR, "form.upload input[type=file]").send_keys(str(path))
    button = driver.find_element(By.CSS_SELECTOR, "form.upload button[type=submit]")
    navigate(driver, button.click, f"uploading {path.name}")


# ---------------------------------------------------------------------------- tests

def test_upload_sort_filter_download(driver, server, shot, sample_csv, download_dir, artifacts):
    header, data = read_csv(sample_csv)
    n = len(data)
    assert n > 0

    # 1. The upload page.
    driver.get(server.url + "/")
    wait(driver, EC.visibility_of_element_located((By.CSS_SELECTOR, "form.upload")), "upload form not shown")
    assert "LoanRisk" in driver.title
    shot("01-upload")

    # 2. Upload the sample and land on the batch page.
    upload(driver, server, sample_csv)
    wait(driver, lambda d: BATCH_URL.search(d.current_url), "not redirected to /batches/<id>")
    batch_url = driver.current_url.split("?")[0]
    assert not driver.find_elements(By.ID, "problem"), driver.find_element(By.ID, "problem").text
    assert stat(driver, "applicants") == str(n), f"summary says {stat(driver, 'applicants')} applicants, file has {n}"
    rows = result_rows(driver)
    assert len(rows) == min(PAGE_SIZE, n), f"{len(rows)} rows in #results, expected {min(PAGE_SIZE, n)}"
    shown = driver.find_element(By.CSS_SELECTOR, ".results .count").text
    assert shown.startswith(str(n)), f"'{shown}' but the file has {n} applicants"
    reasons = top_reasons(driver)
    assert reasons and all(r and r != "Why?" for r in reasons), f"Top reason cells not filled: {reasons}"
    assert not driver.find_elements(By.ID, "reasons-note"), driver.find_element(By.ID, "reasons-note").text
    shot("02-results")

    # 3. Sort by probability of default, then reverse.
    link = header_cell(driver, "Probability of default").find_element(By.TAG_NAME, "a")
    in_place(driver, link.click, "clicking the probability header")
    assert "sort=probability" in driver.current_url, driver.current_url
    first_direction = sort_direction(driver)
    first = percentages(driver)
    assert len(first) >= 2, "too few probabilities on the page to check the order"
    assert first == sorted(first, reverse=first_direction == "descending"), \
        f"probabilities not {first_direction}: {first}"

    link = header_cell(driver, "Probability of default").find_element(By.TAG_NAME, "a")
    in_place(driver, link.click, "clicking the probability header again")
    assert "sort=probability" in driver.current_url, driver.current_url
    second_direction = sort_direction(driver)
    assert second_direction != first_direction, "second click did not reverse the sort"
    second = percentages(driver)
    assert second == sorted(second, reverse=second_direction == "descending"), \
        f"probabilities not {second_direction}: {second}"
    if n <= PAGE_SIZE:
        assert second == first[::-1]
    else:  # first page of one order holds the other end of the range
        assert (first[0] <= second[0]) == (first_direction == "ascending")
    assert all(r and r != "Why?" for r in top_reasons(driver)), "Top reason cells not filled on the sorted page"
    shot("03-sorted")

    # 4. Filter: decline only.  Changing the select submits the form (Public/app.js).
    expected_declines = int(stat(driver, "decline"))
    select = Select(driver.find_element(By.CSS_SELECTOR, ".filters select[name=decision]"))
    try:
        in_place(driver, lambda: select.select_by_value("decline"), "choosing decision=decline")
    except TimeoutException:
        pytest.fail("choosing a Decision did not apply the filter (Public/app.js auto-submit)")
    assert "decision=decline" in driver.current_url, driver.current_url
    badges = [b.text.strip() for b in driver.find_elements(By.CSS_SELECTOR, "#results tbody .badge")]
    assert len(badges) == min(PAGE_SIZE, expected_declines), \
        f"{len(badges)} rows after filtering, summary says {expected_declines} declined"
    assert all(b == "decline" for b in badges), f"badges after filtering: {sorted(set(badges))}"
    assert Select(driver.find_element(By.CSS_SELECTOR, ".filters select[name=decision]")) \
        .first_selected_option.get_attribute("value") == "decline"
    shot("04-filtered")

    # 5. Download the results in view: the filter holds for the export too.
    for old in download_dir.iterdir():
        old.unlink()
    button = driver.find_element(By.ID, "results-download")
    assert button.text.strip() == f"Download these {expected_declines} results (CSV)", button.text
    button.click()

    sizes: dict[Path, int] = {}

    def finished(_):
        """The downloaded CSV, once Chrome has renamed it from .crdownload and it stopped growing."""
        entries = [p for p in download_dir.iterdir() if not p.name.startswith(".")]
        if any(p.suffix in (".crdownload", ".tmp") for p in entries):
            return False
        for p in entries:
            if p.suffix == ".csv":
                size = p.stat().st_size
                done = size > 0 and sizes.get(p) == size
                sizes[p] = size
                if done:
                    return p
        return False

    downloaded = wait(driver, finished, "results CSV not downloaded", timeout=20)
    out_header, out_rows = read_csv(downloaded)
    assert out_header == header + ADDED_COLUMNS, f"downloaded header: {out_header}"
    assert len(out_rows) == expected_declines, f"downloaded {len(out_rows)} rows, the view has {expected_declines}"
    assert all(r[-4] == "decline" for r in out_rows), "the download holds rows the filter left out"
    assert all(len(r) == len(out_header) for r in out_rows), "ragged rows in the download"
    versions = {row[-1] for row in out_rows}
    assert len(versions) == 1 and "" not in versions, f"model_version column: {sorted(versions)}"
    for row in out_rows:
        if not row[-2].startswith("error"):
            assert 0.0 <= float(row[-5]) <= 1.0 and row[-4] in ("approve", "review", "decline"), row[-5:]
    shutil.copyfile(downloaded, artifacts / "results.csv")
    assert driver.current_url.startswith(batch_url), "the download navigated away from the batch"


def test_model_card_and_one_applicant(driver, server, shot, sample_csv):
    # 6a. The model card, through the nav's index of models.
    driver.get(server.url + "/")
    link = wait(driver, EC.element_to_be_clickable((By.CSS_SELECTOR, "header nav a[href='/models']")),
                "no Models link in the nav")
    assert link.text.strip() == "Models"
    navigate(driver, link.click, "clicking Models")
    entries = driver.find_elements(By.CSS_SELECTOR, "section.model-entry h2 a")
    assert len(entries) >= 3, f"the index lists {len(entries)} models"
    shot("05a-models")
    navigate(driver, entries[0].click, "opening the first model's card")
    assert re.search(r"/models/[^/?#]+$", driver.current_url), driver.current_url
    assert driver.find_element(By.TAG_NAME, "h1").text.strip()
    assert "Decision policy" in driver.find_element(By.TAG_NAME, "main").text
    shot("05-model")

    # 6b. One applicant, nothing filled in.
    driver.get(server.url + "/applicants/new")
    form = wait(driver, EC.visibility_of_element_located((By.CSS_SELECTOR, "form.applicant")),
                "applicant form not shown")
    shot("06a-applicant-form")
    navigate(driver, form.find_element(By.CSS_SELECTOR, "button[type=submit]").click, "submitting the empty form")
    results = driver.find_elements(By.ID, "probability")
    errors = driver.find_elements(By.CSS_SELECTOR, ".error, .alert")
    assert results or errors, "neither a result (#probability) nor an .error or .alert message after submitting"
    if results:
        assert re.fullmatch(r"\d+(\.\d+)?\s*%", results[0].text.strip()), results[0].text
    shot("06-applicant")

    # 6c. One applicant, filled in from the sample: the decision gets an address of its own,
    # made of its id and nothing entered, and a reload shows the same decision.
    header, data = read_csv(sample_csv)
    applicant = dict(zip(header, data[0]))
    path = decide_applicant(driver, server, "lending-club", applicant)
    assert re.fullmatch(r"/applicants/[a-z0-9]{16}", path), path
    shown = driver.find_element(By.ID, "probability").text
    driver.refresh()
    wait(driver, EC.visibility_of_element_located((By.ID, "probability")), "the decision's page did not reload")
    assert driver.find_element(By.ID, "probability").text == shown
    shot("06b-applicant-decided")


APPLICANT_URL = re.compile(r"/applicants/[a-z0-9]{16}$")


def decide_applicant(driver, server, model: str, applicant: dict[str, str]) -> str:
    """Fills the applicant form with `applicant`'s values and submits it; returns the path of the
    decision's page it lands on."""
    driver.get(server.url + f"/applicants/new?model={model}")
    wait(driver, EC.visibility_of_element_located((By.CSS_SELECTOR, "form.applicant")), "applicant form not shown")
    navigate(driver, lambda: driver.execute_script(
        "const [values] = arguments; const form = document.querySelector('form.applicant');"
        "for (const [name, value] of Object.entries(values)) { const e = form.querySelector(`[name='${name}']`); if (e && e.type !== 'hidden') e.value = value; }"
        "form.submit();", applicant), "submitting the filled form")
    wait(driver, lambda d: APPLICANT_URL.search(d.current_url), f"the form did not lead to a decision's page ({driver.current_url})")
    return APPLICANT_URL.search(driver.current_url).group(0)


def test_bad_file_is_explained(driver, server, shot, work_dir):
    bad = work_dir / "bad-header.csv"
    bad.write_text("foo,bar\n1,2\n3,4\n")
    upload(driver, server, bad)
    problem = wait(driver, EC.visibility_of_element_located((By.ID, "problem")), "no problem shown for a bad file")
    assert "could not be scored" in problem.text, problem.text
    missing = [c.text.strip() for c in problem.find_elements(By.CSS_SELECTOR, "ul.columns li")]
    assert missing and all(missing), f"missing columns not listed: {problem.text}"
    assert "foo" not in missing and "bar" not in missing
    if DEFAULT_MODEL_IS_LENDING_CLUB:  # named in business words first, the column second
        assert missing[0] == "Loan amount funded_amnt", missing
    assert not BATCH_URL.search(driver.current_url), "a bad file must not create a batch"
    shot("07-error")


def test_row_details_chart_and_reasons_download(driver, server, shot, sample_csv, download_dir, artifacts):
    header, data = read_csv(sample_csv)

    # 8. Each row links to its details: reasons, and every contribution as an inline SVG chart.
    upload(driver, server, sample_csv)
    wait(driver, lambda d: BATCH_URL.search(d.current_url), "not redirected to /batches/<id>")
    batch_url = driver.current_url.split("?")[0].split("#")[0]
    reasons = top_reasons(driver)
    assert reasons and all(r and r != "Why?" for r in reasons), f"Top reason cells not filled: {reasons}"
    first_row = result_rows(driver)[0]
    first_reason = first_row.find_element(By.CSS_SELECTOR, "td.reason").text.strip()
    link = first_row.find_element(By.CSS_SELECTOR, "td a[href*='/rows/']")
    navigate(driver, link.click, "clicking a row's link")
    assert re.search(r"/batches/[^/]+/rows/\d+(\?.*)?$", driver.current_url), driver.current_url
    chart = wait(driver, EC.visibility_of_element_located((By.CSS_SELECTOR, "svg.chart.contributions")),
                 "no contributions chart on the row page")
    box = chart.rect
    assert box["width"] > 300 and box["height"] > 100, f"chart drawn at {box}"
    bars = chart.find_elements(By.CSS_SELECTOR, "rect.bar")
    numbers = driver.find_elements(By.CSS_SELECTOR, "table.contributions tbody tr")
    assert bars and len(bars) == len(numbers), f"{len(bars)} bars, {len(numbers)} rows in the table"
    drawn = [b for b in bars if b.rect["width"] > 1]
    assert drawn, "every bar has zero width"
    colours = {driver.execute_script("return getComputedStyle(arguments[0]).fill", b) for b in drawn}
    assert len(colours - {"none", ""}) >= 1, f"bars not filled: {colours}"
    principal = [li.text.strip() for li in driver.find_elements(By.CSS_SELECTOR, "ol.reasons li")]
    assert principal, "no principal reasons listed"
    assert principal[0] == first_reason, f"the table's top reason {first_reason!r} is not the row page's first {principal[0]!r}"
    assert re.fullmatch(r"\d+(\.\d+)?\s*%", driver.find_element(By.ID, "base-rate").text.strip())
    shot("08-row")

    # 9. Results with reasons: asked for, followed by app.js, then downloaded.
    driver.get(batch_url)
    button = wait(driver, EC.element_to_be_clickable((By.XPATH, "//button[normalize-space()='Download with reasons']")),
                  "no 'Download with reasons' button")
    navigate(driver, button.click, "asking for the results with reasons")
    ready = wait(driver, lambda d: next((a for a in d.find_elements(By.CSS_SELECTOR, "a[href$='/reasons.csv']")
                                         if a.is_displayed()), False),
                 "the download with reasons never became ready", timeout=60)
    shot("09-reasons-ready")
    for old in download_dir.iterdir():
        old.unlink()
    ready.click()

    def finished(_):
        entries = [p for p in download_dir.iterdir() if not p.name.startswith(".")]
        if any(p.suffix in (".crdownload", ".tmp") for p in entries):
            return False
        return next((p for p in entries if p.suffix == ".csv" and p.stat().st_size > 0), False)

    downloaded = wait(driver, finished, "results with reasons not downloaded", timeout=20)
    out_header, out_rows = read_csv(downloaded)
    assert out_header == header + ADDED_COLUMNS + [f"reason_{i}" for i in range(1, 5)], out_header
    assert len(out_rows) == len(data)
    assert all(len(r) == len(out_header) for r in out_rows), "ragged rows in the download"
    assert any(r[-4] for r in out_rows), "no row has a reason_1"
    shutil.copyfile(downloaded, artifacts / "results-with-reasons.csv")


def test_the_home_page_follows_the_chosen_model(driver, server, shot):
    """Choosing another model on the upload page points the template, sample and
    one-applicant links at it, shows its description, and keeps the choice in the URL."""
    driver.get(server.url + "/")
    choice = Select(wait(driver, EC.visibility_of_element_located((By.ID, "model")), "no model choice"))
    choice.select_by_value("german-credit")
    wait(driver, lambda d: d.find_element(By.ID, "template-link").get_attribute("href").endswith("/models/german-credit/template.csv"),
         "the template link did not follow the choice")
    assert driver.find_element(By.ID, "sample-link").get_attribute("href").endswith("/models/german-credit/sample.csv")
    assert driver.find_element(By.ID, "applicant-link").get_attribute("href").endswith("/applicants/new?model=german-credit")
    shown = [s for s in driver.find_elements(By.CSS_SELECTOR, ".model-about") if s.is_displayed()]
    assert len(shown) == 1 and shown[0].get_attribute("data-model") == "german-credit", [s.get_attribute("data-model") for s in shown]
    assert "German credit" in shown[0].text
    assert "model=german-credit" in driver.current_url, driver.current_url
    shot("07-home-german")
    # The URL holds the choice: a reload keeps it, without script as with it.
    driver.get(driver.current_url)
    assert Select(driver.find_element(By.ID, "model")).first_selected_option.get_attribute("value") == "german-credit"


def too_wide(driver) -> list[str]:
    """The innermost elements that end right of the window, as tag.class (for a failure's message)."""
    return driver.execute_script("""
        const out = [];
        for (const e of document.querySelectorAll('body *')) {
          const r = e.getBoundingClientRect();
          if (r.right > window.innerWidth + 1 && !e.closest('.table-wrap, .chart-wrap'))
            out.push(e.tagName.toLowerCase() + (e.className && typeof e.className === 'string' ? '.' + e.className.split(' ').join('.') : '') + ' ' + Math.round(r.right));
        }
        return out.slice(0, 8);""")


def test_phones_get_one_card_per_applicant_and_no_sideways_scroll(driver, server, shot, sample_csv):
    """At 390 px the results table is a list of cards (id, decision, probability, top reason),
    every decision is on screen, and no page scrolls sideways."""
    driver.set_window_size(390, 844)
    try:
        for path in ("/", "/models", "/applicants/new", "/docs", "/monitoring"):
            driver.get(server.url + path)
            overflow = driver.execute_script("return document.documentElement.scrollWidth - window.innerWidth")
            assert overflow <= 0, f"{path} scrolls sideways by {overflow} px at 390 px: {too_wide(driver)}"
        driver.get(server.url + "/")
        driver.find_element(By.ID, "file").send_keys(str(sample_csv))
        navigate(driver, driver.find_element(By.CSS_SELECTOR, "form.upload button[type=submit]").click, "uploading at 390 px")
        wait(driver, EC.presence_of_element_located((By.ID, "results")), "no results table")
        overflow = driver.execute_script("return document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"the batch page scrolls sideways by {overflow} px at 390 px"
        rows = driver.find_elements(By.CSS_SELECTOR, "#results tbody tr")
        assert rows
        width = driver.execute_script("return window.innerWidth")
        for row in rows[:10]:
            assert row.value_of_css_property("display") == "grid", "rows are not cards at 390 px"
            badge = row.find_element(By.CSS_SELECTOR, ".badge")
            right = badge.location["x"] + badge.size["width"]
            assert badge.is_displayed() and right <= width, f"the decision ends at {right} px, off a {width} px screen"
            assert row.find_element(By.CSS_SELECTOR, "td.probability").is_displayed()
            assert row.size["height"] < 200, f"a card is {row.size['height']} px tall"
        shot("10-phone-results")
    finally:
        driver.set_window_size(1366, 1000)


def test_the_decision_filter_keeps_keyboard_focus(driver, server, sample_csv):
    """ArrowDown on the Decision select moves through the options without reloading the page
    (focus stays on it); Enter applies the filter."""
    from selenium.webdriver.common.keys import Keys
    import time
    driver.get(server.url + "/")
    driver.find_element(By.ID, "file").send_keys(str(sample_csv))
    navigate(driver, driver.find_element(By.CSS_SELECTOR, "form.upload button[type=submit]").click, "uploading")
    before = driver.current_url
    select = wait(driver, EC.presence_of_element_located((By.CSS_SELECTOR, ".filters select[name=decision]")), "no Decision filter")
    driver.execute_script("arguments[0].focus()", select)
    select.send_keys(Keys.ARROW_DOWN)
    time.sleep(1.0)
    assert driver.current_url == before, "ArrowDown reloaded the page"
    assert driver.switch_to.active_element == select, "focus left the Decision select"
    in_place(driver, lambda: select.send_keys(Keys.ENTER), "pressing Enter on the Decision select")
    assert "decision=" in driver.current_url, driver.current_url
    assert driver.switch_to.active_element.get_attribute("name") == "decision", "Enter moved focus off the Decision select"


def fetch_text(driver, url: str) -> str:
    """The body of a GET made by the page itself (its cookies, its origin)."""
    return driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "fetch(arguments[0]).then(r => r.text()).then(done, e => done('ERROR ' + e))", url)


def view_export(driver) -> tuple[list[str], list[list[str]]]:
    """The results CSV the page's download button gives (the rows in view): its link, posted
    with the search term when one is on (Public/views.js: a term never goes into an address)."""
    href = driver.find_element(By.ID, "results-download").get_attribute("href")
    text = driver.execute_async_script(
        "const [url, done] = arguments;"
        "const q = (document.querySelector('#filters input[name=q]') || {value: ''}).value.trim();"
        "const csrf = document.querySelector('input[name=csrf]').value;"
        "const options = q ? {method: 'POST', body: new URLSearchParams({q, csrf})} : {};"
        "fetch(url, options).then(r => r.text()).then(done, e => done('ERROR ' + e))", href)
    rows = list(csv.reader(text.splitlines()))
    return rows[0], rows[1:]


def test_chosen_columns_are_shown_searched_and_remembered(driver, server, shot, sample_csv):
    """The analyst shows two uploaded columns: they appear beside the results with the file's
    values, the search looks in them, the download holds exactly the rows in view, and the next
    batch of the same model opens with the same columns."""
    header, rows = read_csv(sample_csv)
    by_id = {r[0]: r for r in rows}
    upload(driver, server, sample_csv)
    batch_url = driver.current_url.split("?")[0]
    driver.find_element(By.CSS_SELECTOR, "#column-choice summary").click()
    # Exactly these two, whatever an earlier page left remembered for the model.
    for box in driver.find_elements(By.CSS_SELECTOR, "#columns-form input[name=col]"):
        if box.is_selected() != (box.get_attribute("value") in ("int_rate", "sub_grade")):
            box.click()
    in_place(driver, driver.find_element(By.ID, "columns-apply").click, "choosing columns")
    assert "col=int_rate" in driver.current_url and "col=sub_grade" in driver.current_url, driver.current_url
    # Named in business words first, the file's column second; values as the row page writes them.
    labels = [" ".join(th.text.split()) for th in driver.find_elements(By.CSS_SELECTOR, "#results thead th.uploaded")]
    assert labels == ["Interest rate int_rate", "Loan sub-grade sub_grade"], labels
    for tr in result_rows(driver):
        applicant = tr.find_element(By.CSS_SELECTOR, "td.applicant").text.strip()
        cells = [td.text.strip() for td in tr.find_elements(By.CSS_SELECTOR, "td.uploaded")]
        source = by_id[applicant]
        rate = f"{float(source[header.index('int_rate')]):.2f}".rstrip("0").rstrip(".") + " %"
        assert cells == [rate, source[header.index("sub_grade")]], (applicant, cells)
    shot("11-columns")

    # Search: "B5" is in no applicant id, so every row kept has it in sub_grade (or int_rate).
    expected = [r for r in rows if "b5" in (r[0] + " " + r[header.index("int_rate")] + " " + r[header.index("sub_grade")]).lower()]
    assert expected, "the sample has no B5 applicants to search for"
    box = driver.find_element(By.CSS_SELECTOR, "#filters input[name=q]")
    box.send_keys("b5")
    in_place(driver, lambda: box.submit(), "searching for b5")
    assert driver.switch_to.active_element.get_attribute("name") == "q", "searching moved focus off the search box"
    assert stat(driver, "applicants") == str(len(expected)), (stat(driver, "applicants"), len(expected))
    out_header, out_rows = view_export(driver)
    assert sorted(r[0] for r in out_rows) == sorted(r[0] for r in expected), "the download is not the rows in view"
    assert out_header[:len(header)] == header

    # Remembered for the model: a fresh page of this batch (no query) shows the same columns.
    navigate(driver, lambda: driver.get(batch_url), "opening the batch without a query")
    labels = [" ".join(th.text.split()) for th in driver.find_elements(By.CSS_SELECTOR, "#results thead th.uploaded")]
    assert labels == ["Interest rate int_rate", "Loan sub-grade sub_grade"], f"columns not remembered: {labels}"

    # Resizable: the grip of int_rate widens its column from the keyboard, and that is kept.
    from selenium.webdriver.common.keys import Keys
    column = driver.find_element(By.CSS_SELECTOR, '#results th[data-key="col-int_rate"]')
    before = column.size["width"]
    grip = column.find_element(By.CSS_SELECTOR, ".col-grip")
    driver.execute_script("arguments[0].focus()", grip)
    for _ in range(4):
        grip.send_keys(Keys.ARROW_RIGHT)
    widened = column.size["width"]
    assert widened >= before + 50, f"column {before} px → {widened} px after four steps"
    navigate(driver, driver.refresh, "reloading")
    kept = driver.find_element(By.CSS_SELECTOR, '#results th[data-key="col-int_rate"]').size["width"]
    assert abs(kept - widened) <= 2, f"resized to {widened} px, {kept} px after a reload"

    # Clearing the choice is a choice too.
    driver.find_element(By.CSS_SELECTOR, "#column-choice summary").click()
    for box in driver.find_elements(By.CSS_SELECTOR, "#columns-form input[name=col]:checked"):
        box.click()
    in_place(driver, driver.find_element(By.ID, "columns-apply").click, "clearing the columns")
    assert not driver.find_elements(By.CSS_SELECTOR, "#results thead th.uploaded")


def test_the_summary_follows_the_filters(driver, server, shot, sample_csv):
    """With a probability range set, the cards describe exactly the rows it keeps: their count,
    decisions and expected defaults (the sum of their probabilities), checked against the
    download of the same view; the whole file's figures stay beside them."""
    upload(driver, server, sample_csv)
    whole = int(stat(driver, "applicants"))
    low = driver.find_element(By.CSS_SELECTOR, "#filters input[name=pmin]")
    low.send_keys("5")
    in_place(driver, lambda: low.submit(), "setting pmin=5")
    assert "pmin=5" in driver.current_url
    header, kept = view_export(driver)
    p, decision = header.index("probability_of_default"), header.index("decision")
    assert kept and all(float(r[p]) >= 0.05 for r in kept), "the view holds rows under 5 %"
    assert int(stat(driver, "applicants")) == len(kept) < whole
    for name in ("approve", "decline"):
        assert int(stat(driver, name)) == sum(r[decision] == name for r in kept), name
    expected = sum(float(r[p]) for r in kept)
    assert abs(float(stat(driver, "expected defaults")) - expected) <= 0.05 + 1e-9, (stat(driver, "expected defaults"), expected)
    scope = driver.find_element(By.CSS_SELECTOR, ".summary-scope").text
    assert f"the whole file: {whole} applicants" in scope, scope
    shot("12-summary-filtered")


def test_an_analyst_decides_a_review_case(driver, server, sample_csv):
    """A review case is decided on its row page with a note; the table shows it beside the
    model's decision and the download carries it in analyst_decision and analyst_note."""
    upload(driver, server, sample_csv)
    select = Select(driver.find_element(By.CSS_SELECTOR, "#filters select[name=decision]"))
    in_place(driver, lambda: select.select_by_value("review"), "choosing decision=review")
    rows = result_rows(driver)
    if not rows:
        pytest.skip("the sample has no review cases")
    link = rows[0].find_element(By.CSS_SELECTOR, "td.rownum a")
    number = link.text.strip()
    navigate(driver, link.click, "opening a review case")
    driver.find_element(By.CSS_SELECTOR, "#review input[value=decline]").click()
    driver.find_element(By.ID, "review-note").send_keys("Income not verified by phone")
    navigate(driver, driver.find_element(By.CSS_SELECTOR, "#review button[type=submit]").click, "recording the decision")
    assert "decline" in driver.find_element(By.ID, "review-decided").text
    navigate(driver, driver.find_element(By.LINK_TEXT, "Back to the batch").click, "going back to the batch")
    assert "decision=review" in driver.current_url, "back did not return to the view the row was opened from"
    row = next(r for r in result_rows(driver) if r.find_element(By.CSS_SELECTOR, "td.rownum").text.strip() == number)
    assert row.find_element(By.CSS_SELECTOR, ".analyst .badge").text.strip() == "decline"
    header, kept = view_export(driver)
    decided = [r for r in kept if r[header.index("analyst_decision")]]
    assert len(decided) == 1, decided
    assert decided[0][header.index("analyst_decision")] == "decline"
    assert decided[0][header.index("analyst_note")] == "Income not verified by phone"
