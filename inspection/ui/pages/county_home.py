"""本县进展 (county): the county's stage, deadlines and gaps, its recorded verdict and stage history."""

import pandas as pd
import streamlit as st

from inspection import webapi
from inspection.ui import labels
from inspection.ui import state
from inspection.ui.state import requested_county, run_page, tr
from inspection.ui.text import plain
from inspection.ui.threads import county_panel
from inspection.ui.widgets import download


def render(me) -> None:
    info = webapi.county_summary(me, requested_county(me))
    st.subheader(info["name"])
    c1, c2, c3 = st.columns(3)
    c1.metric(tr("所处阶段", "Stage"), labels.stage_name(info["stage"]))
    c2.metric(tr("创建年份", "Target year"), info["recognition_year"])
    c2.caption(tr(f"还有{info['years_left']}年", f"{info['years_left']} years left") if info["years_left"] > 0
               else tr("已到创建年份", "due now"))
    if info["schedule_note"]:
        c2.caption(tr(f"注：{info['schedule_note']}", f"Note: {info['schedule_note']}"))
    due = info["next_deadline"]
    c3.metric(tr("下一期限", "Next deadline"), due["date"] if due else tr("无", "none"))
    if due:
        c3.caption((due["what"] if state.lang() == "zh" else due["what_en"])
                   + (tr("（已逾期）", " (overdue)") if due["overdue"] else tr(f"（还有{due['days_left']}天）",
                                                                           f" ({due['days_left']} days left)"))
                   + (tr(f"（暂定，待委员会确认：{due['assumption']}）", " (provisional)") if due.get("assumption") else ""))
    v = info["recorded"]
    if v:
        (st.success if v["decision"] == "approve" else st.warning)(
            tr(f"地区督导评估结论（{v['document_number'] or ''}，{v['at']:%Y-%m-%d}）：{v['label']}",
               f"Committee verdict ({v['document_number'] or ''}): {labels.word(labels.DECISION, v['decision'])}")
            + (f"　{v['reason']}" if v["reason"] else "")
            + (tr(f"　整改期限：{v['deadline']}", f"; deadline {v['deadline']}") if v["deadline"] else ""))
    latest = info["latest"]
    st.subheader(tr("差距与问题", "Gaps"))
    if latest is None:
        st.info(tr("尚无评估结果。请在“上传与提交”页上传学校数据表。", "No evaluation yet: upload your school table."))
    else:
        st.markdown(tr(f"最近一次评估：{latest['year']}年，{latest['schools']}个学校学段中"
                       f"**{latest['failing']}个未达标**，结论：{labels.word(labels.OUTCOME, latest['outcome'])}（草稿）",
                       f"Latest evaluation {latest['year']}: **{latest['failing']} of {latest['schools']}** "
                       f"school stages fail; outcome {labels.word(labels.OUTCOME, latest['outcome'])} (draft)"))
        gaps = info["gaps"]
        if not gaps:
            st.success(tr("没有待处理的问题。", "No open gaps."))
        for g in gaps[:10]:
            st.markdown(f"- **{labels.word(labels.KIND, g['kind'])}**" + (f"　{plain(g['school'])}" if g["school"] else "")
                        + f"{tr('：', ': ')}{plain(labels.said(g['message'], g['message_en']))}")
        if len(gaps) > 10:
            with st.expander(tr(f"其余{len(gaps) - 10}项", f"{len(gaps) - 10} more")):
                st.markdown("\n".join(f"- {plain(g['school'] or '')}{tr('：', ': ')}"
                                       f"{plain(labels.said(g['message'], g['message_en']))}" for g in gaps[10:]))
    if info["progress"]:
        p = info["progress"]
        st.subheader(tr(f"{p['year']}年度创建工作进展情况（向县人大报告）", f"Progress report {p['year']}"))
        st.text(p["text"])
        fmt = st.radio(tr("格式", "Format"), ["pdf", "docx"], horizontal=True, key="_progress_fmt",
                       format_func=lambda f: {"pdf": "PDF", "docx": "Word（DOCX）"}[f])
        if st.button(tr("生成进展情况报告（草稿）", "Prepare the progress report (draft)"), key="_progress_make"):
            report = state.attempt(webapi.progress_report, me, requested_county(me), fmt)
            if report:
                st.session_state["_progress_file"] = report
        if st.session_state.get("_progress_file"):
            download(st.session_state["_progress_file"], key="_progress_download")
    if info["events"]:
        st.subheader(tr("阶段记录", "Stage history"))
        st.dataframe(pd.DataFrame([{tr("时间", "When"): f"{e['at']:%Y-%m-%d}", tr("从", "From"): labels.stage_name(e["from_stage"]),
                                    tr("到", "To"): labels.stage_name(e["to_stage"]), tr("说明", "Reason"): e["reason"],
                                    tr("操作人", "By"): e["actor"],
                                    tr("截止", "Deadline"): f"{e['deadline']:%Y-%m-%d}" if e["deadline"] else "—"}
                                   for e in info["events"]]), hide_index=True, width="stretch")
    county_panel(me, info["id"])
    st.subheader(tr("问责与整改事项", "Accountability cases"))
    if not info["cases"]:
        st.caption(tr("没有未结的问责事项。", "No open cases."))
    for c in info["cases"]:
        st.error(tr(f"问责案件{c['id']}：{c['kind']}（{c['level']}），整改期限 {c['deadline']}。{c['reason']}",
                    f"Case {c['id']}: {c['kind']} ({c['level']}), due {c['deadline']}. {c['reason']}"))


run_page(render, "county.summary", ("本县进展", "Our progress"))
