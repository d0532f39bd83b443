"""Every page for every role with Streamlit's AppTest, including a county user's attempts to reach
another county's data (refused on the server, whatever the URL or the session state says)."""

import re
import xml.etree.ElementTree as ET

import pytest
from streamlit.testing.v1 import AppTest

from inspection import webapi
from inspection.access import Principal
from tests.ui.conftest import APP, csv_bytes, principal

PAGES = "inspection/ui/pages/"


def app(user: str | None = None, **state) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    if user:
        at.session_state["_principal"] = principal(user)
    for k, v in state.items():
        at.session_state[k] = v
    return at.run()


def text(at: AppTest) -> str:
    parts = [e.value for e in (*at.title, *at.markdown, *at.caption, *at.subheader, *at.error, *at.warning,
                               *at.info, *at.success)]
    parts += [str(m.value) for m in at.metric]
    parts += [df.value.to_string() if hasattr(df.value, "to_string") else str(df.value)
              for df in (*at.dataframe, *at.table)]
    parts += ["".join(ET.fromstring(f"<div>{h.proto.body}</div>").itertext()) for h in at.get("html")
              if not h.proto.body.startswith("<style>")]
    return re.sub(r"\\(.)", r"\1", "\n".join(str(p) for p in parts))   # as shown: Markdown's escapes removed


def html_table(at: AppTest, cls: str = "jh-table") -> list[dict]:
    """The rows of the page's HTML table of class `cls`, as {header: cell text}."""
    body = next(h.proto.body for h in at.get("html") if f'class="{cls}"' in h.proto.body)
    table = next(ET.fromstring(f"<div>{body}</div>").iter("table"))
    heads = [th.text for th in table.find("thead/tr")]
    return [dict(zip(heads, ("".join(td.itertext()) for td in tr))) for tr in table.find("tbody")]


def ok(at: AppTest) -> AppTest:
    assert not at.exception, [e.value for e in at.exception]
    assert "Traceback" not in text(at)
    return at


def through_the_form(at: AppTest, user: str = "zepu") -> AppTest:
    """Sign in as `user` (a demo account) by filling in the sign-in form."""
    at.text_input(key="_sign_in_user").input(user)
    at.text_input(key="_sign_in_password").input(f"junheng-{user}")
    at.button[0].click()
    return ok(at.run())


def test_signed_out_sees_only_the_sign_in_form(ui_db):
    at = ok(app())
    assert at.title[0].value.startswith("均衡督导")
    assert [t.label for t in at.text_input] == ["用户名", "密码"]
    at.text_input(key="_sign_in_user").input("zepu")
    at.text_input(key="_sign_in_password").input("wrong-password")
    at.button[0].click()
    ok(at.run())
    assert "用户名或密码错误" in at.error[0].value


def test_sign_in_lands_on_the_roles_home(ui_db):
    at = through_the_form(app())
    assert at.title[0].value == "本县进展" and "泽普县" in text(at)


def test_sign_in_sets_the_session_cookie_and_sign_out_revokes_it(ui_db):
    import re
    at = app()
    assert not at.get("html")
    through_the_form(at)
    script = at.get("html")[0].proto
    assert script.unsafe_allow_javascript
    found = re.search(r'junheng_session=([A-Za-z0-9_-]+); path=/; max-age=28800; SameSite=Strict"', script.body)
    assert found and '"; Secure"' in script.body
    token = found.group(1)
    assert webapi.resume_session(token).username == "zepu"
    at.button(key="_sign_out").click()
    ok(at.run())
    assert [t.label for t in at.text_input] == ["用户名", "密码"]
    assert "junheng_session=; path=/; max-age=0;" in at.get("html")[0].proto.body
    assert webapi.resume_session(token) is None


def test_a_revoked_session_signs_the_open_tab_out(ui_db):
    at = through_the_form(app())
    webapi.close_session(at.session_state["_session_token"])   # e.g. signed out in another tab
    ok(at.run())
    assert [t.label for t in at.text_input] == ["用户名", "密码"] and "登录已过期" in text(at)


@pytest.mark.parametrize("user,pages", [
    ("weiyuan", ["dashboard", "review_queue", "evaluation", "reports", "cases", "county_indicators", "downloads",
                 "rules", "notifications"]),
    ("zepu", ["county_home", "county_upload", "county_indicators", "downloads", "rules", "notifications"]),
    ("guancha", ["dashboard", "downloads", "rules", "notifications"]),
])
def test_each_page_renders_for_each_role(ui_db, user, pages):
    at = app(user)
    for page in pages:
        at.switch_page(PAGES + page + ".py")
        ok(at.run())
        assert at.title, page
        assert not at.error, (page, [e.value for e in at.error])


