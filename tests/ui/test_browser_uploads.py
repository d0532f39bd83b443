"""Uploads that cannot mislead, in headless Chromium against the real app (#12): another county's
table is refused until the county confirms it with a reason the committee sees; an unreadable file is
red, named as the user named it, and not part of the round; the document list and the detail always
show the same document; a correction shows the value it replaces; a submitted round cannot be
submitted twice."""

from __future__ import annotations

import os

import pytest

from tests.ui.browser import (BROWSER, browser, choose, nav, self_assessment_pdf, server, settled,  # noqa: F401
                              sign_in, submit_round)
from tests.ui.conftest import csv_bytes

pytestmark = BROWSER


def _upload(page, path) -> None:
    """Upload and wait for the job's answer about this file (it may outlast the first page run)."""
    page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(str(path))
    page.locator('[data-testid="stFileChipName"]', has_text=path.name).wait_for(timeout=30000)
    settled(page)                      # choosing a file reruns the page: press the button after that run
    page.get_by_role("button", name="上传并读取").click()
    page.locator(".st-key-upload_box [data-testid='stAlert']", has_text=path.name).wait_for(timeout=90000)
    settled(page)


def _alerts(page, kind: str) -> list[str]:
    """The text of the alerts of one kind ("error", "success", "info", "warning") on the page."""
    return page.locator(f'[data-testid="stAlertContent{kind.title()}"]').all_inner_texts()


def _opened(page) -> tuple[str, str]:
    """(what the 查看材料 box shows, the detail's heading line) once the page has settled: after a
    pick the box changes at once and the detail with the page's next run, so both are read when the
    heading names the box's document or after 15 s, whichever comes first."""
    box = page.get_by_role("combobox", name="查看材料")
    heading = page.locator('[data-testid="stMarkdownContainer"] p', has_text="SHA-256").first
    for _ in range(30):
        shown, detail = box.input_value().strip(), heading.inner_text().strip()
        if detail.split(" ")[0] == shown.split(" ")[0]:
            break
        page.wait_for_timeout(500)
    return shown, detail


def _pick(page, label: str, option: str) -> None:
    choose(page, page.get_by_role("combobox", name=label), option)


def test_another_countys_table_is_refused_until_confirmed_and_the_committee_sees_why(server, browser, tmp_path):
    table = self_assessment_pdf(tmp_path / "泽普县自评报告.pdf", n=4, county="泽普县")
    page = browser.new_page(viewport={"width": 1440, "height": 1600})
    sign_in(page, server, "bachu", "junheng-bachu")
    nav(page, "上传与提交")
    _upload(page, table)
    errors = _alerts(page, "error")
    assert any("《泽普县自评报告.pdf》看起来是泽普县的材料" in e and "本县数据未改动" in e for e in errors), errors
    assert not _alerts(page, "success")
    assert page.get_by_text("提取结果").count() == 0
    page.screenshot(path=str(tmp_path / "wrong-county.png"), full_page=True)

    page.locator('[data-testid="stExpander"]', has_text="确认为本县材料").locator("summary").click()
    page.get_by_label("理由（必填，委员会可见）").fill("学校由泽普县划入，校名暂未更改")
    page.get_by_role("button", name="确认并读取").click()
    page.get_by_text("已确认为本县材料并读取：4 行学校数据。").wait_for(timeout=60000)
    settled(page)
    submit_round(page)
    # Submitted: the button stays, disabled, so a second press cannot reach the service.
    assert page.get_by_role("button", name="已提交").is_disabled()
    page.get_by_role("button", name="退出登录").click()
    settled(page)

    sign_in(page, server, "weiyuan", "junheng-weiyuan")
    nav(page, "审核队列")
    warning = page.locator('[data-testid="stAlertContentWarning"]', has_text="确认为本县材料")
    warning.wait_for(timeout=30000)
    assert "可能属于泽普县" in warning.inner_text() and "学校由泽普县划入" in warning.inner_text()


def test_a_broken_file_is_red_and_the_list_and_detail_always_agree(server, browser, tmp_path):
    broken = tmp_path / "坏表格.xlsx"
    broken.write_bytes(os.urandom(4096))
    good = tmp_path / "泽普县学校数据表.csv"
    good.write_bytes(csv_bytes("泽普县", n=4))
    page = browser.new_page(viewport={"width": 1440, "height": 1800})
    sign_in(page, server, "zepu", "junheng-zepu")
    nav(page, "上传与提交")

    _upload(page, broken)
    errors = _alerts(page, "error")
    assert errors and all("坏表格.xlsx" in e for e in errors), errors
    assert not _alerts(page, "success"), "an unreadable file was shown as saved"
    box, heading = _opened(page)
    assert "坏表格.xlsx" in box and "坏表格.xlsx" in heading and "未接受" in box
    assert page.get_by_role("combobox", name="查看材料").get_attribute("placeholder") == "请选择"   # not English

    _upload(page, good)
    assert any("泽普县学校数据表.csv 已读取：4 行学校数据" in s for s in _alerts(page, "success"))
    box, heading = _opened(page)
    assert box.startswith("#2 泽普县学校数据表.csv") and heading.startswith("#2 泽普县学校数据表.csv"), (box, heading)

    _pick(page, "查看材料", "#1 坏表格.xlsx")
    box, heading = _opened(page)
    assert box.startswith("#1 坏表格.xlsx") and heading.startswith("#1 坏表格.xlsx"), (box, heading)
    _pick(page, "查看材料", "#2 泽普县学校数据表.csv")
    box, heading = _opened(page)
    assert box.startswith("#2") and heading.startswith("#2"), (box, heading)

    # The correction form shows the value it replaces and confirms the save with both.
    page.locator('[data-testid="stExpander"]', has_text="更正读取错误的数字").locator("summary").click()
    _pick(page, "数据项", "在校学生数")
    current = page.locator('[data-testid="stMarkdownContainer"] p', has_text="当前值").inner_text()
    before = current.split("：")[1].strip()
    page.get_by_label("正确数值").fill("1234")
    page.get_by_label("更正理由（必填）").fill("据学籍系统核对")
    page.get_by_role("button", name="保存更正").click()
    page.get_by_text(f"在校学生数：{before} → 1,234").wait_for(timeout=30000)
    settled(page)
    assert page.locator('[data-testid="stMarkdownContainer"] p', has_text="当前值").inner_text().endswith("1,234")

    # The same file again: not saved twice, and the page says its figures are still the ones in use.
    _upload(page, good)
    assert any("此前已上传过（#2）" in i and "其数据仍在使用中" in i for i in _alerts(page, "info"))
    page.screenshot(path=str(tmp_path / "uploads.png"), full_page=True)
