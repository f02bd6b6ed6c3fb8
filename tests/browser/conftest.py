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
import signal
import subprocess
import tempfile
import time
import warnings
from dataclasses import dataclass
from pathlib import Path

import pytest

import sys
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "support"))
from loanrisk_server import find_binary, free_port, wait_ready  # noqa: E402

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






@dataclass
class Server:
    url: str
    process: subprocess.Popen
    log_path: Path
    model_env: str | None

    def log_tail(self, lines: int = 40) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"


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
def server(work_dir: Path) -> Server:
    binary = find_binary()
    port = free_port()
    env = dict(os.environ)
    env["LOANRISK_ROOT"] = str(REPO_ROOT)
    env["DATABASE_PATH"] = str(work_dir / "loanrisk.sqlite")
    env.pop("MODEL", None)
    for name in ("PORT", "HOST"):
        env.pop(name, None)
    if not DEFAULT_BUNDLE.is_file():
        env["MODEL"] = str(GOLDEN / "model.txt")
    log_path = work_dir / "server.log"
    log = open(log_path, "wb")
    process = subprocess.Popen(
        [str(binary), "serve", "--hostname", "127.0.0.1", "--port", str(port)],
        cwd=work_dir, env=env, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
    )
    srv = Server(f"http://127.0.0.1:{port}", process, log_path, env.get("MODEL"))
    problem = wait_ready(srv.process, srv.url, READY_TIMEOUT)
    if problem:
        if process.poll() is None:
            process.kill()
            process.wait()
        log.close()
        pytest.fail(f"{problem}:\n{srv.log_tail()}", pytrace=False)

    yield srv

    # Graceful shutdown: SIGTERM must stop the server, cleanly, within STOP_TIMEOUT.
    try:
        assert process.poll() is None, \
            f"server died during the test with {process.returncode}:\n{srv.log_tail()}"
        process.send_signal(signal.SIGTERM)
        started = time.monotonic()
        try:
            process.wait(timeout=STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
            pytest.fail(f"server did not exit within {STOP_TIMEOUT:.0f} s of SIGTERM:\n{srv.log_tail()}",
                        pytrace=False)
        print(f"\nserver stopped {time.monotonic() - started:.2f} s after SIGTERM, exit code {process.returncode}")
        assert process.returncode == 0, \
            f"server exited with {process.returncode} after SIGTERM (expected 0):\n{srv.log_tail()}"
    finally:
        log.close()




@pytest.fixture(scope="session")
def download_dir(work_dir: Path) -> Path:
    path = work_dir / "downloads"
    path.mkdir()
    return path


@pytest.fixture(scope="session")
def driver(download_dir: Path):
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
