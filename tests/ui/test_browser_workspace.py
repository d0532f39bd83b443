"""The review workspace end to end in headless Chromium (#12): the county uploads, the committee asks
about a figure straight from its cell in the school table, the county answers with a corrected file, the committee closes the question with a
decision; both see the thread and are told of each step (the 通知 badge); the audit log has it all."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.ui.browser import BROWSER, browser, choose, nav, pick_cell, server, settled, sign_in, sign_out  # noqa: F401
from tests.ui.conftest import csv_bytes

pytestmark = BROWSER


def _upload(page, path) -> None:
    page.locator('[data-testid="stFileUploader"] input[type="file"]').first.set_input_files(str(path))
    page.locator('[data-testid="stFileChipName"]', has_text=path.name).first.wait_for(timeout=30000)
    settled(page)


def test_county_uploads_committee_asks_county_answers_committee_decides(server, browser, tmp_path):
    table = tmp_path / "泽普县学校数据表.csv"
    table.write_bytes(csv_bytes("泽普县", n=4))
    corrected = tmp_path / "泽普县学校数据表（更正）.csv"
    corrected.write_bytes(csv_bytes("泽普县", n=4, seed=8))
    page = browser.new_page(viewport={"width": 1440, "height": 1600})

    sign_in(page, server, "zepu", "junheng-zepu")
    nav(page, "上传与提交")
    _upload(page, table)
    page.get_by_role("button", name="上传并读取").click()
    page.get_by_text("已读取：4 行学校数据").wait_for(timeout=60000)
    sign_out(page)

    sign_in(page, server, "weiyuan", "junheng-weiyuan")
    nav(page, "县市评估")
    # The second school's 在校学生数 (School, Stage, Result, R1–R7, then the figures): its cell, then 提问.
    pick_cell(page, page.locator('[data-testid="stDataFrame"]').first, row=1, column=10)
    page.locator(".st-key-_fix_school_1").wait_for(timeout=30000)    # the picked cell's run has drawn its source
    page.get_by_text("在校学生数：").first.wait_for(timeout=30000)
    ask = page.locator('[data-testid="stExpander"]', has_text="就此数据向县市提问")
    expect(ask).to_have_count(1, timeout=30000)    # the first school's box, drawn before the pick, is gone
    ask.locator("summary").click()
    body = ask.get_by_label("问询内容（已填入该数据，可修改）")
    prefilled = body.input_value()
    assert prefilled.startswith("泽普县第2小学（小学）“在校学生数”") and "《泽普县学校数据表.csv》" in prefilled, prefilled
    body.fill(prefilled.replace("请核实并说明", "与学籍系统不符，请核实并说明"))
    ask.get_by_role("button", name="就此数据发出问询").click()
    page.get_by_text("已发出问询，县市将收到通知。").wait_for(timeout=30000)
    page.get_by_text("已就此数据问询 #1：待县市答复").wait_for(timeout=30000)    # under the figure itself
    page.get_by_role("tab", name="问询与答复").click()
    page.locator("p", has_text="· 待县市答复").first.wait_for(timeout=30000)      # the thread's own line
    sign_out(page)

    sign_in(page, server, "zepu", "junheng-zepu")
    page.locator('[data-testid="stSidebarNav"]').get_by_text("通知（1）").wait_for(timeout=30000)   # the badge
    nav(page, "本县进展")
    page.get_by_text("#1 泽普县第2小学（小学）“在校学生数”").wait_for(timeout=30000)
    page.get_by_text("与学籍系统不符，请核实并说明").wait_for(timeout=30000)
    page.get_by_label("答复内容").fill("经核实，原表误填，已上传更正后的学校数据表。")
    _upload(page, corrected)
    page.get_by_role("button", name="提交答复").click()
    page.get_by_text("已答复，地区督导委员会将收到通知。").wait_for(timeout=60000)
    page.get_by_text("县市已答复").first.wait_for()
    page.get_by_text("附更正文件 #2").wait_for(timeout=30000)
    sign_out(page)

    sign_in(page, server, "weiyuan", "junheng-weiyuan")
    # Told of both uploads and of the answer (none was opened yet).
    page.locator('[data-testid="stSidebarNav"]').get_by_text("通知（3）").wait_for(timeout=30000)
    nav(page, "县市评估")
    page.get_by_role("tab", name="问询与答复").click()
    settled(page)
    page.get_by_text("经核实，原表误填").wait_for(timeout=30000)
    page.get_by_label("处理意见（必填）").fill("已核实，采用更正后的数据。")
    page.get_by_role("button", name="处理完毕，关闭问询").click()
    page.get_by_text("处理意见（weiyuan").wait_for(timeout=30000)
    sign_out(page)

    sign_in(page, server, "zepu", "junheng-zepu")
    nav(page, "本县进展")
    page.get_by_text("已核实，采用更正后的数据。").first.wait_for(timeout=30000)
    page.get_by_text("已处理").first.wait_for()
    page.screenshot(path=str(tmp_path / "county-thread.png"), full_page=True)

    from sqlmodel import select

    from inspection.db import session_scope
    from inspection.db.models import AuditEvent
    with session_scope() as s:
        actions = [e.action for e in s.exec(select(AuditEvent).where(AuditEvent.entity == "thread"))]
    assert actions == ["thread.ask", "thread.answer", "thread.close"]


@pytest.fixture
def two_vetoes(ui_db):
    """巴楚县's evaluation with a second open veto finding (added before the app starts)."""
    from sqlmodel import select

    from inspection.db import get_engine, repo, session_scope
    from inspection.db.models import Finding
    with session_scope() as session:
        county = repo.get_county(session, name="巴楚县")
        county.stage = "prefecture_evaluation"        # its round is with the committee: the inbox shows it
        evaluation = repo.latest_evaluation(session, county=county)
        first = session.exec(select(Finding).where(Finding.evaluation_id == evaluation.id,
                                                   Finding.kind == "veto")).one()
        session.add(Finding(evaluation_id=evaluation.id, kind="veto", code="exam_admission",
                            message=first.message.replace("设立实验班两个", "以考试方式招收新生")))
    get_engine.cache_clear()


