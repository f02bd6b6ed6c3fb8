"""Accounts in the browser (issue #33): an analyst made with `loanrisk users create` signs in
through the page, works a review case, signs out, and the back button shows the sign-in page
rather than the case; a wrong password is explained; the sign-in and account pages pass the
keyboard and axe checks; the header names who is signed in on every page.

The tests share the suite's browser: each one that signs in as someone else signs the admin
back in at its end, so the page tests after it find the browser as they expect."""

from __future__ import annotations

import pytest

pytest.importorskip("selenium", reason="selenium is not installed (pip install -r tests/browser/requirements.txt)")

from selenium.webdriver.common.action_chains import ActionChains  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.common.keys import Keys  # noqa: E402
from selenium.webdriver.support.ui import Select  # noqa: E402

from conftest import sign_in_through_form  # noqa: E402
from test_browser import in_place, navigate, result_rows, upload, wait  # noqa: E402

SIGN_IN_HEADING = "Sign in to LoanRisk"


@pytest.fixture
def as_someone_else(driver, server):
    """The browser with no cookies; the admin signed back in afterwards."""
    driver.delete_all_cookies()
    yield driver
    driver.delete_all_cookies()
    sign_in_through_form(driver, server, server.admin_name, server.admin_password)


def heading(driver) -> str:
    return driver.find_element(By.CSS_SELECTOR, "main h1").text.strip()


def test_sign_in_review_sign_out_and_back_shows_the_sign_in_page(as_someone_else, server, sample_csv):
    driver = as_someone_else
    password = server.create_user("rita", "analyst")
    # A page asked for without a session goes to the sign-in page, and back to it afterwards.
    driver.get(server.url + "/review")
    assert "/sign-in?next=" in driver.current_url and heading(driver) == SIGN_IN_HEADING
    driver.find_element(By.ID, "name").send_keys("rita")
    driver.find_element(By.ID, "password").send_keys(password)
    navigate(driver, driver.find_element(By.CSS_SELECTOR, "form[action='/sign-in'] button").click, "signing in")
    assert driver.current_url.split("?")[0] == server.url + "/review", driver.current_url
    assert "rita" in driver.find_element(By.CSS_SELECTOR, "header .who").text

    upload(driver, server, sample_csv)
    select = Select(driver.find_element(By.CSS_SELECTOR, "#filters select[name=decision]"))
    in_place(driver, lambda: select.select_by_value("review"), "choosing decision=review")
    rows = result_rows(driver)
    assert rows, "the sample has no referred rows"
    navigate(driver, rows[0].find_element(By.CSS_SELECTOR, "td.rownum a").click, "opening a referred row")
    case_url = driver.current_url
    driver.find_element(By.CSS_SELECTOR, "#review input[value=approve]").click()
    driver.find_element(By.ID, "review-note").send_keys("Employer confirmed by phone")
    navigate(driver, driver.find_element(By.CSS_SELECTOR, "#review button[type=submit]").click, "recording the decision")
    assert "approve" in driver.find_element(By.ID, "review-decided").text

    sign_out = driver.find_element(By.CSS_SELECTOR, "header .who form[action='/sign-out'] button")
    navigate(driver, sign_out.click, "signing out")
    assert "/sign-in" in driver.current_url and "You have signed out." in driver.page_source
    assert driver.get_cookie("loanrisk_session") is None

    # Back: the case page is not shown again (no-store, and the session is gone).
    navigate(driver, driver.back, "pressing back")
    wait(driver, lambda d: "/sign-in" in d.current_url, f"back showed {driver.current_url}, not the sign-in page")
    assert heading(driver) == SIGN_IN_HEADING
    assert "Employer confirmed by phone" not in driver.page_source
    assert driver.find_elements(By.ID, "review") == []
    # Signing in again returns to the case.
    driver.find_element(By.ID, "name").send_keys("rita")
    driver.find_element(By.ID, "password").send_keys(password)
    navigate(driver, driver.find_element(By.CSS_SELECTOR, "form[action='/sign-in'] button").click, "signing in again")
    assert driver.current_url.split("?")[0] == case_url.split("?")[0], driver.current_url


def test_a_wrong_password_is_explained(as_someone_else, server):
    driver = as_someone_else
    server.create_user("walt", "viewer")
    driver.get(server.url + "/sign-in")
    driver.find_element(By.ID, "name").send_keys("walt")
    driver.find_element(By.ID, "password").send_keys("not-the-password-at-all")
    navigate(driver, driver.find_element(By.CSS_SELECTOR, "form[action='/sign-in'] button").click, "signing in wrongly")
    problem = driver.find_element(By.ID, "sign-in-problem")
    assert problem.is_displayed() and problem.text.strip(), driver.page_source[:2000]
    assert problem.get_attribute("role") == "alert"
    assert "/sign-in" in driver.current_url and driver.get_cookie("loanrisk_session") is None
    # The name typed is kept, the password is not.
    assert driver.find_element(By.ID, "name").get_attribute("value") == "walt"
    assert driver.find_element(By.ID, "password").get_attribute("value") == ""


def test_the_sign_in_and_account_pages_work_by_keyboard_and_pass_axe(as_someone_else, server):
    from test_accessibility import tab_to, violations

    driver = as_someone_else
    password = server.create_user("kim", "analyst")
    driver.get(server.url + "/sign-in")
    assert violations(driver) == []
    name = tab_to(driver, lambda e: e.get_attribute("id") == "name", "the name field", limit=40)
    name.send_keys("kim")
    field = tab_to(driver, lambda e: e.get_attribute("id") == "password", "the password field", limit=5)
    field.send_keys(password)
    navigate(driver, lambda: ActionChains(driver).send_keys(Keys.ENTER).perform(), "pressing Enter in the password field")
    assert "kim" in driver.find_element(By.CSS_SELECTOR, "header .who").text

    driver.get(server.url + "/account")
    assert heading(driver) == "Your account"
    assert violations(driver) == []
    tab_to(driver, lambda e: e.get_attribute("id") == "current", "the current password field")
    tab_to(driver, lambda e: e.tag_name == "button" and e.text.strip() == "Change password", "Change password")


@pytest.mark.parametrize("path", ["/", "/batches", "/review", "/models", "/monitoring", "/docs",
                                  "/applicants/new", "/account", "/admin/people"])
def test_the_header_shows_who_is_signed_in(driver, server, path):
    driver.get(server.url + path)
    who = driver.find_element(By.CSS_SELECTOR, "header .who")
    assert server.admin_name in who.text and "Admin" in who.text, (path, who.text)
    assert who.find_element(By.CSS_SELECTOR, "a[href='/account']").text.strip() == server.admin_name
