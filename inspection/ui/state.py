"""Per-browser-session state the pages share: who is signed in, the language, and the one place where
errors become messages a clerk can act on (never a stack trace)."""

from __future__ import annotations

import logging
import re
import secrets
from typing import Callable

import streamlit as st

from inspection.access import Principal, allowed
from inspection.errors import AccessDenied, InspectionError

log = logging.getLogger("inspection.ui")
PRINCIPAL_KEY = "_principal"   # plain keys, never a widget key, so no widget can set them
LANG_KEY = "_lang"
SWITCHED_KEY = "_lang_switched"   # True in the run where the language was switched
LANG_PARAM = "lang"   # ?lang=en in the address, so a reload or a bookmark keeps English; Chinese needs none
SESSION_KEY = "_session_token"   # this tab's local session token (server-side session state only)
COOKIE_KEY = "_session_cookie"   # (token, max-age) the browser's cookie must be set to, after a sign-in
FORGET_KEY = "_forget_session"   # signed out here: clear the cookie, and do not resume from it again
COOKIE = "junheng_session"
_TOKEN = re.compile(r"[A-Za-z0-9_-]{20,100}")


def lang() -> str:
    return st.session_state.get(LANG_KEY, "zh")


def tr(zh: str, en: str) -> str:
    """The text in the chosen language (Simplified Chinese by default)."""
    return en if lang() == "en" else zh


def adopt_address_language() -> None:
    """A new session (a reload, a bookmarked or shared address) starts in the address's language."""
    if LANG_KEY not in st.session_state:
        st.session_state[LANG_KEY] = "en" if st.query_params.get(LANG_PARAM) == "en" else "zh"


def choose_language(code: str) -> None:
    """The language the sidebar's switch chose, for this run and the address."""
    st.session_state[SWITCHED_KEY] = code != lang()
    st.session_state[LANG_KEY] = code
    keep_language_in_address()


def keep_language_in_address() -> None:
    """Write the session's language into the address, every run: a page switch (the menu, `st.switch_page`)
    starts the new page's address without query parameters, and a reload must still find it there."""
    wanted = "en" if lang() == "en" else None
    if st.query_params.get(LANG_PARAM) == wanted:
        return
    if wanted is None:
        del st.query_params[LANG_PARAM]
    else:
        st.query_params[LANG_PARAM] = wanted


def relabel(key: str) -> str:
    """The key of a widget whose option labels are translated (`format_func` calls `tr`), unchanged.

    Streamlit 1.67 identifies a keyed widget by its key alone and sends its new options after a switch
    of the language, but the browser keeps showing the chosen option under its old label. In the run
    that switches, the value is written back through the Session State API, which makes Streamlit send
    it again under its label in the new language; the value itself (not a label) stays chosen. A widget
    without a key needs none of this: its identity includes its labels, so it is drawn anew.
    """
    if st.session_state.get(SWITCHED_KEY) and key in st.session_state:
        st.session_state[key] = st.session_state[key]
    return key


def oidc_configured() -> bool:
    """True when `[auth]` is in secrets.toml: then `st.login` (OIDC) is offered (docs/ui.md)."""
    try:
        return "auth" in st.secrets
    except Exception:  # noqa: BLE001 — no secrets file at all
        return False


def current() -> Principal | None:
    value = st.session_state.get(PRINCIPAL_KEY)
    return value if isinstance(value, Principal) else None


def sign_in(principal: Principal) -> None:
    st.session_state[PRINCIPAL_KEY] = principal


def remember(token: str, max_age: int) -> None:
    """After a local sign-in: keep the session's token and have the browser store it as a cookie."""
    st.session_state[SESSION_KEY] = token
    st.session_state[COOKIE_KEY] = (token, max_age)


def resume(token: str) -> None:
    """A session resumed from the cookie: its token, to revoke it on sign-out (the cookie is set already)."""
    st.session_state[SESSION_KEY] = token


def session_token() -> str | None:
    """This tab's local session token (None when signed in with OIDC or not at all)."""
    return st.session_state.get(SESSION_KEY)


