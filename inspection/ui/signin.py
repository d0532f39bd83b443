"""The sign-in form: local account by default; the identity provider's button when OIDC is configured."""

from __future__ import annotations

import streamlit as st

from inspection import webapi
from inspection.ui import state
from inspection.ui.state import tr


def render_sign_in() -> None:
    st.title(tr("均衡督导 · 县域义务教育优质均衡发展督导评估", "Junheng · county education balance supervision"))
    st.caption(tr("喀什地区人民政府教育督导委员会", "Kashgar Prefecture education supervision committee"))
    with st.form("sign_in", clear_on_submit=False):
        username = st.text_input(tr("用户名", "Username"), key="_sign_in_user")
        password = st.text_input(tr("密码", "Password"), type="password", key="_sign_in_password")
        submitted = st.form_submit_button(tr("登录", "Sign in"), type="primary")
    if submitted:
        if not username or not password:
            st.warning(tr("请输入用户名和密码。", "Enter your username and password."))
        else:
            signed = state.attempt(webapi.sign_in_session, username, password)
            if signed is not None:
                principal, token, max_age = signed
                state.sign_in(principal)
                state.remember(token, max_age)
                st.rerun()
    if state.oidc_configured():
        st.divider()
        if st.button(tr("使用统一身份认证登录", "Sign in with the identity provider"), key="_oidc"):
            st.login()
    st.caption(tr("账号由地区督导室开通；忘记密码请联系管理员。", "Accounts are issued by the supervision office."))
