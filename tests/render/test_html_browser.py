"""The HTML report's review tools in a real browser: filters, search, sorting, keyboard, 390 px.

Headless Chromium through selenium opens the demo company's report from a file:// URL (so the
page's CSP and its hashed inline script are what a reader's browser sees). Skipped when
Chromium, chromedriver or selenium are missing (``make system-deps`` installs them as root).
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import boto3
import pytest
from moto import mock_aws

from reportgen.collect.account import CollectOptions, collect
from reportgen.evaluate.catalogue import load_catalogue
from reportgen.evaluate.run import evaluate
from reportgen.render import ReportOptions, render_report
from reportgen.sandbox.company import build_company
from reportgen.sandbox.seed import seed
from reportgen.snapshot import document as snapshot

TODAY = datetime(2026, 12, 3, 9, 0, tzinfo=UTC)
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")

webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is not installed")
if CHROMIUM is None or CHROMEDRIVER is None:
    pytest.skip(
        "Chromium and chromedriver are needed for the HTML browser test "
        "(Debian: apt-get install chromium chromium-driver, or make system-deps as root)",
        allow_module_level=True,
    )

from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.common.keys import Keys  # noqa: E402
from selenium.webdriver.support.ui import Select  # noqa: E402


def demo_report(folder: Path) -> Path:
    """The demo company (ten people), collected from moto, evaluated and rendered in English."""
    company = build_company(10, 7, TODAY)
    with mock_aws():
        seed(company.spec, TODAY)
        options = CollectOptions(
            region="ap-northeast-1",
            regions=company.spec.regions,
            clock=lambda: TODAY,
            sleep=lambda _s: None,
        )
        document = collect(boto3.Session(region_name="ap-northeast-1"), options)
    loaded = snapshot.loads(snapshot.dumps(document))
    catalogue = load_catalogue()
    assessment = evaluate(loaded, catalogue=catalogue)
    files = render_report(
        assessment, loaded, catalogue, "en", ["html"], ReportOptions(machine_outputs=False)
    )
    path = folder / "report.en.html"
    path.write_bytes(files["report.en.html"])
    # The same report with one row a check: every longer check points to appendix D.
    cut = render_report(
        assessment,
        loaded,
        catalogue,
        "en",
        ["html"],
        ReportOptions(machine_outputs=False, resource_limit=1),
    )
    (folder / "report.cut.html").write_bytes(cut["report.en.html"])
    return path


def start_browser() -> Any:
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    return webdriver.Chrome(service=webdriver.ChromeService(CHROMEDRIVER), options=options)


@pytest.fixture(scope="module")
def opened(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Any, Path]]:
    """The browser and the report, made once per module; Chromium starts while the report
    is built (each takes a few seconds)."""
    with ThreadPoolExecutor(1) as pool:
        starting = pool.submit(start_browser)
        try:
            path = demo_report(tmp_path_factory.mktemp("browser"))
        except BaseException:
            starting.result().quit()
            raise
        driver = starting.result()
    try:
        yield driver, path
    finally:
        driver.quit()


@pytest.fixture
def browser(opened: tuple[Any, Path]) -> Any:
    return opened[0]


@pytest.fixture
def report_path(opened: tuple[Any, Path]) -> Path:
    return opened[1]


@pytest.fixture
def page(browser: Any, report_path: Path) -> Any:
    """The report freshly loaded at desktop width."""
    width(browser, 1280)
    browser.get(report_path.as_uri())
    return browser


def width(driver: Any, pixels: int) -> None:
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": pixels, "height": 900, "deviceScaleFactor": 1, "mobile": pixels < 500},
    )


def shown(driver: Any, selector: str) -> list[Any]:
    """Elements matching ``selector`` that are not hidden themselves or by an ancestor."""
    return list(
        driver.execute_script(
            "return Array.from(document.querySelectorAll(arguments[0]))"
            ".filter(e => e.getClientRects().length > 0)",
            selector,
        )
    )


def count(driver: Any, name: str) -> str:
    return str(driver.find_element(By.CSS_SELECTOR, f'[data-count="{name}"]').text)


def test_the_script_runs_under_the_pages_policy(page: Any) -> None:
    """The toolbar shows (its script ran under the CSP) and the browser logged no error."""
    assert page.find_element(By.ID, "review").is_displayed()
    assert page.find_element(By.ID, "review-counts").get_attribute("aria-live") == "polite"
    errors = [e for e in page.get_log("browser") if e["level"] == "SEVERE"]
    assert errors == []


def test_status_filter_shows_only_that_status_and_updates_the_count(page: Any) -> None:
    """Choosing FAIL leaves only FAIL checks, and the checks count says fewer."""
    total = count(page, "checks")
    Select(page.find_element(By.ID, "review-status")).select_by_value("fail")
    checks = shown(page, "article.check")
    assert checks
    assert {c.get_attribute("data-status") for c in checks} == {"fail"}
    assert count(page, "checks") != total
    assert count(page, "checks").split(" / ")[0] == str(len(checks))


def test_severity_and_section_filters_combine(page: Any) -> None:
    """Severity and section each narrow the checks; together only checks matching both."""
    Select(page.find_element(By.ID, "review-severity")).select_by_value("high")
    assert {c.get_attribute("data-severity") for c in shown(page, "article.check")} == {"high"}
    section = Select(page.find_element(By.ID, "review-section"))
    chosen = section.options[2].get_attribute("value")
    section.select_by_value(chosen)
    checks = shown(page, "article.check")
    assert {
        (c.get_attribute("data-severity"), c.get_attribute("data-section")) for c in checks
    } <= {("high", chosen)}
    assert {s.get_attribute("id") for s in shown(page, "section.chapter:has(article.check)")} <= {
        chosen
    }
    page.find_element(By.ID, "review-clear").click()
    assert count(page, "checks").split(" / ")[0] == count(page, "checks").split(" / ")[1]


def test_principal_search_leaves_only_rows_that_contain_it(page: Any) -> None:
    """Typing a user's name leaves only resource and inventory rows of that principal."""
    name = page.find_element(By.CSS_SELECTOR, "table.inventory tbody td.user").text
    rows_before = count(page, "rows")
    page.find_element(By.ID, "review-principal").send_keys(name)
    rows = shown(page, "table.resources tbody tr, table.inventory tbody tr")
    assert rows
    assert all(name.lower() in r.text.lower() for r in rows)
    assert count(page, "users").startswith("1 / ")
    assert count(page, "rows") != rows_before


