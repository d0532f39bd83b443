"""Junheng's web front end (均衡督导). Run: `streamlit run streamlit_app.py`.

Signs the user in (local account, or OIDC via `st.login` when `[auth]` is configured: docs/ui.md;
a local sign-in survives a page reload through a server-side session and its `junheng_session` cookie),
then offers only the pages the user's role may open (`st.navigation`, once, here). Every page and
every service call checks the role and county again on the server.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from inspection import webapi
from inspection.access import ROLE_EN, ROLE_ZH
from inspection.ui import state
from inspection.ui.signin import render_sign_in
from inspection.ui.state import tr

PAGES = Path(__file__).parent / "inspection" / "ui" / "pages"

# (file, zh title, en title, icon, roles)
PAGE_TABLE = [
    ("dashboard.py", "全地区总览", "Dashboard", ":material/dashboard:", ("committee", "observer")),
    ("review_queue.py", "审核队列", "Review queue", ":material/inbox:", ("committee",)),
    ("evaluation.py", "县市评估", "County evaluation", ":material/fact_check:", ("committee",)),
    ("reports.py", "报告与函件", "Reports and letters", ":material/description:", ("committee",)),
    ("cases.py", "问责事项", "Accountability cases", ":material/gavel:", ("committee",)),
    ("county_home.py", "本县进展", "Our progress", ":material/home:", ("county",)),
    ("county_upload.py", "上传与提交", "Upload and submit", ":material/upload_file:", ("county",)),
    ("county_indicators.py", "县级指标", "County indicators", ":material/checklist:", ("committee", "county")),
    ("planning.py", "达标测算", "Planning", ":material/calculate:", ("committee", "county")),
    ("downloads.py", "表格与函件下载", "Forms and letters", ":material/download:", ("committee", "county", "observer")),
    ("rules.py", "规则与暂定值", "Rules in force", ":material/rule:", ("committee", "county", "observer")),
    ("notifications.py", "通知", "Notifications", ":material/notifications:", ("committee", "county", "observer")),
]


@st.cache_resource
def _database_ready() -> bool:
    webapi.ensure_database()
    return True


def not_for_you() -> None:
    st.error(tr("您的账号无权访问此页面。请从左侧菜单选择。", "Your account may not open this page; use the menu."),
             icon="🚫")


def _adopt_oidc_identity() -> None:
    """After `st.login`, map the identity's e-mail to a local account (role and county from our database)."""
    if state.current() is not None or not state.oidc_configured() or not st.user.get("is_logged_in"):
        return
    principal = state.attempt(webapi.principal_for_identity, str(st.user.get("email") or ""))
    if principal is not None:
        state.sign_in(principal)


def _resume_local_session() -> None:
    """A reload starts a new Streamlit session: sign the user in again from the session cookie, if live."""
    if state.current() is not None:
        return
    token = state.cookie_token()
    if token is None:
        return
    principal = state.attempt(webapi.resume_session, token)
    if principal is None:
        state.forget_cookie()   # expired, revoked or disabled: clear it and do not ask again
    else:
        state.sign_in(principal)
        state.resume(token)


def _refresh_account() -> None:
    """Re-read the account each run: a disabled account is signed out, a changed role applies at once;
    so is a local session that expired or was revoked (signed out in another tab)."""
    me = state.current()
    if me is None:
        return
    token = state.session_token()
    fresh = webapi.resume_session(token) if token else webapi.refresh(me)
    if fresh is None:
        state.sign_out()
        st.warning(tr("登录已过期或账号已停用，请重新登录。", "Your session has ended or your account is disabled; "
                      "please sign in again.") if token else
                   tr("账号已停用或不存在，请重新登录。", "Your account is disabled or gone; please sign in again."))
    elif fresh != me:
        state.sign_in(fresh)


def _sidebar() -> None:
    with st.sidebar:
        english = st.toggle("English", value=state.lang() == "en", key="_lang_widget")
        state.choose_language("en" if english else "zh")
        me = state.current()
        if me is None:
            return
        role = (ROLE_EN if english else ROLE_ZH)[me.role]
        st.markdown(f"**{me.display_name or me.username}**  \n{role}" + (f" · {me.county_name}" if me.county_name else ""))
        if st.button(tr("退出登录", "Sign out"), key="_sign_out"):
            state.sign_out()
            if state.oidc_configured() and st.user.get("is_logged_in"):
                st.logout()
            st.rerun()


st.set_page_config(page_title="均衡督导", page_icon="⚖️", layout="wide")
state.adopt_address_language()
_database_ready()
_adopt_oidc_identity()
_resume_local_session()
_refresh_account()
_sidebar()
state.sync_cookie()
me = state.current()
if me is None:
    # Every known address shows the sign-in form (hidden pages), so a bookmarked link signs in and lands there.
    # The default page is served at "/" only, so /sign_in is one of the hidden addresses too.
    pages = [st.Page(PAGES / "sign_in.py", title=tr("登录", "Sign in"), icon=":material/login:",
                     url_path="welcome", default=True)]
    pages += [st.Page(render_sign_in, title=tr("登录", "Sign in"), url_path=name.removesuffix(".py"),
                      visibility="hidden") for name in [*(row[0] for row in PAGE_TABLE), "sign_in"]]
else:
    unread = state.attempt(webapi.threads.my_notifications, me) or {"unread": 0}
    badge = {"notifications.py": f"（{unread['unread']}）" if unread["unread"] else ""}   # the unread count
    pages = [st.Page(PAGES / name, title=tr(zh, en) + badge.get(name, ""), icon=icon, url_path=name.removesuffix(".py"))
             for name, zh, en, icon, roles in PAGE_TABLE if me.role in roles]
    # Another role's address answers in Chinese instead of Streamlit's "Page not found", and runs nothing.
    pages += [st.Page(not_for_you, title=tr(zh, en), url_path=name.removesuffix(".py"), visibility="hidden")
              for name, zh, en, icon, roles in PAGE_TABLE if me.role not in roles]
    home = pages[0]
    # Just signed in on the sign-in address: go to the role's first page.
    pages.append(st.Page(lambda: st.switch_page(home), title=home.title, url_path="sign_in", visibility="hidden"))
st.navigation(pages).run()
