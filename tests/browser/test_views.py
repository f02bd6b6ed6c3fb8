"""The batch page's print report, saved views and search as you type (#32), in headless Chromium
against the real server: the printed PDF read back with pypdf, a view saved on one batch opened
on another of the same model, and a search applied while typing that never reaches an address."""

from __future__ import annotations

import base64
import io
import re
import unicodedata

import pytest

pytest.importorskip("selenium", reason="selenium is not installed (pip install -r tests/browser/requirements.txt)")
pypdf = pytest.importorskip("pypdf", reason="pypdf is not installed (pip install -r tests/browser/requirements.txt)")

from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.common.print_page_options import PrintOptions  # noqa: E402
from selenium.webdriver.support.ui import Select  # noqa: E402

from test_browser import in_place, navigate, read_csv, result_rows, stat, upload, view_export, wait  # noqa: E402


def batch_of(driver) -> str:
    return driver.current_url.split("?")[0]


def request_urls(driver) -> list[str]:
    """Every address this page asked for since it loaded (its fetches included)."""
    return driver.execute_script("return performance.getEntriesByType('resource').map(e => e.name)")


def test_printing_the_batch_page_gives_a_one_or_two_page_report(driver, server, sample_csv, artifacts):
    upload(driver, server, sample_csv)
    in_place(driver, lambda: Select(driver.find_element(By.CSS_SELECTOR, "#filters select[name=decision]")).select_by_value("approve"),
             "filtering to approve")
    figures = {name: stat(driver, name) for name in ("applicants", "approve", "expected defaults", "expected bad rate among approved")}
    title = driver.find_element(By.TAG_NAME, "h1").text.strip()
    model = driver.find_element(By.CSS_SELECTOR, ".meta a").text.strip()
    first_row = result_rows(driver)[0].find_element(By.CSS_SELECTOR, "td.applicant").text.strip()

    options = PrintOptions()
    options.background = True
    pdf = base64.b64decode(driver.print_page(options))
    (artifacts / "batch-report.pdf").write_bytes(pdf)
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    text = " ".join(page.extract_text() for page in reader.pages)
    flat = re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text))  # NFKC: the "ﬁ" ligature as "fi"
    assert 1 <= len(reader.pages) <= 2, f"the report has {len(reader.pages)} pages"
    assert title in flat and model in flat, (title, model)
    for name, value in figures.items():
        assert value in flat, f"{name} {value!r} is not in the printed report"
    assert "Only decision approve, in file order." in flat, "the filters in force are not printed"
    assert "Score bands" in flat and "Probabilities of default" in flat
    assert first_row in flat, "the table's first row is not printed"
    for control in ("Score a file", "Delete this batch", "Save view", "Apply", "Next →", "Inputs against training"):
        assert control not in flat, f"{control!r} is printed"