def sign_out() -> None:
    """Forget the principal and everything else but the language; revoke this tab's local session."""
    from inspection import webapi
    token = st.session_state.get(SESSION_KEY)
    if token:
        attempt(webapi.close_session, token)
    for key in list(st.session_state.keys()):
        if key != LANG_KEY:
            del st.session_state[key]
    st.session_state[FORGET_KEY] = True


def cookie_token() -> str | None:
    """The session cookie sent with this tab's page request, unless this tab signed out since."""
    if st.session_state.get(FORGET_KEY):
        return None
    token = st.context.cookies.get(COOKIE)
    return token if isinstance(token, str) and _TOKEN.fullmatch(token) else None


def forget_cookie() -> None:
    st.session_state[FORGET_KEY] = True


def sync_cookie() -> None:
    """Set or clear the session cookie in the browser (a script in the page; it is sent from the next
    page request on). SameSite=Strict, path=/, Secure when the page is served over https."""
    pending = st.session_state.get(COOKIE_KEY)
    if pending and _TOKEN.fullmatch(pending[0]):
        value, max_age = pending[0], int(pending[1])
    elif st.session_state.get(FORGET_KEY):
        value, max_age = "", 0
    else:
        return
    st.html(f"""<script>document.cookie = "{COOKIE}={value}; path=/; max-age={max_age}; SameSite=Strict"
            + (window.location.protocol === "https:" ? "; Secure" : "");</script>""",
            unsafe_allow_javascript=True)


def show_error(exc: BaseException) -> None:
    """Turn any error into a message: ours carry their own words; anything else gets a reference number."""
    if isinstance(exc, AccessDenied):
        st.error(exc.message(lang()), icon="🚫")
    elif isinstance(exc, InspectionError):
        st.error(exc.message(lang()), icon="⚠️")
    else:
        ref = secrets.token_hex(3).upper()
        log.error("unexpected error, reference %s", ref, exc_info=exc)
        st.error(tr(f"系统出现意外错误，操作未完成。请稍后重试；如仍有问题，请将错误编号 {ref} 告知地区督导室。",
                    f"Something went wrong and the action was not completed. Please retry; if it persists, "
                    f"give reference {ref} to the prefecture's supervision office."), icon="⚠️")


def run_page(render: Callable[[Principal], None], action: str, title: tuple[str, str]) -> None:
    """Draw a page: signed-in check, page-level access check, title, then `render(principal)`;
    every error inside becomes a message. The services check again on every call."""
    me = current()
    st.title(tr(*title))
    if me is None:
        st.warning(tr("请先登录。", "Please sign in."))
        st.stop()
    if not allowed(me, action, me.county_id):
        show_error(AccessDenied("您的账号无权访问此页面。", "Your account may not open this page."))
        st.stop()
    try:
        render(me)
    except Exception as exc:  # noqa: BLE001 — the UI's single error edge
        show_error(exc)


def attempt(fn: Callable, *args, **kwargs):
    """Call a service for a button or form; show the error and return None if it fails."""
    try:
        return fn(*args, **kwargs)
    except Exception as exc:  # noqa: BLE001
        show_error(exc)
        return None


def requested_county(me: Principal) -> str | int | None:
    """The county a page should show: `?county=` in the URL, else the one picked, else the user's own.

    Whatever is asked for goes to the service, which refuses another county for a county user.
    """
    asked = st.query_params.get("county")
    if asked:
        return asked
    return st.session_state.get("county_pick") or me.county_id


def county_picker(me: Principal, counties: list[dict]) -> int | None:
    """A county select box for the committee (remembered across pages); a county user gets their own."""
    if me.role == "county":
        return requested_county(me)
    if not counties:
        return None
    ids = [c["id"] for c in counties]
    asked = requested_county(me)
    by_name = {c["name"]: c["id"] for c in counties}
    current_id = by_name.get(asked) if isinstance(asked, str) and asked in by_name else _as_int(asked)
    if current_id not in ids:
        current_id = ids[0]
    names = {c["id"]: f"{c['name']}（{c['recognition_year']}）" for c in counties}
    picked = st.selectbox(tr("县市", "County"), ids, index=ids.index(current_id),
                          format_func=names.get, key="_county_widget", placeholder=tr("请选择", "Choose an option"))
    st.session_state["county_pick"] = picked
    if st.query_params.get("county") != str(picked):
        st.query_params["county"] = str(picked)
    return picked


def _as_int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
