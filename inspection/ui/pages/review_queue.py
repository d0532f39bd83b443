"""审核队列 (committee): submitted documents awaiting review and those that could not be read."""

import pandas as pd
import streamlit as st

from inspection import webapi
from inspection.ui import labels
from inspection.ui.text import plain
from inspection.ui.chinese import placeholder
from inspection.ui.state import run_page, tr


def render(me) -> None:
    queue = webapi.review_queue(me)
    if not queue:
        st.success(tr("没有待审核的材料。", "Nothing to review."))
        return
    st.dataframe(pd.DataFrame([{tr("编号", "No."): q["id"], tr("县市", "County"): q["county"],
                                tr("文件", "File"): q["filename"], tr("状态", "Status"): labels.word(labels.STATUS, q["status"]),
                                tr("上传人", "By"): q["uploaded_by"],
                                tr("上传时间", "Uploaded"): f"{q['uploaded_at']:%Y-%m-%d %H:%M}",
                                tr("无法读取的原因", "Error"): q["error"] or "",
                                tr("文件提示", "Flags"): "；".join(q["warnings"])} for q in queue]),
                 hide_index=True, width="stretch")
    ids = [q["id"] for q in queue]
    names = {q["id"]: f"#{q['id']} {q['county']} · {q['filename']}" for q in queue}
    picked = st.selectbox(tr("处理材料", "Open"), ids, format_func=names.get, key="_queue_widget", placeholder=placeholder())
    d = webapi.submission_detail(me, picked)
    c1, c2 = st.columns(2)
    if c1.button(tr("打开该县评估页（更正数据、认定否决事项、记录结论）", "Open the county's evaluation"),
                 type="primary", key="_to_eval"):
        st.session_state["county_pick"] = d["county_id"]
        st.switch_page("inspection/ui/pages/evaluation.py")
    filename, data = webapi.stored_file(me, d["id"])
    c2.download_button(tr("下载原件", "Download the original"), data, file_name=filename, key="_orig")
    if d["confirmed"]:   # the county kept a table the system took for another county's: say so first
        st.warning(tr(f"系统核对认为这份表格可能属于{d['confirmed']['other']}，{d['county']}的 {d['confirmed']['by']} "
                      f"确认为本县材料，理由：{plain(d['confirmed']['reason'])}",
                      f"Flagged as {d['confirmed']['other']}'s; {d['confirmed']['by']} confirmed it is "
                      f"{d['county']}'s: {plain(d['confirmed']['reason'])}"), icon="⚠️")
    for v in d["vetoes"]:
        st.warning(plain(v))
    if d["problems"]:
        with st.expander(tr(f"问题（{len(d['problems'])}）", f"Problems ({len(d['problems'])})")):
            st.markdown("\n".join(f"- {plain(p)}" for p in d["problems"][:200]))


run_page(render, "review.queue", ("审核队列", "Review queue"))
