"""审核队列 (committee): the inbox (待办) of counties — what each waits for, its deadline and
reviewer, filtered and sorted — then submitted documents awaiting review and those not accepted."""

import pandas as pd
import streamlit as st

from inspection import webapi
from inspection.ui import labels
from inspection.ui.text import plain
from inspection.ui.chinese import placeholder
from inspection.ui.state import attempt, relabel, run_page, tr


WAITS = {"decide": ("待作出评估结论", "verdict due"), "read": ("县市已答复问询", "answers to read"),
         "wait": ("等待县市答复", "awaiting the county"), "none": ("无待办", "nothing to do")}
SORTS = {"deadline": ("按期限", "by deadline"), "vetoes": ("按待认定否决事项", "by open vetoes"),
         "county": ("按创建年份", "by target year")}


def render(me) -> None:
    _inbox(me)
    st.subheader(tr("上报材料", "Documents"))
    _documents(me)


def _inbox(me) -> None:
    rows = webapi.inbox.inbox(me)
    st.subheader(tr("待办", "Inbox"))
    left, mid, right = st.columns([2, 1, 1])
    wanted = left.multiselect(tr("筛选", "Show"), list(WAITS), default=["decide", "read", "wait"],
                              format_func=lambda w: tr(*WAITS[w]), key=relabel("_inbox_filter"),
                              placeholder=placeholder())
    order = mid.selectbox(tr("排序", "Sort"), list(SORTS), format_func=lambda k: tr(*SORTS[k]),
                          key=relabel("_inbox_sort"), placeholder=placeholder())
    mine = right.toggle(tr("只看分配给我的", "Assigned to me"), key="_inbox_mine")
    shown = [r for r in rows if r["status"] in wanted and (not mine or r["reviewer"] == me.username)]
    key = {"deadline": lambda r: (r["days_left"] is None, r["days_left"] or 0),
           "vetoes": lambda r: (-r["vetoes"], -r["judgements"]), "county": lambda r: 0}[order]
    shown.sort(key=key)
    if not shown:
        st.success(tr("没有符合条件的待办事项。", "Nothing to do here."))
    else:
        st.table(pd.DataFrame([{
            tr("县市", "County"): r["county"], tr("所处阶段", "Stage"): labels.stage_name(r["stage"]),
            tr("待办", "Waiting for"): tr(*WAITS[r["status"]]),
            tr("期限", "Deadline"): f"{r['deadline'] or '—'}" + (tr("（已逾期）", " (overdue)") if r["overdue"] else ""),
            tr("剩余天数", "Days left"): "—" if r["days_left"] is None else r["days_left"],
            tr("待认定否决事项", "Open vetoes"): r["vetoes"], tr("待认定定性指标", "Judged to decide"): r["judgements"],
            tr("问询（待答复/已答复）", "Questions (open/answered)"): f"{r['questions']}/{r['answers']}",
            tr("负责委员", "Reviewer"): r["reviewer"] or "—"} for r in shown]), hide_index=True)
    with st.expander(tr("分配负责委员", "Assign a reviewer")):
        names = {r["county_id"]: r["county"] for r in rows}
        members = [""] + webapi.inbox.committee_members(me)
        with st.form("_assign"):
            c1, c2 = st.columns(2)
            county = c1.selectbox(tr("县市", "County"), list(names), format_func=names.get, placeholder=placeholder())
            reviewer = c2.selectbox(tr("负责委员", "Reviewer"), members, format_func=lambda m: m or tr("（不指定）", "(none)"),
                                    placeholder=placeholder())
            if st.form_submit_button(tr("保存", "Save")):
                if attempt(webapi.inbox.assign, me, county, reviewer=reviewer) is not None:
                    st.rerun()


def _documents(me) -> None:
    queue = webapi.review_queue(me)
    if not queue:
        st.success(tr("没有待审核的材料。", "Nothing to review."))
        return
    st.dataframe(pd.DataFrame([{tr("编号", "No."): q["id"], tr("县市", "County"): q["county"],
                                tr("文件", "File"): q["filename"], tr("状态", "Status"): labels.word(labels.STATUS, q["status"]),
                                tr("上传人", "By"): q["uploaded_by"],
                                tr("上传时间", "Uploaded"): f"{q['uploaded_at']:%Y-%m-%d %H:%M}",
                                tr("无法读取的原因", "Error"): labels.said(q["error"], q["error_en"]),
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
        st.warning(plain(labels.said(v["zh"], v["en"])))
    if d["problems"]:
        with st.expander(tr(f"问题（{len(d['problems'])}）", f"Problems ({len(d['problems'])})")):
            st.markdown("\n".join(f"- {plain(p)}" for p in d["problems"][:200]))


run_page(render, "review.queue", ("审核队列", "Review queue"))