def test_the_inbox_sorts_and_assigns_and_findings_are_decided_together(two_vetoes, server, browser, tmp_path):
    page = browser.new_page(viewport={"width": 1440, "height": 1600})
    sign_in(page, server, "weiyuan", "junheng-weiyuan")
    nav(page, "审核队列")
    page.locator('[data-testid="stExpander"]', has_text="分配负责委员").locator("summary").click()
    form = page.locator('[data-testid="stForm"]')
    form.get_by_role("combobox", name="县市").wait_for(timeout=30000)
    for label, option in (("县市", "巴楚县"), ("负责委员", "weiyuan")):
        choose(page, form.get_by_role("combobox", name=label), option)
    form.get_by_role("button", name="保存").click()
    settled(page)
    choose(page, page.get_by_role("combobox", name="排序"), "按待认定否决事项")
    first = page.locator('[data-testid="stTable"] tbody tr').first
    first.get_by_text("weiyuan").wait_for(timeout=30000)
    cells = first.locator("td").all_inner_texts()
    assert cells[0] == "巴楚县" and cells[2] == "待作出评估结论" and cells[5] == "2", cells

    page.goto(server + "/evaluation?county=3&tab=问题与否决事项")
    page.get_by_role("button", name="退出登录").wait_for(timeout=30000)
    settled(page)
    bulk = page.locator('[data-testid="stExpander"]', has_text="批量认定")
    bulk.locator("summary").click()
    page.wait_for_timeout(500)
    for _ in range(2):
        bulk.get_by_role("combobox", name="选择问题").click()
        page.get_by_role("option").first.click()
        page.mouse.click(1400, 20)
        page.wait_for_timeout(300)
    bulk.get_by_text("已排除", exact=True).click()
    bulk.get_by_label("理由（必填，适用于所选各项）").fill("经现场核查，不属实")
    bulk.get_by_role("button", name="批量保存").click()
    settled(page)
    page.get_by_text("已排除 · weiyuan：经现场核查，不属实").nth(1).wait_for(timeout=30000)
    page.screenshot(path=str(tmp_path / "bulk.png"), full_page=True)
