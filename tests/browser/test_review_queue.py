"""The review queue in a browser: an analyst opens the oldest waiting case from /review,
decides it, lands on the next one, and the counts move; the queue page, a case opened from
it and the challenger page have no serious or critical axe-core violation."""

from __future__ import annotations

import re

import pytest

pytest.importorskip("selenium", reason="selenium is not installed (pip install -r tests/browser/requirements.txt)")

from selenium.webdriver.common.by import By  # noqa: E402

from test_accessibility import violations  # noqa: E402
from test_browser import navigate, upload, wait  # noqa: E402

WAITING = re.compile(r"([\d,]+) cases? waits? for an analyst")


def waiting(driver) -> int:
    match = WAITING.search(driver.find_element(By.ID, "review-summary").text)
    assert match, driver.find_element(By.ID, "review-summary").text
    return int(match.group(1).replace(",", ""))


def test_an_analyst_works_the_queue_oldest_first(driver, server, sample_csv):
    upload(driver, server, sample_csv)
    driver.get(server.url + "/review")
    before = waiting(driver)
    if before == 0:
        pytest.skip("the sample has no review cases")
    assert not violations(driver), "axe-core on /review"
    oldest = driver.find_element(By.ID, "review-first").get_attribute("href")
    navigate(driver, driver.find_element(By.ID, "review-first").click, "opening the oldest case")
    assert driver.current_url == oldest and "queue=all" in oldest
    assert "in the review queue" in driver.find_element(By.ID, "review-queue").text
    assert not violations(driver), "axe-core on a case opened from the queue"
    driver.find_element(By.CSS_SELECTOR, "#review input[value=approve]").click()
    driver.find_element(By.ID, "review-note").send_keys("Employment confirmed")
    navigate(driver, driver.find_element(By.CSS_SELECTOR, "#review button[type=submit]").click, "recording the decision")
    if before > 1:
        assert driver.current_url != oldest and "queue=all" in driver.current_url, driver.current_url
        assert driver.find_elements(By.ID, "review-queue"), "the next case is opened from the queue too"
    driver.get(server.url + "/review")
    assert waiting(driver) == before - 1
    decided = driver.find_element(By.ID, "review-decided-list").text
    assert "Employment confirmed" in decided


def test_the_challenger_page_has_no_grave_violations(driver, server):
    driver.get(server.url + "/models/lending-club/challenger")
    wait(driver, lambda d: d.execute_script("return document.readyState") == "complete", "challenger page did not load")
    assert not violations(driver)
