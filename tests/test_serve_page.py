"""The drag-and-drop page in a real headless browser (Debian's Chromium, driven by Selenium):
upload the example, read the finding on the page, download the marked copy and open it."""
from __future__ import annotations

import shutil
import time
from pathlib import Path

import openpyxl
import pytest

from serving import running

CHROMIUM, DRIVER = shutil.which("chromium"), shutil.which("chromedriver")
pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(not (CHROMIUM and DRIVER),
                                 reason="chromium and chromium-driver are not installed (.ci/run installs them)")]
# Chromium on a closed network: no background connections (they are refused and slow it down)
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-dev-shm-usage")


@pytest.fixture
def browser(tmp_path):
    webdriver = pytest.importorskip("selenium.webdriver")
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    downloads = tmp_path / "downloads"
    downloads.mkdir()
    options = Options()
    options.binary_location = CHROMIUM
    for flag in FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={tmp_path / 'profile'}")
    options.add_experimental_option("prefs", {"download.default_directory": str(downloads),
                                              "download.prompt_for_download": False})
    driver = webdriver.Chrome(service=Service(DRIVER), options=options)
    try:
        driver.execute_cdp_cmd("Page.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)})
        driver.downloads = downloads
        yield driver
    finally:
        driver.quit()


def _wait(what, timeout=120):
    """Poll until `what()` gives something (the page works asynchronously); None after `timeout`."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        found = what()
        if found:
            return found
        time.sleep(0.2)
    return None


def test_upload_the_example_see_the_finding_and_download_the_marked_copy(browser, filled_xlsx, tmp_path):
    from selenium.webdriver.common.by import By

    upload = tmp_path / "临夏市预算公开表.xlsx"
    shutil.copy(filled_xlsx, upload)
    with running(tmp_path) as (url, token):
        browser.get(url + "/")
        assert "预算公开助手" in browser.title
        browser.find_element(By.ID, "files").send_keys(str(upload))
        groups = _wait(lambda: browser.find_elements(By.CSS_SELECTOR, 'details[data-rule="P.projects-total"]'))
        assert groups, browser.find_element(By.ID, "state").text
        summary = groups[0].find_element(By.TAG_NAME, "summary")
        assert summary.text.startswith("错误 各项目年度资金总额") and summary.text.endswith("P.projects-total 错误 1")
        assert not groups[0].find_elements(By.TAG_NAME, "tr")  # collapsed: no rows made yet
        summary.click()
        [row] = groups[0].find_elements(By.TAG_NAME, "tr")
        assert "错误" in row.text and "213.00" in row.text
        section = browser.find_element(By.CSS_SELECTOR, "section.file")
        assert "错误 1 处" in section.text and "仍有 1 处错误" in section.text
        assert [h.text.split()[0] for h in section.find_elements(By.TAG_NAME, "h3")][:2] == ["表三", "表六"]
        section.find_element(By.CSS_SELECTOR, 'button[data-kind="marked"]').click()
        done = _wait(lambda: [p for p in browser.downloads.glob("*.xlsx")])
    assert done, list(browser.downloads.iterdir())
    [marked] = done
    assert marked.name == "临夏市预算公开表（已标记）.xlsx"
    book = openpyxl.load_workbook(marked)
    assert book.sheetnames[-2:] == ["校验结果", "_budgetbook_marks"]
    assert book["表三"]["D5"].fill.fgColor.rgb[-6:] == "FFC7CE" and "P.projects-total" in book["表三"]["D5"].comment.text
