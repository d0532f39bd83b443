"""Safe defaults and a true picture on the committee's evaluation page, in headless Chromium (#12): no
verdict and no veto decision is preset; a pending veto is 待认定 and the draft never says 不予认定
before it is confirmed; a dismissed veto is no reason. (The recorded verdict staying on the page is
checked in test_browser.py, where a real round is decided.)"""

from __future__ import annotations

import re

import pytest

from tests.ui.browser import (BROWSER, browser, english, nav, server, settled, sign_in, sign_out,  # noqa: F401
                              submit_round)

pytestmark = BROWSER


@pytest.fixture
def round_under_review(ui_db):
    """巴楚县's round is with the committee (its evaluation carries one open veto finding)."""
    from inspection.db import get_engine, repo, session_scope
    with session_scope() as session:
        repo.get_county(session, name="巴楚县").stage = "prefecture_evaluation"
    get_engine.cache_clear()


def _chosen(page, group: str) -> tuple[int, int]:
    """(options, options chosen) of the radio group labelled `group`, once it is drawn."""
    page.locator(f'[data-testid="stRadioGroup"][aria-label="{group}"]').first.wait_for(timeout=30000)
    radios = page.locator(f'[data-testid="stRadioGroup"][aria-label="{group}"] input')
    return radios.count(), page.locator(f'[data-testid="stRadioGroup"][aria-label="{group}"]'
                                        ' input:checked').count()


def _tab(page, server, name: str) -> None:
    page.goto(f"{server}/evaluation?county=3&tab={name}")
    page.get_by_role("button", name="退出登录").wait_for(timeout=30000)
    settled(page)


def test_nothing_is_preset_a_pending_veto_is_no_verdict_and_a_dismissed_one_no_reason(round_under_review, server, browser):
    page = browser.new_page(viewport={"width": 1440, "height": 1600})
    sign_in(page, server, "weiyuan", "junheng-weiyuan")
    _tab(page, server, "问题与否决事项")
    draft = page.locator('[data-testid="stMetric"]', has_text="评估结论（草稿）")
    assert draft.locator('[data-testid="stMetricValue"]').inner_text() != "不予认定"
    veto = page.locator('[data-testid="stVerticalBlockBorderWrapper"], [data-testid="stVerticalBlock"]',
                        has_text="设立实验班两个").last
    assert "待认定" in veto.inner_text()
    assert _chosen(page, "认定") == (2, 0)                                 # no decision preset

    _tab(page, server, "记录结论与函件")
    assert _chosen(page, "地区督导评估结论") == (3, 0)                      # no verdict preset

    _tab(page, server, "问题与否决事项")
    page.get_by_text("已排除", exact=True).first.click()
    page.get_by_label("理由（必填）").first.fill("经现场核查，系兴趣小组，不属于重点班")
    page.get_by_role("button", name="保存").first.click()
    page.get_by_text("已排除 · weiyuan").wait_for(timeout=30000)

    _tab(page, server, "记录结论与函件")
    page.get_by_text("当前评估").wait_for(timeout=30000)
    reasons = page.locator('[data-testid="stMarkdownContainer"] li').all_inner_texts()
    assert reasons and not any("设立实验班两个" in r for r in reasons)       # a dismissed veto is no reason

    # English mode: the veto finding and the figure's source are in English, the code never raw.
    english(page)
    page.get_by_role("tab", name="Findings").click()
    settled(page)
    page.get_by_text("Veto condition “key schools or key classes").wait_for(timeout=30000)
    main = page.locator('[data-testid="stMain"]').inner_text()
    assert "存在“" not in main and "key_school_or_class" not in main and "dismissed · weiyuan" in main
    page.get_by_role("tab", name="School table").click()
    page.get_by_text("Students: ").first.wait_for(timeout=30000)


def test_a_finding_opens_the_page_of_the_report_it_cites(server, browser, tmp_path):
    """The county's report says it set up 快慢班; the committee opens the cited page beside the finding."""
    from inspection import demo
    from inspection.standard import load_schedule, load_standard
    from tests.ingest.factories import NARRATIVE, Layout, TableSpec, write_pdf
    plan = load_schedule().county("泽普县")
    schools = demo.county_schools(load_standard("kashgar-2022"), plan.name, plan.recognition_year, 7)[:3]
    report = write_pdf(tmp_path / "泽普县自评报告.pdf",
                       TableSpec.of([{"name": s.name, "stage": s.stage, **s.figures} for s in schools], Layout()),
                       Layout(), narrative=[*NARRATIVE, "三、特色做法", "我县在第一中学设立快慢班两个。"])
    page = browser.new_page(viewport={"width": 1440, "height": 1600})
    sign_in(page, server, "zepu", "junheng-zepu")
    nav(page, "上传与提交")
    page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(str(report))
    page.locator('[data-testid="stFileChipName"]', has_text=report.name).wait_for(timeout=30000)
    settled(page)
    page.get_by_role("button", name="上传并读取").click()
    page.get_by_text("已读取：3 行学校数据").wait_for(timeout=60000)
    settled(page)
    submit_round(page)
    sign_out(page)

    sign_in(page, server, "weiyuan", "junheng-weiyuan")
    page.goto(f"{server}/evaluation?county=1&tab=问题与否决事项")
    page.get_by_role("button", name="退出登录").wait_for(timeout=30000)
    settled(page)
    cite = page.get_by_role("button", name=re.compile(r"查看原文第\d+页"))
    cite.wait_for(timeout=30000)
    cite.click()
    picture = page.locator('[data-testid="stImage"] img')
    picture.wait_for(timeout=60000)
    settled(page)
    number = re.search(r"第(\d+)页", cite.inner_text()).group(1)
    assert page.get_by_text(f"《泽普县自评报告.pdf》第{number}页").count() == 1
    width = picture.evaluate("img => img.naturalWidth")
    assert width > 1000                                           # the whole page at 200 dpi (A4: 1654 px)
