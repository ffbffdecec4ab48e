"""The drop page in headless Chromium (Debian's chromium + chromedriver, driven by Selenium), and
what the page does after a drop, watched from inside it: when the first step the service reports
shows, when the result shows, how long the page's main thread was ever busy meanwhile (a 20 ms
timer's lateness), and how many DOM nodes the page holds. Used by tests/test_serve_page.py and
bench/page.py."""
from __future__ import annotations

import shutil
import time
from contextlib import contextmanager
from pathlib import Path

CHROMIUM, DRIVER = shutil.which("chromium"), shutil.which("chromedriver")
# Chromium on a closed network: no background connections (they are refused and slow it down)
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-dev-shm-usage")

# Installed before the drop: timestamps (performance.now(), ms) of the drop (the file input's
# change), the first step shown (an element gets the class "doing" or "did"), the first result
# (a section.file that is not .working) and the longest lateness of a 20 ms timer.
WATCH = """
window.__seen = {drop: null, step: null, result: null, stall: 0, done: null};
document.getElementById(arguments[0]).addEventListener('change', function () {
  window.__seen.drop = performance.now();
  var last = performance.now();
  var tick = setInterval(function () {
    var now = performance.now();
    window.__seen.stall = Math.max(window.__seen.stall, now - last - 20);
    last = now;
    if (window.__seen.done) { clearInterval(tick); }
  }, 20);
}, true);
new MutationObserver(function () {
  var s = window.__seen, now = performance.now();
  if (s.step === null && document.querySelector('#results .steps li.doing, #results .steps li.did')) { s.step = now; }
  if (s.result === null && document.querySelector('#results section.file:not(.working)')) { s.result = now; }
  if (s.done === null && /^已处理/.test(document.getElementById('state').textContent)) { s.done = now; }
}).observe(document.body, {subtree: true, childList: true, attributes: true, characterData: true});
"""


@contextmanager
def chromium(downloads: Path, profile: Path):
    from selenium import webdriver
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    downloads.mkdir(parents=True, exist_ok=True)
    options = Options()
    options.binary_location = CHROMIUM
    for flag in FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={profile}")
    options.add_experimental_option("prefs", {"download.default_directory": str(downloads),
                                              "download.prompt_for_download": False})
    driver = webdriver.Chrome(service=Service(DRIVER), options=options)
    try:
        driver.execute_cdp_cmd("Page.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)})
        driver.downloads = downloads
        yield driver
    finally:
        driver.quit()


def wait(what, timeout=120):
    """Poll until `what()` gives something (the page works asynchronously); None after `timeout`."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        found = what()
        if found:
            return found
        time.sleep(0.05)
    return None


def drop(driver, path: Path, field: str = "files") -> None:
    """Drop `path` on the page as the user picks it, with the watch installed first."""
    from selenium.webdriver.common.by import By

    driver.execute_script(WATCH, field)
    driver.find_element(By.ID, field).send_keys(str(path))


def seen(driver) -> dict:
    return driver.execute_script("return window.__seen;")


def nodes(driver) -> int:
    return driver.execute_script("return document.getElementsByTagName('*').length;")
