"""End to end in headless Chromium (Playwright) against the real app started by the test:
a county signs in, uploads its school table, sees the extracted table and submits; the committee
signs in, corrects a figure, records the verdict and downloads the letter. A local sign-in survives a
page reload (session cookie) until sign-out."""

from __future__ import annotations

import time

import pytest

from tests.ui.browser import (BROWSER, browser, english, nav, self_assessment_pdf, server, settled,  # noqa: F401
                              sign_in, submit_round)

pytestmark = BROWSER


def test_county_submits_committee_corrects_decides_and_downloads(server, browser, tmp_path):
    table = self_assessment_pdf(tmp_path / "泽普县自评报告.pdf", n=4)
    page = browser.new_page(viewport={"width": 1440, "height": 1800}, accept_downloads=True)

    sign_in(page, server, "zepu", "junheng-zepu")
    nav(page, "上传与提交")
    page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(str(table))
    page.get_by_role("button", name="上传并读取").click()
    page.get_by_text("已读取：4 行学校数据").wait_for(timeout=60000)
    settled(page)
    page.get_by_text("提取结果", exact=True).wait_for()
    extracted = page.locator('[data-testid="stDataFrame"]').nth(1)      # after the list of uploads
    extracted.wait_for(timeout=30000)
    extracted.locator("td", has_text="泽普县第1小学").first.wait_for(state="attached", timeout=30000)
    page.screenshot(path=str(tmp_path / "county-upload.png"), full_page=True)
    nav(page, "县级指标")                         # the 县级指标 sheet as a form: fill one, see it confirmed
    q1 = page.locator('[data-testid="stExpander"]', has_text="Q1 县域内初中三年巩固率")
    q1.locator("summary").click()
    q1.locator(".st-key-ci-Q1-v input").fill("96.8")
    q1.get_by_role("button", name="保存").click()
    page.get_by_text("已保存 Q1：96.8（达标）").wait_for(timeout=30000)
    settled(page)
    page.screenshot(path=str(tmp_path / "county-indicators.png"), full_page=True)
    nav(page, "上传与提交")
    submit_round(page)
    page.get_by_role("button", name="退出登录").click()
    settled(page)

    sign_in(page, server, "weiyuan", "junheng-weiyuan")
    nav(page, "县市评估")
    page.get_by_text("来源：《泽普县自评报告.pdf》").wait_for(timeout=30000)
    page.get_by_label("更正后的数值").fill("777")
    page.get_by_label("更正理由（必填，如“据现场核查”）").fill("据现场核查更正")
    page.get_by_role("button", name="保存更正并重新评估").click()
    page.get_by_text("已更正").wait_for(timeout=30000)
    settled(page)
    page.get_by_role("tab", name="记录结论与函件").click()
    page.get_by_text("退回整改", exact=True).click()
    page.get_by_label("理由（退回整改、不予认定时必填）").fill("体育运动场馆面积不足，限期整改")
    page.get_by_text("我已核对数据与否决事项").click()
    page.get_by_role("button", name="记录评估结论").click()
    page.get_by_text("已记录结论：退回整改").wait_for(timeout=30000)
    settled(page)
    nav(page, "全地区总览")                      # away and back: the recorded verdict is still on the page
    nav(page, "县市评估")
    page.get_by_role("tab", name="记录结论与函件").click()
    page.get_by_text("已记录结论：退回整改").wait_for(timeout=30000)
    assert "体育运动场馆面积不足" in page.get_by_text("已记录结论：退回整改").inner_text()
    page.get_by_role("button", name="生成意见书").click()
    button = page.get_by_role("button", name="泽普县督导评估意见书")
    button.wait_for(timeout=90000)
    with page.expect_download(timeout=60000) as download:
        button.click()
    path = tmp_path / "letter.pdf"
    download.value.save_as(path)
    assert path.read_bytes()[:5] == b"%PDF-" and path.stat().st_size > 5000
    assert "喀教督" in download.value.suggested_filename
    page.screenshot(path=str(tmp_path / "committee-verdict.png"), full_page=True)

    # English mode: a figure's source and a county figure's source are in English too.
    english(page)
    nav(page, "County evaluation")
    page.get_by_text("Students: 777 — source: 《泽普县自评报告.pdf》, page").wait_for(timeout=30000)
    nav(page, "County indicators")
    page.locator('[data-testid="stExpander"]', has_text="Q1 ").locator("summary").click()
    page.get_by_text("Source: entered on the web (zepu)").wait_for(timeout=30000)


def test_local_session_survives_reload_until_sign_out(server, browser, tmp_path):
    page = browser.new_page(viewport={"width": 1440, "height": 1000})
    sign_in(page, server, "weiyuan", "junheng-weiyuan")
    page.get_by_role("heading", name="全地区总览").first.wait_for(timeout=30000)
    cookie = next(c for c in page.context.cookies() if c["name"] == "junheng_session")
    assert cookie["sameSite"] == "Strict" and cookie["path"] == "/" and not cookie["secure"]
    assert cookie["expires"] > time.time() + 7.5 * 3600
    assert cookie["value"] not in page.url

    page.reload()
    page.get_by_role("button", name="退出登录").wait_for(timeout=30000)
    page.get_by_role("heading", name="全地区总览").first.wait_for(timeout=30000)
    settled(page)
    page.screenshot(path=str(tmp_path / "reloaded.png"))

    page.get_by_role("button", name="退出登录").click()
    page.get_by_label("用户名").wait_for(timeout=30000)
    settled(page)
    assert not any(c["name"] == "junheng_session" for c in page.context.cookies())

    page.context.add_cookies([cookie])   # the old cookie again: the session was revoked on the server
    page.reload()
    page.get_by_label("用户名").wait_for(timeout=30000)
    settled(page)
    assert page.get_by_role("button", name="退出登录").count() == 0
