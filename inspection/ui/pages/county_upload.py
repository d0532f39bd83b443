"""上传与提交 (county): upload a document (progress while it is read), see what was extracted and the
problems found, fix a figure or re-upload, and submit for review."""

import pandas as pd
import streamlit as st

from inspection import webapi
from inspection.columns import NUMERIC_FIELDS
from inspection.ui import labels
from inspection.ui.text import plain
from inspection.ui.state import attempt, requested_county, run_page, tr
from inspection.ui.widgets import job_result, run_job

JOB = "_upload_job"


def render(me) -> None:
    county = requested_county(me)
    webapi.list_submissions(me, county)   # refused here, before anything is drawn, for another county's URL
    _upload_box(me, county)
    subs = webapi.list_submissions(me, county)   # again: an upload may just have finished
    if st.session_state.pop("_submitted", None):
        st.success(tr("已提交地区督导委员会审核。", "Submitted for review."))
    if not subs:
        st.info(tr("还没有上传材料。请先下载“学校数据表”空白表格填写后上传。", "Nothing uploaded yet."))
        return
    st.subheader(tr("已上传材料", "Uploaded documents"))
    st.dataframe(pd.DataFrame([{tr("编号", "No."): s["id"], tr("文件", "File"): s["filename"],
                                tr("状态", "Status"): labels.word(labels.STATUS, s["status"]),
                                tr("上传人", "By"): s["uploaded_by"],
                                tr("上传时间", "Uploaded"): f"{s['uploaded_at']:%Y-%m-%d %H:%M}"} for s in subs]),
                 hide_index=True, width="stretch")
    ids = [s["id"] for s in subs]
    chosen = st.session_state.get("open_submission")
    names = {s["id"]: f"#{s['id']} {s['filename']}（{labels.word(labels.STATUS, s['status'])}）" for s in subs}
    picked = st.selectbox(tr("查看材料", "Open document"), ids, format_func=names.get,
                          index=ids.index(chosen) if chosen in ids else 0, key="_sub_widget")
    st.session_state["open_submission"] = picked
    detail = webapi.submission_detail(me, picked)
    _detail(me, detail)
    if any(s["status"] in ("ingested", "report", "evaluated") for s in subs):
        _submit(me, county)


def _upload_box(me, county) -> None:
    with st.container(border=True):
        st.markdown(tr(f"**上传材料**（学校数据表：CSV、XLSX；自评报告：DOCX、PDF；单个文件不超过{webapi.MAX_UPLOAD_MB} MB）",
                       f"**Upload** (CSV, XLSX, DOCX, PDF; at most {webapi.MAX_UPLOAD_MB} MB)"))
        file = st.file_uploader(tr("选择文件", "Choose a file"), type=[s[1:] for s in webapi.ACCEPTED],
                                key="_upload_widget")
        if st.button(tr("上传并读取", "Upload and read"), type="primary", disabled=file is None, key="_upload_go"):
            run_job(JOB, me, tr(f"读取 {file.name}", f"Reading {file.name}"), webapi.upload, county,
                    filename=file.name, data=file.getvalue())
        job_result(JOB, me, _uploaded)


def _uploaded(result: dict) -> None:
    st.session_state["open_submission"] = result["id"]
    st.session_state.pop("_sub_widget", None)
    if result["duplicate"]:
        st.info(tr(f"这份文件此前已上传过（#{result['id']}），未重复保存。", f"Already uploaded as #{result['id']}."))
    elif result["status"] == "rejected":
        name = plain(result["filename"])
        st.error(tr(f"{name} 无法读取：", f"{name} could not be read: ") + plain(result["error"] or ""))
    elif result["rows"]:
        name = plain(result["filename"])
        st.success(tr(f"{name} 已读取：{len(result['rows'])} 行学校数据。请核对下方提取结果后提交。",
                      f"{name} read: {len(result['rows'])} rows. Check them below, then submit."))
    else:
        name = plain(result["filename"])
        st.success(tr(f"{name} 已保存（报告类材料，未含学校数据表）。", f"{name} kept (a report, no school table)."))


def _detail(me, d: dict) -> None:
    st.markdown(f"**#{d['id']} {plain(d['filename'])}** · {labels.word(labels.STATUS, d['status'])} · "
                f"SHA-256 `{d['sha256'][:16]}…`")
    if d["status"] == "rejected":
        st.error(plain(d["error"] or ""))
        st.markdown(tr("请按提示修改文件后重新上传。", "Fix the file as described and upload it again."))
    elif d["note"]:
        st.caption(tr(f"未从该文件中读到学校数据表，已作为报告类材料保存：{plain(d['note'])}",
                      f"No school table: {plain(d['note'])}"))
    for v in d["vetoes"]:
        st.warning(v)
    problems = [p for p in d["problems"] if p != d["error"]]
    if problems:
        with st.expander(tr(f"发现的问题（{len(problems)}）", f"Problems found ({len(problems)})"), expanded=True):
            st.markdown("\n".join(f"- {plain(p)}" for p in problems[:200]))
    if d["rows"]:
        st.markdown(tr("**提取结果**（教学仪器设备值已换算为元）", "**Extracted table** (equipment in yuan)"))
        df = pd.DataFrame([{tr("学校名称", "School"): r["school"], tr("学段", "Stage"): labels.word(labels.STAGE, r["stage"]),
                            **{labels.field_label(f): r[f] for f in NUMERIC_FIELDS}} for r in d["rows"]])
        st.dataframe(df.style.format(_num, subset=df.columns[2:]), hide_index=True, width="stretch")
        if d["status"] == "ingested":
            _fix_form(me, d)


def _num(value) -> str:
    return f"{value:,.2f}".rstrip("0").rstrip(".") if isinstance(value, (int, float)) else str(value)


def _fix_form(me, d: dict) -> None:
    with st.expander(tr("更正读取错误的数字", "Fix a figure that was read wrongly")):
        with st.form("_fix"):
            keys = [(r["school"], r["stage"]) for r in d["rows"]]
            row = st.selectbox(tr("学校", "School"), keys,
                               format_func=lambda k: f"{k[0]}（{labels.word(labels.STAGE, k[1])}）")
            field = st.selectbox(tr("数据项", "Figure"), NUMERIC_FIELDS, format_func=labels.field_label)
            value = st.text_input(tr("正确数值", "Correct value"))
            reason = st.text_input(tr("更正理由（必填）", "Reason (required)"))
            if st.form_submit_button(tr("保存更正", "Save")):
                ok = attempt(webapi.correct_figure, me, d["county_id"], year=d["year"], school=row[0], stage=row[1],
                             field=field, value=value, reason=reason)
                if ok is not None:
                    st.rerun()


def _submit(me, county) -> None:
    with st.container(border=True):
        st.markdown(tr("**提交县级自评**：核对无误后提交，地区督导委员会将进行评估。提交后不能再修改数据。",
                       "**Submit the self-assessment** for the committee's evaluation; figures are then locked."))
        sure = st.checkbox(tr("我已核对上述材料和数据", "I have checked the documents and figures"), key="_submit_ok")
        if st.button(tr("提交审核", "Submit for review"), type="primary", disabled=not sure, key="_submit"):
            done = attempt(webapi.submit_for_review, me, county)
            if done is not None:
                st.session_state["_submitted"] = done
                st.rerun()


run_page(render, "documents.view", ("上传与提交", "Upload and submit"))