def test_dashboard_for_committee_and_observer(ui_db):
    committee = ok(app("weiyuan"))
    assert committee.title[0].value == "全地区总览" and "评估草稿结论" in text(committee)
    observer = ok(app("guancha"))
    assert observer.title[0].value == "全地区总览"
    assert "评估草稿结论" not in text(observer) and "待处理问题" not in text(observer)


def test_english_switch(ui_db):
    at = ok(app("weiyuan", _lang="en"))
    assert at.title[0].value == "Prefecture dashboard"


def test_the_address_keeps_the_language(ui_db):
    """`?lang=en` opens a new session in English; the switch back to Chinese takes the parameter away."""
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["_principal"] = principal("weiyuan")
    at.query_params["lang"] = "en"
    ok(at.run())
    assert at.title[0].value == "Prefecture dashboard" and at.toggle(key="_lang_widget").value
    at.toggle(key="_lang_widget").set_value(False)
    ok(at.run())
    assert at.title[0].value == "全地区总览" and "lang" not in at.query_params
    at.toggle(key="_lang_widget").set_value(True)
    ok(at.run())
    assert at.query_params["lang"] == "en"


@pytest.mark.parametrize("page", ["county_home", "county_upload", "county_indicators", "downloads"])
def test_county_user_asking_for_another_county_by_url_is_refused(ui_db, page):
    at = app("zepu")
    at.switch_page(PAGES + page + ".py")
    at.query_params["county"] = "巴楚县"
    ok(at.run())
    assert any("无权" in e.value for e in at.error), page
    assert "巴楚" not in text(at).replace("其他县市", "")


def test_county_user_cannot_open_committee_pages(ui_db):
    at = app("zepu")
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page(PAGES + "evaluation.py")   # not registered for a county user at all
    assert [p for p in ("全地区总览", "县市评估") if p in text(at)] == []


def test_forged_session_role_is_reset_from_the_database(ui_db, bachu):
    at = app(_principal=Principal("zepu", "committee", county_id=bachu.county_id, county_name="巴楚县"))
    ok(at)
    assert at.title[0].value == "本县进展" and "泽普县" in text(at) and "巴楚县" not in text(at)
    assert at.session_state["_principal"].role == "county"


def test_disabled_account_is_signed_out_on_next_run(ui_db):
    from inspection.auth import set_active
    from inspection.db import session_scope
    at = app("zepu")
    with session_scope() as s:
        set_active(s, username="zepu", active=False, actor="test")
    ok(at.run())
    assert at.text_input(key="_sign_in_user") is not None and "账号已停用" in text(at)


def test_upload_shows_the_extracted_table_and_submits(ui_db):
    at = app("zepu")
    at.switch_page(PAGES + "county_upload.py")
    ok(at.run())
    at.file_uploader(key="_upload_widget").set_value(("泽普县学校数据表.csv", csv_bytes(n=3), "text/csv"))
    ok(at.run())
    at.button(key="_upload_go").click()
    ok(at.run())
    for _ in range(20):   # the read runs as a job; quick files finish within the run, allow for a slow machine
        if at.success:
            break
        ok(at.run())
    assert "已读取：3 行学校数据" in at.success[0].value
    assert "泽普县第1小学" in text(at)
    at.checkbox(key="_submit_ok").check()
    ok(at.run())
    at.button(key="_submit").click()
    ok(at.run())
    assert any("已提交地区督导委员会审核" in s.value for s in at.success)


def test_upload_of_an_unreadable_table_says_what_to_fix(ui_db):
    at = app("zepu")
    at.switch_page(PAGES + "county_upload.py")
    ok(at.run())
    at.file_uploader(key="_upload_widget").set_value(("表.csv", "学校名称\n一小\n".encode(), "text/csv"))
    ok(at.run())
    at.button(key="_upload_go").click()
    ok(at.run())
    for _ in range(20):
        if at.error:
            break
        ok(at.run())
    assert "无法读取" in at.error[0].value and "Traceback" not in at.error[0].value


def test_committee_corrects_a_figure_and_records_the_verdict(ui_db, zepu):
    webapi.upload(zepu, filename="t.csv", data=csv_bytes(n=3))
    webapi.submit_for_review(zepu)
    at = app("weiyuan")
    at.switch_page(PAGES + "evaluation.py")
    at.query_params["county"] = "泽普县"
    ok(at.run())
    assert "学校数据表" in [t.label for t in at.tabs]
    assert "来源：《t.csv》" in text(at)
    at.text_input(key="_fix_value").input("1234")
    at.text_input(key="_fix_reason").input("据现场核查")
    next(b for b in at.button if b.label == "保存更正并重新评估").click()
    ok(at.run())
    assert any("已更正" in s.value for s in at.success)
    assert at.radio(key="_verdict_decision").value is None            # no preset verdict
    at.radio(key="_verdict_decision").set_value("return")
    at.text_area(key="_verdict_reason").input("两所学校体育场馆不足，限期整改")
    at.checkbox(key="_verdict_ok").check()
    next(b for b in at.button if b.label == "记录评估结论").click()
    ok(at.run())
    assert any("已记录结论：退回整改" in s.value for s in at.success)


