"""The drag-and-drop page in a real headless browser (Debian's Chromium, driven by Selenium):
upload the example, read the finding on the page, download the marked copy and open it."""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import openpyxl
import pytest

from pagedriver import CHROMIUM, DRIVER, chromium, drop, nodes, seen, wait
from serving import running

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(not (CHROMIUM and DRIVER),
                                 reason="chromium and chromium-driver are not installed (.ci/run installs them)")]


@pytest.fixture
def browser(tmp_path):
    pytest.importorskip("selenium.webdriver")
    with chromium(tmp_path / "downloads", tmp_path / "profile") as driver:
        yield driver


_wait = wait


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
        [row] = wait(lambda: groups[0].find_elements(By.TAG_NAME, "tr"), 10)
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


@pytest.fixture(scope="module")
def many_findings(tmp_path_factory):
    """A department of 300 units and 2,000 表六 rows, totals blank and codes not catalogued: about
    5,000 findings (bench/page.py measures 1,500 units, 8,000 rows, 20,000 findings)."""
    from departments import large
    from workbook import jobs
    from workbook.grid import save_atomic

    path = tmp_path_factory.mktemp("page") / "大部门.xlsx"
    save_atomic(jobs.new(large(300, 2000)), path)
    return path


def test_progress_shows_before_the_result_and_the_findings_stay_collapsed(browser, many_findings, tmp_path):
    from selenium.webdriver.common.by import By

    with running(tmp_path) as (url, token):
        browser.get(url + "/")
        drop(browser, many_findings)
        assert wait(lambda: seen(browser)["done"], 300), browser.find_element(By.ID, "state").text
        watched = seen(browser)
        assert None not in watched.values(), watched
        assert watched["drop"] < watched["step"] < watched["result"], watched  # a step the worker reported, then the result
        section = browser.find_element(By.CSS_SELECTOR, "section.file")
        found = sum(map(int, re.findall(r"(\d+) 处", section.find_element(By.CSS_SELECTOR, ".summary").text)))
        groups = section.find_elements(By.CSS_SELECTOR, "details.rule-group")
        assert found > 3000 and len(groups) < 100
        collapsed = nodes(browser)
        assert collapsed < 1500 and not section.find_elements(By.TAG_NAME, "tr")
        biggest = max(groups, key=lambda g: int(g.get_attribute("data-count")))
        biggest.find_element(By.TAG_NAME, "summary").click()
        assert wait(lambda: len(biggest.find_elements(By.TAG_NAME, "tr")) == 200, 10)  # the first 200, then 再显示
        more = biggest.find_element(By.CSS_SELECTOR, "button.more")
        assert more.text.startswith("再显示 200 条")
        more.click()
        assert wait(lambda: len(biggest.find_elements(By.TAG_NAME, "tr")) == 400, 10)
        biggest.find_element(By.TAG_NAME, "summary").click()  # closed again
        assert not biggest.get_attribute("open")


def test_cancel_stops_the_work_and_says_so(browser, many_findings, tmp_path):
    from selenium.webdriver.common.by import By

    with running(tmp_path) as (url, token):
        browser.get(url + "/")
        drop(browser, many_findings)
        assert wait(lambda: seen(browser)["step"], 60)
        browser.find_element(By.CSS_SELECTOR, "button.cancel").click()
        assert wait(lambda: seen(browser)["done"], 30), browser.find_element(By.ID, "state").text
        assert "1 个已取消" in browser.find_element(By.ID, "state").text
        section = browser.find_element(By.CSS_SELECTOR, "section.file")
        assert "已取消" in section.text and not section.find_elements(By.CSS_SELECTOR, ".downloads button")
