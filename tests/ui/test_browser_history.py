"""Blank forms and a county's history, in headless Chromium (#12): every blank form downloads as a
file a county can fill in (the school table with its instructions sheet, and the self-assessment
outline); the committee compares two of a county's tables and reads its audit trail."""

from __future__ import annotations

import io

import pytest

from inspection import webapi
from tests.ui.browser import BROWSER, browser, nav, server, settled, sign_in  # noqa: F401
from tests.ui.conftest import csv_bytes

pytestmark = BROWSER


def test_every_blank_form_downloads_with_its_instructions_and_the_outline(server, browser, tmp_path):
    import docx
    import openpyxl
    page = browser.new_page(viewport={"width": 1440, "height": 1000})
    sign_in(page, server, "zepu", "junheng-zepu")
    nav(page, "表格与函件下载")
    got = {}
    for k in range(3):
        button = page.locator(f".st-key-form_{k} button")
        with page.expect_download(timeout=60000) as download:
            button.click()
        path = tmp_path / download.value.suggested_filename
        download.value.save_as(path)
        got[path.name] = path
    assert sorted(got) == sorted(["学校数据表.xlsx", "学校数据表.csv", "县级自评报告提纲.docx"])
    book = openpyxl.load_workbook(got["学校数据表.xlsx"])
    assert len(book.sheetnames) >= 2 and any("说明" in name for name in book.sheetnames), book.sheetnames
    header = next(book[book.sheetnames[0]].iter_rows(max_row=1, values_only=True))
    assert "学校名称" in header
    assert got["学校数据表.csv"].read_text(encoding="utf-8-sig").splitlines()[0].startswith("学校名称")
    outline = docx.Document(io.BytesIO(got["县级自评报告提纲.docx"].read_bytes()))
    headings = [p.text for p in outline.paragraphs if p.style.name.startswith("Heading") or p.text.startswith("一、")]
    assert headings, [p.text for p in outline.paragraphs][:10]


@pytest.fixture
def two_tables(ui_db, zepu):
    first = webapi.upload(zepu, filename="第一版.csv", data=csv_bytes("泽普县", n=4, seed=7))
    second = webapi.upload(zepu, filename="第二版.csv", data=csv_bytes("泽普县", n=5, seed=8))
    return first["id"], second["id"]


def test_the_committee_compares_two_tables_and_reads_the_countys_trail(two_tables, server, browser):
    first, second = two_tables
    page = browser.new_page(viewport={"width": 1440, "height": 1000})
    page.add_init_script("delete window.showSaveFilePicker")
    sign_in(page, server, "weiyuan", "junheng-weiyuan")
    page.goto(f"{server}/evaluation?county=泽普县&tab=历史记录")
    page.get_by_role("button", name="退出登录").wait_for(timeout=30000)
    settled(page)
    page.locator(".st-key-_hist_go button").click()
    page.get_by_text(f"#{first}（4行").wait_for(timeout=30000)
    assert page.get_by_text(f"#{second}（5行").count()
    page.get_by_text("新增学校：泽普县第5小学（小学）").wait_for(timeout=30000)
    grids = page.locator('[role="tabpanel"]:visible [data-testid="stDataFrame"]')
    grids.nth(1).wait_for(timeout=30000)      # the grids are drawn after the text above them (count() does not wait)
    assert grids.count() == 2                                   # the changed figures, the trail
    changed = _as_csv(page, grids.nth(0)).splitlines()
    assert changed[0].split(",")[:5] == ["学校", "学段", "数据项", "原值", "新值"] and len(changed) > 1
    trail = _as_csv(page, grids.nth(1))
    assert "上传材料" in trail and "第二版.csv" in trail and "数据表被替代" in trail, trail[:500]


def _as_csv(page, grid) -> str:
    """A dataframe's rows as its toolbar's "Download as CSV" gives them (the grid itself is a canvas).
    Headless Chromium has no save dialog: the page is given none, as in browsers without one, so the
    file comes as a download."""
    grid.hover()
    with page.expect_download(timeout=30000) as download:
        grid.get_by_role("button", name="Download as CSV").click()
    return download.value.path().read_text(encoding="utf-8-sig")


def test_a_county_moves_students_in_a_what_if_plan_and_compares_its_saved_versions(server, browser, ui_db):
    """达标测算 (#15): 200 students moved between two schools in the editor, the outcome shown at once
    and equal to the service's; saved twice, the two versions side by side on the page."""
    from tests.ui.browser import add_row
    from tests.ui.conftest import principal
    page = browser.new_page(viewport={"width": 1440, "height": 1000})
    page.add_init_script("delete window.showSaveFilePicker")      # as _as_csv says
    sign_in(page, server, "bachu", "junheng-bachu")
    nav(page, "达标测算")
    page.get_by_text("调整学生").first.wait_for(timeout=60000)
    moves = page.locator('[data-testid="stDataFrame"]').filter(has_text="调出学校")
    add_row(page, moves, ["巴楚县第1小学", "小学", "巴楚县第2小学", "小学", "200"])
    metric = page.locator('[data-testid="stMetric"]').filter(has_text="未达标学校")
    plan = {"title": "", "edits": [{"kind": "move", "school": "巴楚县第1小学", "stage": "小学",
                                    "to_school": "巴楚县第2小学", "to_stage": "小学", "students": 200}]}
    expected = webapi.what_if_view(principal("bachu"), plan=plan)["after"]
    # The metric is on the page before the move too: give the rerun the last cell started time to draw
    # it (up to 30 s), then the assertion says what the page shows.
    metric.wait_for(timeout=60000)
    for _ in range(60):
        if metric.inner_text().split("\n\n")[1] == str(expected["failing_schools"]):
            break
        page.wait_for_timeout(500)
    assert metric.inner_text().split("\n\n")[1] == str(expected["failing_schools"]), metric.inner_text()
    page.get_by_text("校际差异系数：推演前后").wait_for(timeout=30000)       # the CVs change with it
    page.get_by_label("方案名称").fill("分流方案")
    page.get_by_label("方案名称").press("Enter")
    settled(page)
    for version in (1, 2):
        page.get_by_role("button", name="保存为新版本").click()
        page.get_by_text(f"已保存第{version}版").wait_for(timeout=60000)
        settled(page)
    page.get_by_role("heading", name="已保存方案：版本比较").wait_for(timeout=30000)
    versions = webapi.plan_versions(principal("bachu"), name="分流方案")
    assert [v["version"] for v in versions] == [1, 2] and all(v["edits"] == 1 for v in versions)
    assert versions[0]["resource_passed"] == expected["resource_passed"]
    grid = page.locator('[data-testid="stDataFrame"]').last
    text = _as_csv(page, grid)
    assert "第1版" in text and "第2版" in text and "方案费用（万元）" in text, text
