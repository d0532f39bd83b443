"""Per-browser-session state the pages share: who is signed in, the language, and the one place where
errors become messages a clerk can act on (never a stack trace)."""

from __future__ import annotations

import logging
import secrets
from typing import Callable

import streamlit as st

from inspection.access import Principal, allowed
from inspection.errors import AccessDenied, InspectionError

log = logging.getLogger("inspection.ui")
PRINCIPAL_KEY = "_principal"   # plain keys, never a widget key, so no widget can set them
LANG_KEY = "_lang"


def lang() -> str:
    return st.session_state.get(LANG_KEY, "zh")


def tr(zh: str, en: str) -> str:
    """The text in the chosen language (Simplified Chinese by default)."""
    return en if lang() == "en" else zh


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


def sign_out() -> None:
    for key in list(st.session_state.keys()):
        if key != LANG_KEY:
            del st.session_state[key]


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
                          format_func=names.get, key="_county_widget")
    st.session_state["county_pick"] = picked
    if st.query_params.get("county") != str(picked):
        st.query_params["county"] = str(picked)
    return picked


def _as_int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
