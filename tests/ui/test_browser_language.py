"""The English mode in headless Chromium against the real app (#12): the language is kept in the
address (`?lang=en`), so a reload, a bookmark, a page switch and signing in and out keep it; select boxes,
multiselects and radio buttons show their options in the language chosen, and keep what was chosen, when
it is switched."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.ui.browser import BROWSER, browser, choose, english, nav, server, settled, sign_in  # noqa: F401

pytestmark = BROWSER
ENGLISH = re.compile(r"[?&]lang=en(&|$)")


def _switch(page):
    return page.locator('[data-testid="stSidebar"]').get_by_role("switch", name="English")


def _in_english(page, title: str) -> None:
    page.get_by_role("button", name="Sign out").wait_for(timeout=30000)
    page.get_by_role("heading", name=title).first.wait_for(timeout=30000)
    settled(page)
    expect(_switch(page)).to_be_checked()
    nav_titles = page.locator('[data-testid="stSidebarNav"]').inner_text()
    assert "Dashboard" in nav_titles and "全地区总览" not in nav_titles, nav_titles


def _signed_in_in_english(page, url: str) -> None:
    page.goto(url)
    page.get_by_label("Username").wait_for(timeout=30000)
    settled(page)
    page.get_by_label("Username").fill("weiyuan")
    page.get_by_label("Password", exact=True).fill("junheng-weiyuan")
    page.get_by_role("button", name="Sign in").click()


def test_the_language_survives_a_reload_a_page_switch_and_signing_in_and_out(server, browser):
    page = browser.new_page(viewport={"width": 1440, "height": 1000})
    sign_in(page, server, "weiyuan", "junheng-weiyuan")
    assert "lang=" not in page.url                        # Chinese, the default, needs no parameter
    english(page)
    page.reload()
    _in_english(page, "Prefecture dashboard")
    expect(page).to_have_url(ENGLISH)
    nav(page, "County evaluation")                        # the menu's page switch keeps English, in the address too
    expect(page).to_have_url(ENGLISH)
    page.reload()
    _in_english(page, "County evaluation")

    page.get_by_role("button", name="Sign out").click()    # signed out: the sign-in form stays English
    page.get_by_label("Username").wait_for(timeout=30000)
    settled(page)
    expect(page).to_have_url(ENGLISH)
    _signed_in_in_english(page, server + "/sign_in?lang=en")       # then st.switch_page to the first page
    _in_english(page, "Prefecture dashboard")
    expect(page).to_have_url(ENGLISH)

    page.locator('[data-testid="stSidebar"]').get_by_text("English", exact=True).click()
    page.get_by_role("button", name="退出登录").wait_for(timeout=30000)
    settled(page)
    expect(page).not_to_have_url(re.compile("lang="))     # back to Chinese: the parameter goes
    page.reload()
    page.get_by_role("heading", name="全地区总览").first.wait_for(timeout=30000)
    settled(page)
    expect(_switch(page)).not_to_be_checked()


def test_a_bookmarked_english_address_opens_in_english(server, browser):
    page = browser.new_page(viewport={"width": 1440, "height": 1000})
    _signed_in_in_english(page, server + "/evaluation?lang=en")    # not signed in: the sign-in form in English
    _in_english(page, "County evaluation")                # signed in: English, on the page asked for
    expect(page).to_have_url(ENGLISH)


def _shows(page, sort: str, chips: list[str]) -> None:
    """The inbox's sort box shows `sort` and its filter the chips `chips` (the labels the browser draws),
    once the page's run has finished."""
    expect(page.locator(".st-key-_inbox_sort").get_by_role("combobox")).to_have_value(sort, timeout=30000)
    expect(page.locator(".st-key-_inbox_filter [data-tag]")).to_have_text(chips, timeout=30000)


def test_select_box_options_follow_the_language_and_keep_the_choice(server, browser):
    page = browser.new_page(viewport={"width": 1440, "height": 1000})
    sign_in(page, server, "weiyuan", "junheng-weiyuan")
    nav(page, "审核队列")
    sort = page.locator(".st-key-_inbox_sort").get_by_role("combobox")
    choose(page, sort, "按待认定否决事项")
    _shows(page, "按待认定否决事项", ["待作出评估结论", "县市已答复问询", "等待县市答复"])
    english(page)
    _shows(page, "by open vetoes", ["verdict due", "answers to read", "awaiting the county"])   # kept, in English
    choose(page, sort, "by deadline")                     # the list offers English options, and takes one
    _shows(page, "by deadline", ["verdict due", "answers to read", "awaiting the county"])

    page.locator('[data-testid="stSidebar"]').get_by_text("English", exact=True).click()
    page.get_by_role("button", name="退出登录").wait_for(timeout=30000)
    _shows(page, "按期限", ["待作出评估结论", "县市已答复问询", "等待县市答复"])


def test_a_chosen_radio_button_stays_chosen_in_the_other_language(server, browser):
    page = browser.new_page(viewport={"width": 1440, "height": 1000})
    sign_in(page, server, "weiyuan", "junheng-weiyuan")
    nav(page, "报告与函件")
    fmt = page.locator(".st-key-_report_fmt")
    fmt.get_by_text("台账 Excel（XLSX）").click()
    settled(page)
    checked = fmt.locator("label", has=page.locator("input:checked"))
    expect(checked).to_have_text("台账 Excel（XLSX）")
    english(page)
    expect(checked).to_have_text("Ledgers (XLSX)", timeout=30000)   # before #12: no button checked