def test_correction_without_reason_is_refused_with_a_message(ui_db):
    at = app("weiyuan")
    at.switch_page(PAGES + "evaluation.py")
    ok(at.run())
    at.text_input(key="_fix_value").input("1234")
    next(b for b in at.button if b.label == "保存更正并重新评估").click()
    ok(at.run())
    assert any("请填写理由" in e.value for e in at.error)


def test_veto_findings_can_be_confirmed(ui_db, committee):
    at = app("weiyuan")
    at.switch_page(PAGES + "evaluation.py")
    at.query_params["county"] = "巴楚县"
    ok(at.run())
    assert "设立实验班两个" in text(at)
    fid = next(f["id"] for f in webapi.evaluation_view(committee, "巴楚县")["findings"] if f["kind"] == "veto")
    assert at.radio(key=f"_veto_d_{fid}").value is None             # no preset decision on a veto
    at.text_input(key=f"_veto_r_{fid}").input("经核实确有实验班")
    at.button(key=f"_veto_s_{fid}").click()
    ok(at.run())
    assert "请选择“确认”或“排除”" in text(at) and "已确认" not in text(at)
    at.radio(key=f"_veto_d_{fid}").set_value("confirmed")
    at.button(key=f"_veto_s_{fid}").click()
    ok(at.run())
    assert "已确认" in text(at)


def test_unexpected_error_shows_a_reference_not_a_trace(ui_db, monkeypatch):
    def boom(*_a, **_k):
        raise RuntimeError("database exploded")
    monkeypatch.setattr(webapi, "dashboard", boom)
    at = ok(app("weiyuan"))
    assert "错误编号" in at.error[0].value and "exploded" not in text(at)


def test_provisional_values_are_shown_as_such(ui_db):
    at = app("weiyuan")
    at.switch_page(PAGES + "rules.py")
    ok(at.run())
    assert "暂定值（待委员会确认）" in text(at) and "大幅度滑坡" in text(at) and "部分省份为8000元" in text(at)
    county = app("bachu")      # 巴楚县: due 2027 in 四, "到2030年" in 二（三）
    assert "方案二（三）表述为“到2030年”" in text(county)
    assert "暂定，待委员会确认" in text(county)       # its next deadline (self-assessment date) is a working rule


def test_markdown_in_a_submission_is_shown_as_text(ui_db):
    """A school name or quote from a county's file never becomes a link or a remote image."""
    from sqlmodel import select

    from inspection.db import session_scope
    from inspection.db.models import Finding
    from inspection.ui.text import plain
    hostile = "[点此重新登录](http://evil.example/login) ![t](http://evil.example/track.png)"
    assert plain(hostile) == r"\[点此重新登录\]\(http\://evil\.example/login\) \!\[t\]\(http\://evil\.example/track\.png\)"
    with session_scope() as s:
        veto = s.exec(select(Finding).where(Finding.kind == "veto")).first()
        veto.message = hostile
        s.add(veto)
    at = app("weiyuan")
    at.switch_page(PAGES + "evaluation.py")
    at.query_params["county"] = "巴楚县"
    ok(at.run())
    shown = [m.value for m in at.markdown if "点此重新登录" in m.value]
    assert shown and all("](" not in m and "\\[" in m for m in shown)


def test_the_overdue_headline_agrees_with_the_table(ui_db):
    at = ok(app("weiyuan"))
    headline = next(m for m in at.metric if m.label == "有逾期事项的县市")
    table = html_table(at)
    overdue = [r for r in table if r["距创建年份"].startswith("已逾期") or "已逾期" in r["下一期限"]]
    assert len(table) == 12 and int(headline.value) == len(overdue) >= 1          # 泽普县, due 2025, in June 2026
    assert "泽普县" in {r["县市"] for r in overdue}


def test_the_dashboard_draws_the_timeline_and_the_heatmap_for_every_county(ui_db):
    at = ok(app("weiyuan"))
    markup = "".join(e.proto.body for e in at.get("html"))
    counties = [r["县市"] for r in html_table(at)]
    evaluated = {c["county"] for c in webapi.dashboard(principal("weiyuan")).heatmap}
    assert len(counties) == 12 and len(evaluated) == 2
    for grid, shown in (("jh-timeline", counties), ("jh-heatmap", [c for c in counties if c in evaluated])):
        drawn = markup[markup.index(f'class="jh-grid {grid}"'):]
        drawn = drawn[:drawn.index("</table>")]
        assert [c for c in counties if f'title="{c}">{c}</td>' in drawn] == shown, grid
    assert "创建时间表 2025–2034" in text(at)
