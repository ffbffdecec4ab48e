"""The drop page under load, in headless Chromium: a department of 1,500 units and 8,000 表六
rows, its totals blank and its codes not catalogued (about 20,000 findings), dropped on the page
of a real `budgetbook serve`.

Printed, as counts and ratios (no goal is a timed assertion in the tests):
- first progress: when the first step the service reports (读取, 校验 …) shows on the page,
  after the drop; and as a share of the whole work (drop to result shown);
- responsiveness: the longest time the page's main thread was busy (a 20 ms timer's lateness)
  between the drop and the finished view;
- DOM nodes of the finished view, collapsed, and after opening the largest rule.
Run: python bench/page.py (needs chromium, chromium-driver and the test extras).
"""
from __future__ import annotations

import re
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from departments import large  # noqa: E402
from pagedriver import chromium, drop, nodes, seen, wait  # noqa: E402
from serving import running  # noqa: E402
from workbook import jobs  # noqa: E402
from workbook.grid import save_atomic  # noqa: E402


def main() -> None:
    from selenium.webdriver.common.by import By

    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        path = tmp / "大部门.xlsx"
        save_atomic(jobs.new(large(1500, 8000)), path)
        with running(tmp) as (url, _), chromium(tmp / "downloads", tmp / "profile") as browser:
            browser.get(url + "/")
            drop(browser, path)
            if not wait(lambda: seen(browser)["done"], 600):
                raise SystemExit(f"no result: {browser.find_element(By.ID, 'state').text}")
            watched = seen(browser)
            section = browser.find_element(By.CSS_SELECTOR, "section.file")
            found = sum(map(int, re.findall(r"(\d+) 处", section.find_element(By.CSS_SELECTOR, ".summary").text)))
            collapsed = nodes(browser)
            groups = section.find_elements(By.CSS_SELECTOR, "details.rule-group")
            biggest = max(groups, key=lambda g: int(g.get_attribute("data-count")))
            largest = biggest.get_attribute("data-count")
            biggest.find_element(By.TAG_NAME, "summary").click()
            wait(lambda: biggest.find_elements(By.TAG_NAME, "tr"), 10)
            opened = nodes(browser)
    first = (watched["step"] - watched["drop"]) / 1000
    work = (watched["result"] - watched["drop"]) / 1000
    print(f"page, {found} findings: first progress {first:.2f} s after the drop (goal ≤ 1 s), "
          f"{first / work:.1%} of the {work:.1f} s to the result")
    print(f"page: longest main-thread stall {watched['stall']:.0f} ms from the drop to the finished view")
    print(f"page: DOM nodes finished {collapsed} in {len(groups)} rule groups (goal: a few thousand), "
          f"{opened} with the largest rule ({largest} findings) opened")


if __name__ == "__main__":
    main()
