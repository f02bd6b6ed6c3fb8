"""The /docs page in a browser: the try-it form of the single-applicant scoring operation
(POST /api/v1/predict, the default model) sends the OpenAPI document's example to the real
server and shows the answer; an edited, invalid body shows the problem+json message.

Runs the real `loanrisk serve` (conftest.py). Screenshots go to .artifacts/docs-*.png.
"""

from __future__ import annotations

import json

import pytest

pytest.importorskip("selenium", reason="selenium is not installed (pip install -r tests/browser/requirements.txt)")

from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

WAIT = 15  # seconds, for the page or an answer
OPERATION = "post-api-v1-predict"  # the section's id: POST /api/v1/predict


def open_form(driver, server):
    """The try-it form of POST /api/v1/predict, once docs.js has enabled it."""
    driver.get("about:blank")  # a fresh page each time: going to the same URL would keep an edited body
    driver.get(server.url + "/docs#" + OPERATION)
    form = driver.find_element(By.CSS_SELECTOR, f"#{OPERATION} form.try-it")
    WebDriverWait(driver, WAIT).until(
        lambda d: form.find_element(By.TAG_NAME, "fieldset").is_enabled(), "docs.js did not enable the try-it form")
    # The API needs a key: typed into the form, as a person pastes theirs.
    form.find_element(By.CSS_SELECTOR, "input[data-token]").send_keys(server.api_key)
    return form


def send(driver, form, body: str | None = None) -> str:
    """Replaces the body (when given), presses Send and returns the answer region's text once shown."""
    if body is not None:
        textarea = form.find_element(By.CSS_SELECTOR, "textarea[data-body]")
        textarea.clear()
        textarea.send_keys(body)
    answer = form.find_element(By.CSS_SELECTOR, ".answer")
    assert answer.get_attribute("aria-live") == "polite"
    form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    WebDriverWait(driver, WAIT).until(lambda d: answer.find_elements(By.TAG_NAME, "pre"), "no answer shown")
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", answer)
    return answer.text


def test_try_it_scores_the_example(driver, server, shot):
    form = open_form(driver, server)
    example = json.loads(form.find_element(By.CSS_SELECTOR, "textarea[data-body]").get_attribute("value"))
    assert isinstance(example, dict) and example, "the form holds no example applicant"
    text = send(driver, form)
    shot("docs-01-try-it")
    assert text.startswith("200 OK"), text[:300]
    assert "Content-Type: application/json" in text
    result = json.loads(form.find_element(By.CSS_SELECTOR, ".answer pre").text)
    probability = result["probability_of_default"]
    assert isinstance(probability, float) and 0 <= probability <= 1, result
    assert result["decision"] in ("approve", "review", "decline")


@pytest.mark.parametrize("case", ["malformed", "unreadable"])
def test_try_it_shows_the_problem(driver, server, shot, case):
    form = open_form(driver, server)
    example = json.loads(form.find_element(By.CSS_SELECTOR, "textarea[data-body]").get_attribute("value"))
    if case == "malformed":
        body, status, message = '{"oops": ', "400", "not valid JSON"
    else:  # a whole-number input given a word
        field = next(name for name, value in example.items() if isinstance(value, int))
        body, status, message = json.dumps({**example, field: "lots"}), "422", f"'{field}' must be a whole number"
    text = send(driver, form, body)
    shot(f"docs-02-problem-{case}")
    assert text.startswith(status + " "), text[:300]
    assert "Content-Type: application/problem+json" in text, text[:300]
    problems = [p.text for p in form.find_elements(By.CSS_SELECTOR, ".answer .problem")]
    assert any(message in p for p in problems), problems
    problem = json.loads(form.find_element(By.CSS_SELECTOR, ".answer pre").text)
    assert problem["status"] == int(status) and message in (problem["detail"] + json.dumps(problem.get("errors", [])))


def test_try_it_without_a_key_is_refused(driver, server):
    """The key field left empty: the API answers 401 and the form shows it; the key never
    reaches the address bar."""
    form = open_form(driver, server)
    form.find_element(By.CSS_SELECTOR, "input[data-token]").clear()
    text = send(driver, form)
    assert text.startswith("401 "), text[:300]
    assert server.api_key not in driver.current_url
