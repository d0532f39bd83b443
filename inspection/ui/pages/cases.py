"""问责事项 (committee): accountability cases with their deadlines; close a rectified case with a reason."""

import pandas as pd
import streamlit as st

from inspection import webapi
from inspection.ui.chinese import placeholder
from inspection.ui.state import attempt, run_page, tr


def render(me) -> None:
    closed = st.toggle(tr("包括已结案", "Include closed cases"), key="_cases_closed")
    cases = webapi.list_cases(me, include_closed=closed)
    if not cases:
        st.success(tr("没有问责事项。", "No accountability cases."))
        return
    st.dataframe(pd.DataFrame([{tr("编号", "No."): c["id"], tr("县市", "County"): c["county"],
                                tr("事由", "Kind"): c["kind"], tr("层级", "Level"): c["level"],
                                tr("整改期限", "Deadline"): f"{c['deadline']}" + (tr("（已逾期）", " (overdue)") if c["overdue"] else ""),
                                tr("状态", "Status"): tr("未结", "open") if c["status"] == "open" else tr("已结", "closed"),
                                tr("说明", "Reason"): c["reason"]} for c in cases]),
                 hide_index=True, width="stretch")
    open_ids = [c["id"] for c in cases if c["status"] == "open"]
    if not open_ids:
        return
    with st.form("_close_case"):
        labels = {c["id"]: f"#{c['id']} {c['county']} · {c['kind']}" for c in cases}
        case_id = st.selectbox(tr("结案", "Close case"), open_ids, format_func=labels.get, placeholder=placeholder())
        reason = st.text_input(tr("结案理由（必填，如整改报告文号）", "Reason (required)"))
        if st.form_submit_button(tr("确认结案", "Close")):
            if attempt(webapi.close_case, me, case_id, reason=reason) is not None:
                st.rerun()


run_page(render, "cases.overview", ("问责事项", "Accountability cases"))