def test_a_saved_view_opens_on_another_batch_of_the_model(driver, server, sample_csv):
    upload(driver, server, sample_csv)
    first = batch_of(driver)
    in_place(driver, lambda: Select(driver.find_element(By.CSS_SELECTOR, "#filters select[name=decision]")).select_by_value("decline"),
             "filtering to decline")
    high = driver.find_element(By.CSS_SELECTOR, "#filters input[name=pmin]")
    high.send_keys("20")
    in_place(driver, lambda: high.submit(), "setting pmin=20")
    driver.find_element(By.CSS_SELECTOR, "#saved-views summary").click()
    name = f"Declines over 20 % {first[-6:]}"
    box = driver.find_element(By.ID, "save-view-name")
    box.send_keys(name)
    driver.find_element(By.ID, "save-view-button").click()
    link = wait(driver, lambda d: next((a for a in d.find_elements(By.CSS_SELECTOR, "#saved-view-list a") if a.text == name), None),
                "the saved view is not listed")
    assert link.get_attribute("href").startswith(first + "?view="), link.get_attribute("href")
    # The same name again, in another case: a clear message, and still one such view.
    box = driver.find_element(By.ID, "save-view-name")
    box.send_keys(name.upper())
    driver.find_element(By.ID, "save-view-button").click()
    message = wait(driver, lambda d: d.find_element(By.ID, "save-view-message").is_displayed() and d.find_element(By.ID, "save-view-message"),
                   "no message for a duplicate name")
    assert "already exists" in message.text, message.text
    assert [a.text for a in driver.find_elements(By.CSS_SELECTOR, "#saved-view-list a")].count(name) == 1

    # Another batch of the model, with no filters: the view's link applies them.
    upload(driver, server, sample_csv)
    second = batch_of(driver)
    assert second != first
    whole = int(stat(driver, "applicants"))
    driver.find_element(By.CSS_SELECTOR, "#saved-views summary").click()
    view = next(a for a in driver.find_elements(By.CSS_SELECTOR, "#saved-view-list a") if a.text == name)
    assert view.get_attribute("href").startswith(second + "?view="), "the list does not open views on this batch"
    in_place(driver, view.click, "opening the saved view")
    assert Select(driver.find_element(By.CSS_SELECTOR, "#filters select[name=decision]")).first_selected_option.get_attribute("value") == "decline"
    assert driver.find_element(By.CSS_SELECTOR, "#filters input[name=pmin]").get_attribute("value") == "20"
    _, kept = view_export(driver)
    assert 0 < int(stat(driver, "applicants")) == len(kept) < whole
    # The address bar holds the view's link: opened afresh, as from a colleague's message.
    shared = driver.current_url
    assert "view=" in shared, shared
    navigate(driver, lambda: driver.get(shared), "opening the view's address")
    assert Select(driver.find_element(By.CSS_SELECTOR, "#filters select[name=decision]")).first_selected_option.get_attribute("value") == "decline"

    # Deleted: gone from the list.
    driver.find_element(By.CSS_SELECTOR, "#saved-views summary").click()
    item = next(li for li in driver.find_elements(By.CSS_SELECTOR, "#saved-view-list li") if li.find_element(By.TAG_NAME, "a").text == name)
    item.find_element(By.CSS_SELECTOR, "button").click()
    driver.switch_to.alert.accept()
    listed = "return [...document.querySelectorAll('#saved-view-list a')].map(a => a.textContent)"  # at once: the item goes away
    wait(driver, lambda d: name not in d.execute_script(listed), "the view was not deleted")


def test_the_search_applies_as_you_type_and_never_reaches_an_address(driver, server, sample_csv):
    header, rows = read_csv(sample_csv)
    upload(driver, server, sample_csv)
    history = driver.execute_script("return history.length")
    term = rows[7][0][:-1]  # part of an applicant id: personal data to the rule
    expected = sum(term.lower() in r[0].lower() for r in rows)
    assert 0 < expected < len(rows)
    box = driver.find_element(By.CSS_SELECTOR, "#filters input[name=q]")
    in_place(driver, lambda: box.send_keys(term), f"typing {term!r}")  # no Enter, no button
    wait(driver, lambda d: stat(d, "applicant") == str(expected), "the search was not applied as typed")
    assert driver.switch_to.active_element == box, "typing lost the search box"
    assert box.get_attribute("value") == term
    # A sort keeps the search; the download holds the rows in view.
    in_place(driver, lambda: driver.find_element(By.CSS_SELECTOR, '#results th[data-key="probability"] a').click(), "sorting")
    assert stat(driver, "applicant") == str(expected)
    _, kept = view_export(driver)
    assert len(kept) == expected and all(term.lower() in r[0].lower() for r in kept)
    # The term is in no address: not the address bar, not the history, not any request made.
    assert term not in driver.current_url and "q=" not in driver.current_url
    assert driver.execute_script("return history.length") == history
    assert not [url for url in request_urls(driver) if term in url], "a request's address holds the search term"
    # Clearing the box shows every row again.
    in_place(driver, lambda: driver.execute_script(
        "const b = arguments[0]; b.value = ''; b.dispatchEvent(new Event('input', {bubbles: true}))", box), "clearing the search")
    wait(driver, lambda d: stat(d, "applicants") == str(len(rows)), "clearing the search did not show every row")
