"""Pages as users reach them, in headless Chromium against the real app (#12): addresses can be
bookmarked and a reload keeps the open tab; a long job survives a reload; the observer sees recorded
results only; the 12-county table is whole at 1440 px and agrees with the headline."""

from __future__ import annotations

import pytest

from tests.ui.browser import BROWSER, browser, nav, server, settled, sign_in  # noqa: F401

pytestmark = BROWSER


def _signed_in_from(page, url: str, user: str, password: str) -> None:
    page.goto(url)
    page.get_by_label("用户名").wait_for(timeout=30000)
    settled(page)
    assert page.locator('[role="dialog"]').count() == 0, page.locator('[role="dialog"]').all_inner_texts()
    page.get_by_label("用户名").fill(user)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()
    page.get_by_role("button", name="退出登录").wait_for(timeout=30000)
    settled(page)


def test_addresses_can_be_bookmarked_and_a_reload_keeps_the_tab(server, browser):
    page = browser.new_page(viewport={"width": 1440, "height": 1000})
    _signed_in_from(page, server + "/sign_in", "weiyuan", "junheng-weiyuan")     # no "Page not found"
    page.get_by_role("heading", name="全地区总览").first.wait_for(timeout=30000)
    page.context.clear_cookies()

    context = browser.new_context(viewport={"width": 1440, "height": 1000})
    page = context.new_page()
    _signed_in_from(page, server + "/evaluation", "weiyuan", "junheng-weiyuan")  # lands where it was asked
    page.get_by_role("heading", name="县市评估").first.wait_for(timeout=30000)
    page.get_by_role("tab", name="记录结论与函件").click()
    settled(page)
    assert "tab=" in page.url
    page.reload()
    page.get_by_role("button", name="退出登录").wait_for(timeout=30000)
    settled(page)
    assert page.get_by_role("tab", selected=True).inner_text() == "记录结论与函件"
    bookmark = page.url
    other = context.new_page()
    other.goto(bookmark)                       # another tab, the same session cookie: the bookmarked tab opens
    other.get_by_role("button", name="退出登录").wait_for(timeout=30000)
    settled(other)
    assert other.get_by_role("tab", selected=True).inner_text() == "记录结论与函件"


def test_a_long_job_survives_a_reload(server, browser):
    page = browser.new_page(viewport={"width": 1440, "height": 1000})
    sign_in(page, server, "weiyuan", "junheng-weiyuan")
    nav(page, "报告与函件")
    page.get_by_role("button", name="生成全部意见书（ZIP）").click()
    page.locator('[data-testid="stProgress"]').wait_for(timeout=30000)
    page.reload()
    page.get_by_role("button", name="退出登录").wait_for(timeout=30000)
    # After the reload the same job is found again: its progress, then its result.
    page.locator('[data-testid="stDownloadButton"]', has_text=".zip").wait_for(timeout=180000)


def test_the_observer_sees_recorded_results_only(server, browser):
    """The seeded counties have evaluations but no recorded verdict: nothing of them is shown."""
    page = browser.new_page(viewport={"width": 1440, "height": 1400})
    sign_in(page, server, "guancha", "junheng-guancha")
    page.get_by_role("heading", name="全地区总览").first.wait_for(timeout=30000)
    page.locator(".st-key-county_table table").wait_for(timeout=30000)
    page.get_by_text("尚无评估数据。").wait_for(timeout=30000)          # no heatmap of unreviewed figures
    metric = page.locator('[data-testid="stMetric"]', has_text="未达标学校学段")
    assert metric.locator('[data-testid="stMetricValue"]').inner_text() == "0"
    rows = page.locator('.st-key-county_table tbody tr')
    assert rows.count() == 12
    failing = [r.locator("td").nth(4).inner_text() for r in rows.all()]
    assert set(failing) == {"—/—"}, failing
    assert page.get_by_text("评估草稿结论").count() == 0


def test_the_county_table_is_whole_at_1440_px_and_agrees_with_the_headline(server, browser, tmp_path):
    page = browser.new_page(viewport={"width": 1440, "height": 1000})
    sign_in(page, server, "weiyuan", "junheng-weiyuan")
    table = page.locator(".st-key-county_table table")
    table.wait_for(timeout=30000)
    table.scroll_into_view_if_needed()
    assert table.locator("tbody tr").count() == 12
    scrolled = page.evaluate("""() => [...document.querySelectorAll('.st-key-county_table, .st-key-county_table *')]
        .filter(e => e.scrollHeight > e.clientHeight + 1 || e.scrollWidth > e.clientWidth + 1).length""")
    assert scrolled == 0, "a scroll bar inside the county table"
    box = table.bounding_box()
    assert box["x"] + box["width"] <= 1440
    overdue = [r for r in table.locator("tbody tr").all() if "逾期" in r.inner_text()]
    metric = page.locator('[data-testid="stMetric"]', has_text="有逾期事项的县市")
    assert metric.locator('[data-testid="stMetricValue"]').inner_text() == str(len(overdue)) != "0"
    page.screenshot(path=str(tmp_path / "dashboard-1440.png"), full_page=True)


def test_streamlits_own_words_follow_the_language(server, browser):
    page = browser.new_page(viewport={"width": 1440, "height": 1000})
    sign_in(page, server, "zepu", "junheng-zepu")
    nav(page, "上传与提交")
    button = page.locator('[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] p')
    limit = page.locator('[data-testid="stFileUploaderDropzoneInstructions"] span').first
    shown = [el.evaluate("e => [getComputedStyle(e).fontSize, getComputedStyle(e, '::after').content]")
             for el in (button, limit)]
    assert shown[0] == ["0px", '"选择文件"'], shown                        # not "Upload"
    assert shown[1][0] == "0px" and "单个文件不超过 50 MB" in shown[1][1], shown   # not "50MB per file"
    page.locator('[data-testid="stSidebar"]').get_by_text("English").click()
    settled(page)
    page.get_by_role("heading", name="Upload and submit").first.wait_for(timeout=30000)
    # The Chinese words are a style-only st.html, kept in Streamlit's event container until the English
    # run has ended (the heading comes first): wait for them to go rather than look once.
    page.wait_for_function("e => ['none', 'normal'].includes(getComputedStyle(e, '::after').content)",
                           arg=button.element_handle(), timeout=30000)
    nav(page, "Our progress")
    stage = page.locator('[data-testid="stMetric"]', has_text="Stage").locator('[data-testid="stMetricValue"]')
    assert stage.inner_text() == "annual monitoring", stage.inner_text()


def test_the_ledger_download_is_one_xlsx_workbook(server, browser, tmp_path):
    """台账 Excel（XLSX） downloads an .xlsx the committee can open (it was a .zip)."""
    import openpyxl
    page = browser.new_page(viewport={"width": 1440, "height": 1000})
    sign_in(page, server, "weiyuan", "junheng-weiyuan")
    nav(page, "报告与函件")
    page.locator(".st-key-_report_fmt").get_by_text("台账 Excel（XLSX）").click()
    settled(page)
    page.locator(".st-key-_report_go button").click()
    button = page.locator(".st-key-_report_dl button")
    button.wait_for(timeout=120000)
    with page.expect_download(timeout=60000) as download:
        button.click()
    path = tmp_path / download.value.suggested_filename
    download.value.save_as(path)
    assert path.suffix == ".xlsx" and path.read_bytes()[:2] == b"PK"
    book = openpyxl.load_workbook(path, read_only=True)
    assert any("未达标" in name for name in book.sheetnames) and any("已达标" in name for name in book.sheetnames), \
        book.sheetnames
