"""Single sign-on through a real OpenID provider (tests/oidc/provider.py, pyop) in the browser.

The server is configured for the provider on loopback; the browser clicks "Sign in with
Loopback ID" on our sign-in page, logs in on the provider's own form, and lands back on
LoanRisk signed in with the role its groups give — or, when no group maps to a role, on a
page that says so.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import WebDriverWait

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "support"))
from oidc_provider import USERS, OIDCProvider, available  # noqa: E402


@pytest.fixture(scope="module")
def sso(loanrisk_servers_module):
    """A server whose single sign-on is the loopback provider, and the provider."""
    problem = available()
    if problem:
        if os.environ.get("LOANRISK_BROWSER_REQUIRED") == "1":
            pytest.fail(problem, pytrace=False)
        pytest.skip(problem)
    server = loanrisk_servers_module.create(name="sso")
    with OIDCProvider(redirect_uri=server.url + "/sign-in/oidc/callback") as provider:
        server.environment.update(provider.server_settings())
        server.start()
        yield server, provider


@pytest.fixture(scope="module")
def loanrisk_servers_module():
    from loanrisk_fixtures import Servers

    with Servers("loanrisk-sso-") as servers:
        yield servers


@pytest.fixture
def own_cookies(driver):
    """Cookies are per host, not per port: keep the other tests' cookies out of this one's way."""
    saved = driver.get_cookies()
    driver.delete_all_cookies()
    yield
    driver.delete_all_cookies()
    for cookie in saved:
        try:
            driver.add_cookie(cookie)
        except Exception:  # a cookie of another page's domain: it comes back on that page's next visit
            pass


def sign_in_at_provider(driver, server, user: str, next_path: str = "/models"):
    driver.get(server.url + "/sign-in?next=" + next_path)
    button = driver.find_element(By.LINK_TEXT, "Sign in with Loopback ID")
    button.click()
    WebDriverWait(driver, 15).until(expected_conditions.presence_of_element_located((By.ID, "username")))
    assert "Loopback ID" in driver.title
    driver.find_element(By.ID, "username").send_keys(user)
    driver.find_element(By.ID, "password").send_keys(USERS[user]["password"])
    driver.find_element(By.ID, "log-in").click()
    # Back from the provider (another port) on ours: signed in, or the page that says why not.
    WebDriverWait(driver, 15).until(lambda d: d.current_url.startswith(server.url + "/"))


def test_an_admin_signs_in_with_the_provider_and_lands_back_signed_in(driver, sso, own_cookies, shot):
    server, provider = sso
    sign_in_at_provider(driver, server, "rita")
    assert driver.current_url == server.url + "/models", driver.current_url
    header = driver.find_element(By.CSS_SELECTOR, "a[href='/account']")
    assert header.text == "rita"
    # rita is in analysts and risk-admins: the highest role wins.
    assert driver.find_element(By.CSS_SELECTOR, ".role").text == "Admin"
    assert driver.find_elements(By.CSS_SELECTOR, "a[href='/admin/people']"), "an admin sees the admin link"
    shot("oidc-signed-in")
    driver.get(server.url + "/account")
    body = driver.find_element(By.TAG_NAME, "body").text
    assert "credit-east" in body, "the team named by the token's team claim"
    # The pending sign-in cookie served once and is gone.
    assert not [c for c in driver.get_cookies() if c["name"] == "loanrisk_oidc"]


def test_an_analyst_gets_the_analyst_role(driver, sso, own_cookies):
    server, _ = sso
    sign_in_at_provider(driver, server, "ana", next_path="/")
    assert driver.find_element(By.CSS_SELECTOR, ".role").text == "Analyst"
    assert not driver.find_elements(By.CSS_SELECTOR, "a[href='/admin/people']")


def test_a_person_whose_groups_map_to_no_role_is_refused_with_a_clear_page(driver, sso, own_cookies, shot):
    server, _ = sso
    sign_in_at_provider(driver, server, "mo")
    body = driver.find_element(By.TAG_NAME, "body").text
    assert "none of your groups gives access to LoanRisk" in body, body
    assert "403" in body
    shot("oidc-no-role")
    session = [c for c in driver.get_cookies() if c["name"].endswith("loanrisk_session")]
    assert not session, "no session for a refused person"
    driver.get(server.url + "/models")
    assert "/sign-in" in driver.current_url, "still signed out"
