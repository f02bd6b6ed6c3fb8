"""Accessibility (issue 15): axe-core (shipped by axe-selenium-python) on every page a person
opens, with no serious or critical violation; and a keyboard-only walk from the upload form to
the results, a row's reasons and back, with the focus always visible."""

from __future__ import annotations

import re

import pytest

pytest.importorskip("selenium", reason="selenium is not installed (pip install -r tests/browser/requirements.txt)")
axe_module = pytest.importorskip("axe_selenium_python", reason="axe-selenium-python is not installed")

from selenium.webdriver.common.action_chains import ActionChains  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.common.keys import Keys  # noqa: E402
from selenium.webdriver.support import expected_conditions as EC  # noqa: E402

from test_browser import BATCH_URL, decide_applicant, navigate, read_csv, result_rows, upload, wait  # noqa: E402

GRAVE = ("serious", "critical")


def violations(driver) -> list[str]:
    """axe-core's serious and critical violations on the current page, one line each."""
    axe = axe_module.Axe(driver)
    axe.inject()
    found = axe.run()["violations"]
    print(f"{driver.current_url}: axe-core {len(found)} violations: " + ", ".join(f"{v['id']} ({v['impact']})" for v in found))
    return [f"{v['id']} ({v['impact']}): {v['help']} — " + "; ".join(n["target"][0] if n["target"] else "?" for n in v["nodes"][:5])
            for v in found if v["impact"] in GRAVE]


def pages(driver, server, sample_csv) -> list[tuple[str, str]]:
    """Every kind of page, with a batch and a row of it to open."""
    upload(driver, server, sample_csv)
    batch = BATCH_URL.search(driver.current_url).group(0).split("?")[0]
    header, rows = read_csv(sample_csv)
    model = "lending-club"
    applicant = decide_applicant(driver, server, model, dict(zip(header, rows[0])))
    return [
        ("home", "/"),
        ("batches", "/batches"),
        ("batch", batch),
        ("batch, filtered with columns", batch + "?decision=review&col=int_rate&col=sub_grade&sort=probability&dir=desc"),
        ("row", batch + "/rows/1"),
        ("models", "/models"),
        ("model card", f"/models/{model}"),
        ("challenger", f"/models/{model}/challenger"),
        ("review queue", "/review"),
        ("one applicant", f"/applicants/new?model={model}"),
        ("one applicant's result", applicant),
        ("monitoring", "/monitoring"),
        ("API reference", "/docs"),
        ("people and teams", "/admin/people"),
        ("API keys", "/admin/keys"),
        ("access log", "/admin/access-log"),
        ("applicant rights", "/admin/applicants"),
        ("not found", "/batches/no-such-batch"),
    ]


def test_no_page_has_serious_or_critical_violations(driver, server, sample_csv):
    found = {}
    for name, path in pages(driver, server, sample_csv):
        driver.get(path if path.startswith("http") else server.url + path)
        wait(driver, lambda d: d.execute_script("return document.readyState") == "complete", f"{name} did not load")
        # A batch page is judged once app.js has filled its top reasons, as test_layout does:
        # the cells it is still filling are dimmed, and axe must not race the script.
        wait(driver, lambda d: not d.find_elements(By.CSS_SELECTOR, "td.reason[aria-busy]"), f"{name}: top reasons never came")
        problems = violations(driver)
        if problems:
            found[f"{name} ({path})"] = problems
    driver.delete_cookie("columns-lending-club")  # the filtered page's columns are not the next test's
    assert not found, "axe-core found:\n" + "\n".join(f"{page}:\n  " + "\n  ".join(p) for page, p in found.items())
    # The check itself can fail: an image without a text alternative is a critical violation.
    driver.execute_script("const i = document.createElement('img'); i.src = '/favicon.svg'; document.querySelector('main').append(i)")
    assert any(p.startswith("image-alt (critical)") for p in violations(driver)), "axe-core did not run"



def focus_is_visible(driver) -> bool:
    """The focused element draws an outline or a ring (not the browser's nothing)."""
    return driver.execute_script(
        "const e = document.activeElement; const s = getComputedStyle(e);"
        "return (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0) || s.boxShadow !== 'none';")


def tab_to(driver, wanted, what: str, limit: int = 300):
    """Presses Tab until the focused element satisfies `wanted`; checks each stop shows its focus."""
    for _ in range(limit):
        ActionChains(driver).send_keys(Keys.TAB).perform()  # to whatever has focus, as a keyboard does
        element = driver.switch_to.active_element
        if element.tag_name != "body":
            assert focus_is_visible(driver), f"no visible focus on {element.tag_name} {element.get_attribute('outerHTML')[:120]}"
        if wanted(element):
            return element
    raise AssertionError(f"{limit} presses of Tab never reached {what}")


def test_keyboard_only_upload_results_row_and_back(driver, server, sample_csv):
    driver.get(server.url + "/")
    file_input = tab_to(driver, lambda e: e.get_attribute("id") == "file", "the file input")
    file_input.send_keys(str(sample_csv))  # what choosing in the file dialog does
    button = tab_to(driver, lambda e: e.tag_name == "button" and e.get_attribute("type") == "submit", "the upload button")
    navigate(driver, lambda: ActionChains(driver).send_keys(Keys.ENTER).perform(), "pressing Enter on the upload button")
    assert BATCH_URL.search(driver.current_url), driver.current_url
    batch_url = driver.current_url
    assert result_rows(driver), "no results"

    link = tab_to(driver, lambda e: e.tag_name == "a" and re.search(r"/rows/\d+", e.get_attribute("href") or ""), "a row's link")
    row = re.search(r"/rows/(\d+)", link.get_attribute("href")).group(1)
    navigate(driver, lambda: ActionChains(driver).send_keys(Keys.ENTER).perform(), "pressing Enter on a row's link")
    assert f"/rows/{row}" in driver.current_url
    wait(driver, EC.presence_of_element_located((By.CSS_SELECTOR, "h1")), "the row page has no heading")

    back = tab_to(driver, lambda e: e.tag_name == "a" and e.text.strip() == "Back to the batch", "the way back")
    navigate(driver, lambda: ActionChains(driver).send_keys(Keys.ENTER).perform(), "pressing Enter on Back to the batch")
    assert driver.current_url.split("?")[0] == batch_url.split("?")[0]