def test_a_date_column_sorts_by_iso_date_both_ways(page: Any) -> None:
    """The inventory's last-activity column sorts by the ISO date, ascending then descending
    (display dates like "2 December 2026" would sort wrongly as text)."""
    table = page.find_element(By.CSS_SELECTOR, "table.inventory")
    headers = table.find_elements(By.CSS_SELECTOR, "thead th")
    column = next(i for i, th in enumerate(headers) if "Last" in th.text)
    button = headers[column].find_element(By.CSS_SELECTOR, "button")

    def dates() -> list[str]:
        cells = table.find_elements(By.CSS_SELECTOR, f"tbody td:nth-child({column + 1})")
        return [c.get_attribute("data-sort") for c in cells]

    button.click()
    assert headers[column].get_attribute("aria-sort") == "ascending"
    known = [d for d in dates() if d]
    assert len(set(known)) > 1 and known == sorted(known)
    button.click()
    assert headers[column].get_attribute("aria-sort") == "descending"
    assert [d for d in dates() if d] == sorted(known, reverse=True)


def test_keyboard_alone_reaches_and_changes_a_filter(page: Any) -> None:
    """Tab reaches the status filter with a visible focus ring; arrow keys change it."""
    body = page.find_element(By.TAG_NAME, "body")
    body.click()
    target = page.find_element(By.ID, "review-status")
    for _ in range(80):
        page.switch_to.active_element.send_keys(Keys.TAB)
        if page.switch_to.active_element == target:
            break
    assert page.switch_to.active_element == target, "Tab never reached the status filter"
    outline = page.execute_script("return getComputedStyle(arguments[0]).outlineStyle", target)
    assert outline != "none"
    before = count(page, "checks")
    target.send_keys(Keys.ARROW_DOWN)
    assert Select(target).first_selected_option.get_attribute("value") == "fail"
    assert count(page, "checks") != before


def test_nothing_overflows_a_390_pixel_screen(browser: Any, report_path: Path) -> None:
    """At 390 px the page does not scroll sideways: wide tables scroll inside their own box."""
    width(browser, 390)
    browser.get(report_path.as_uri())
    assert browser.execute_script("return document.documentElement.scrollWidth") <= 390
    outside = browser.execute_script(
        """const w = document.documentElement.clientWidth;
        return Array.from(document.querySelectorAll('body *'))
          .filter(e => !e.closest('.table-scroll') || e.classList.contains('table-scroll'))
          .filter(e => e.getClientRects().length && e.getBoundingClientRect().right > w + 1)
          .map(e => e.tagName + '.' + e.className);"""
    )
    assert outside == []
    assert browser.find_elements(By.CSS_SELECTOR, ".table-scroll > table.inventory")


def test_a_search_says_whether_appendix_d_holds_more_matches(
    browser: Any, report_path: Path
) -> None:
    """A check cut to its first rows says "N more are listed in appendix D"; while searching,
    that count no longer holds: the line gives way to one shown only when appendix D has
    further matching rows, and comes back when the search is cleared."""
    width(browser, 1280)
    browser.get((report_path.parent / "report.cut.html").as_uri())
    cut = browser.execute_script(
        """return Array.from(document.querySelectorAll('article.check')).map(a => {
          const more = a.querySelector('p.more:not(.more-search)');
          const full = document.querySelector('.check-full[data-check="' + a.id + '"]');
          if (!more || !full) return null;
          const names = t => Array.from(t.querySelectorAll('tbody tr[data-principal]'))
            .map(r => r.getAttribute('data-principal'));
          return {id: a.id, own: names(a), rest: names(full).slice(names(a).length)};
        }).filter(Boolean);"""
    )
    beyond = next(c for c in cut if set(c["rest"]) - set(c["own"]))
    only_beyond = sorted(set(beyond["rest"]) - set(beyond["own"]))[0]
    article = browser.find_element(By.ID, beyond["id"])
    more = article.find_element(By.CSS_SELECTOR, "p.more:not(.more-search)")
    searching = article.find_element(By.CSS_SELECTOR, "p.more-search")
    assert more.is_displayed() and not searching.is_displayed()
    search = browser.find_element(By.ID, "review-principal")
    search.send_keys(only_beyond)
    assert not more.is_displayed()
    assert searching.is_displayed() and "appendix D" in searching.text
    shown_only = next(c for c in cut if set(c["own"]) - set(c["rest"]))
    name = sorted(set(shown_only["own"]) - set(shown_only["rest"]))[0]
    other = browser.find_element(By.ID, shown_only["id"])
    search.clear()
    search.send_keys(name)
    assert not other.find_element(By.CSS_SELECTOR, "p.more-search").is_displayed()
    assert not other.find_element(By.CSS_SELECTOR, "p.more:not(.more-search)").is_displayed()
    browser.find_element(By.ID, "review-clear").click()
    assert more.is_displayed() and not searching.is_displayed()
