"""Fixtures for the browser test: the real `loanrisk serve` and a headless Chromium.

Environment:
  LOANRISK_BIN               path to the loanrisk binary (default: `swift build --show-bin-path`/loanrisk)
  CHROME_BIN, CHROMEDRIVER   override where Chromium and chromedriver are looked up
  LOANRISK_BROWSER_REQUIRED  set to 1 to fail (instead of skip) when Chromium, chromedriver
                             or selenium are missing, so CI cannot go green without running it
"""

from __future__ import annotations

import base64
import os
import shutil
import sys
import tempfile
import warnings
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "support"))
from loanrisk_fixtures import Servers, loanrisk_servers  # noqa: E402, F401 (a fixture)

REPO_ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO_ROOT / ".artifacts"
DEFAULT_BUNDLE = REPO_ROOT / "Data" / "models" / "lending-club" / "bundle.json"
GOLDEN = REPO_ROOT / "Tests" / "ScoringTests" / "Fixtures" / "golden" / "mixed_realistic"
SAMPLE = REPO_ROOT / "Data" / "samples" / "lending-club-sample.csv"

READY_TIMEOUT = 30.0
STOP_TIMEOUT = 10.0

# Never let Selenium Manager try to download a browser or driver: there is no network.
os.environ.setdefault("SE_OFFLINE", "true")


def _unavailable(reason: str):
    if os.environ.get("LOANRISK_BROWSER_REQUIRED") == "1":
        pytest.fail(reason + " (LOANRISK_BROWSER_REQUIRED=1)", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return REPO_ROOT


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


@pytest.fixture(scope="session")
def sample_csv() -> Path:
    path = SAMPLE if SAMPLE.is_file() else GOLDEN / "input.csv"
    assert path.is_file(), f"no sample file: neither {SAMPLE} nor {GOLDEN / 'input.csv'}"
    return path


@pytest.fixture(scope="session")
def work_dir():
    with tempfile.TemporaryDirectory(prefix="loanrisk-browser-") as tmp:
        yield Path(tmp)


@pytest.fixture(scope="session")
def server(work_dir: Path):
    """The real server on SQLite in the work dir (the default model, or the golden model when
    the bundle is missing); SIGTERM at the end must stop it, cleanly, within STOP_TIMEOUT."""
    env = {} if DEFAULT_BUNDLE.is_file() else {"MODEL": str(GOLDEN / "model.txt")}
    with Servers(directory=work_dir) as servers:
        yield servers.start(env=env, ready_timeout=READY_TIMEOUT, stop_timeout=STOP_TIMEOUT)


@pytest.fixture(scope="session")
def download_dir(work_dir: Path) -> Path:
    path = work_dir / "downloads"
    path.mkdir()
    return path


@pytest.fixture(scope="session")
def chromium(download_dir: Path):
    """Headless Chromium, signed in as nobody: `driver` is the same browser signed in."""
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        _unavailable("selenium is not installed (pip install -r tests/browser/requirements.txt)")
    chrome = os.environ.get("CHROME_BIN") or next(
        (p for p in map(shutil.which, ("chromium", "chromium-browser", "google-chrome")) if p), None)
    chromedriver = os.environ.get("CHROMEDRIVER") or shutil.which("chromedriver")
    if not chrome or not Path(chrome).exists():
        _unavailable("Chromium not found (apt-get install chromium, or set CHROME_BIN)")
    if not chromedriver or not Path(chromedriver).exists():
        _unavailable("chromedriver not found (apt-get install chromium-driver, or set CHROMEDRIVER)")

    options = webdriver.ChromeOptions()
    options.binary_location = chrome
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1366,1000",
                "--disable-dev-shm-usage", "--no-first-run", "--no-default-browser-check",
                "--lang=en-US"):
        options.add_argument(arg)
    options.add_experimental_option("prefs", {
        "download.default_directory": str(download_dir),
        "download.prompt_for_download": False,
        "download.directory_upgrade": True,
        "safebrowsing.enabled": False,
    })
    service = Service(executable_path=chromedriver, log_output=str(download_dir.parent / "chromedriver.log"))
    browser = webdriver.Chrome(options=options, service=service)
    try:
        browser.set_page_load_timeout(30)
        try:
            browser.execute_cdp_cmd("Browser.setDownloadBehavior",
                                    {"behavior": "allow", "downloadPath": str(download_dir)})
        except Exception:  # older Chrome: the per-page variant
            browser.execute_cdp_cmd("Page.setDownloadBehavior",
                                    {"behavior": "allow", "downloadPath": str(download_dir)})
        yield browser
    finally:
        browser.quit()


def sign_in_through_form(driver, server, name: str, password: str) -> None:
    """Signs `driver` in as a person does: /sign-in, the name and password typed, Sign in
    pressed; waits until the page it returns to shows the name in the header."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as EC
    from selenium.webdriver.support.ui import WebDriverWait

    driver.get(server.url + "/sign-in")
    driver.find_element(By.ID, "name").send_keys(name)
    driver.find_element(By.ID, "password").send_keys(password)
    driver.find_element(By.CSS_SELECTOR, "form[action='/sign-in'] button[type=submit]").click()
    WebDriverWait(driver, 15).until(EC.text_to_be_present_in_element((By.CSS_SELECTOR, "header .who"), name))


@pytest.fixture(scope="session")
def signed_in_driver(chromium, server):
    """The browser, signed in as the server's admin through the real sign-in page."""
    sign_in_through_form(chromium, server, server.admin_name, server.admin_password)
    return chromium


@pytest.fixture(scope="session")
def driver(signed_in_driver):
    """What the page tests use: the signed-in browser."""
    return signed_in_driver


@pytest.fixture(scope="session")
def shot(driver, artifacts: Path):
    """shot("01-upload") saves a full-page PNG to .artifacts/01-upload.png."""

    def take(name: str) -> Path:
        path = artifacts / f"{name}.png"
        scroll, client = driver.execute_script(
            "return [document.documentElement.scrollWidth, document.documentElement.clientWidth]")
        if scroll > client + 1:  # a layout bug, reported without failing the flow
            warnings.warn(f"{name}: page is {scroll}px wide in a {client}px window (horizontal scrolling)", stacklevel=2)
        try:
            size = driver.execute_cdp_cmd("Page.getLayoutMetrics", {})["cssContentSize"]
            width = min(int(size["width"]), 4000)
            height = min(int(size["height"]), 12000)
            data = driver.execute_cdp_cmd("Page.captureScreenshot", {
                "format": "png", "captureBeyondViewport": True,
                "clip": {"x": 0, "y": 0, "width": width, "height": height, "scale": 1},
            })["data"]
            path.write_bytes(base64.b64decode(data))
        except Exception:
            driver.save_screenshot(str(path))
        return path

    return take
