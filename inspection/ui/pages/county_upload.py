"""上传与提交 (county): upload a document (progress while it is read), see what was extracted and the
problems found, fix a figure or re-upload, and submit for review."""

import pandas as pd
import streamlit as st

from inspection import webapi
from inspection.columns import NUMERIC_FIELDS
from inspection.ui import labels
from inspection.ui.text import plain
from inspection.ui.state import attempt, relabel, requested_county, run_page, tr
from inspection.ui.chinese import placeholder, uploader_words
from inspection.ui.widgets import job_result, run_job

JOB = "_upload_job"
PICK = "_sub_widget"
FLASH = "_upload_flash"
FIXED = "_fixed_a_figure"


def render(me) -> None:
    county = requested_county(me)
    webapi.list_submissions(me, county)   # refused here, before anything is drawn, for another county's URL
    _upload_box(me, county)
    subs = webapi.list_submissions(me, county)   # again: an upload may just have finished
    if st.session_state.pop("_submitted", None):
        st.success(tr("已提交地区督导委员会审核。", "Submitted for review."))
    if FLASH in st.session_state:
        st.success(st.session_state.pop(FLASH))
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
    names = {s["id"]: f"#{s['id']} {s['filename']}（{labels.word(labels.STATUS, s['status'])}）" for s in subs}
    if st.session_state.get(PICK) not in ids:
        st.session_state[PICK] = ids[0]
    # The widget's own value is the one document both the box and the detail show (no second copy of it).
    picked = st.selectbox(tr("查看材料", "Open document"), ids, format_func=names.get, key=relabel(PICK),
                          placeholder=placeholder())
    _detail(me, webapi.submission_detail(me, picked))
    _submit(me, county, subs)


def _upload_box(me, county) -> None:
    with st.container(border=True, key="upload_box"):
        st.markdown(tr(f"**上传材料**（学校数据表：CSV、XLSX；自评报告：DOCX、PDF；单个文件不超过{webapi.MAX_UPLOAD_MB} MB）",
                       f"**Upload** (CSV, XLSX, DOCX, PDF; at most {webapi.MAX_UPLOAD_MB} MB)"))
        kinds = [s[1:] for s in webapi.ACCEPTED]
        uploader_words(webapi.MAX_UPLOAD_MB, kinds)
        file = st.file_uploader(tr("选择文件", "Choose a file"), type=kinds, key="_upload_widget")
        if st.button(tr("上传并读取", "Upload and read"), type="primary", disabled=file is None, key="_upload_go"):
            run_job(JOB, me, tr(f"读取 {file.name}", f"Reading {file.name}"), webapi.upload, county,
                    filename=file.name, data=file.getvalue())
        job_result(JOB, me, _uploaded)


def _uploaded(result: dict) -> None:
    if st.session_state.get("_opened_job") != st.session_state.get(JOB):   # once per upload: open what it made
        st.session_state["_opened_job"] = st.session_state.get(JOB)
        st.session_state[PICK] = result["id"]
    if result["duplicate"]:
        st.info(tr(f"{plain(result['filename'])} 此前已上传过（#{result['id']}），未重复保存。",
                   f"{plain(result['filename'])} was already uploaded as #{result['id']}.")
                + _duplicate_note(result))
    elif result["status"] == "rejected" and result.get("mismatch"):   # read, but another county's: says so itself
        st.error(plain(labels.said(result["error"], result["error_en"])))
    elif result["status"] == "rejected":
        name = plain(result["filename"])
        st.error(tr(f"{name} 无法读取：", f"{name} could not be read: ") + plain(labels.said(result["error"], result["error_en"])))
    elif result["rows"]:
        name = plain(result["filename"])
        st.success(tr(f"{name} 已读取：{len(result['rows'])} 行学校数据。请核对下方提取结果后提交。",
                      f"{name} read: {len(result['rows'])} rows. Check them below, then submit."))
    else:
        name = plain(result["filename"])
        st.success(tr(f"{name} 已保存（报告类材料，未含学校数据表）。", f"{name} kept (a report, no school table)."))


def _duplicate_note(result: dict) -> str:
    """Why uploading the same file again does not bring its figures back, when it does not."""
    if result["status"] == "superseded":
        return tr(f"它已被后上传的表格替代：{plain(result['error'] or '')}。如要改回使用这份表格，请将其另存为新文件后重新上传。",
                  f" It was {plain(labels.said(result['error'], result['error_en']))}; save it as a new file and "
                  "upload that to use it again.")
    if result["status"] == "rejected":
        return tr("它此前未能读取，原因见下方；请修改文件后上传。", " It could not be read before; see below.")
    return tr("其数据仍在使用中（此后所作的更正继续有效）。", " Its figures are in use (later corrections stand).")


def _detail(me, d: dict) -> None:
    st.markdown(f"**#{d['id']} {plain(d['filename'])}** · {labels.word(labels.STATUS, d['status'])} · "
                f"SHA-256 `{d['sha256'][:16]}…`")
    if d["status"] == "rejected":
        st.error(plain(labels.said(d["error"], d["error_en"])))
        if d.get("mismatch"):
            _confirm_own(me, d)
        else:
            st.markdown(tr("请按提示修改文件后重新上传。", "Fix the file as described and upload it again."))
    elif d["note"]:
        st.caption(tr(f"未从该文件中读到学校数据表，已作为报告类材料保存：{plain(d['note'])}",
                      f"No school table: {plain(d['note'])}"))
    for v in d["vetoes"]:
        st.warning(plain(labels.said(v["zh"], v["en"])))
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


def _confirm_own(me, d: dict) -> None:
    """A table flagged as another county's: the county may say it is its own, with a reason the
    committee will see beside the figures."""
    with st.expander(tr("确认为本县材料", "Confirm this is our table")):
        with st.form(f"_own_{d['id']}"):
            reason = st.text_input(tr("理由（必填，委员会可见）", "Reason (required; the committee sees it)"))
            if st.form_submit_button(tr("确认并读取", "Confirm and read")):
                done = attempt(webapi.confirm_own_table, me, d["id"], reason=reason)
                if done is not None:
                    _flash(tr(f"已确认为本县材料并读取：{len(done['rows'])} 行学校数据。",
                              f"Confirmed as ours: {len(done['rows'])} rows read."))


def _num(value) -> str:
    return f"{value:,.2f}".rstrip("0").rstrip(".") if isinstance(value, (int, float)) else str(value)


def _fix_form(me, d: dict) -> None:
    """One figure at a time: the current value is shown for the school and figure chosen (outside
    the form, so it follows the choice), and the save is confirmed with the old and new value."""
    with st.expander(tr("更正读取错误的数字", "Fix a figure that was read wrongly"), expanded=FIXED in st.session_state):
        rows = {(r["school"], r["stage"]): r for r in d["rows"]}
        left, right = st.columns(2)
        key = left.selectbox(tr("学校", "School"), list(rows), key=relabel(f"_fix_row_{d['id']}"),
                             format_func=lambda k: f"{k[0]}（{labels.word(labels.STAGE, k[1])}）", placeholder=placeholder())
        field = right.selectbox(tr("数据项", "Figure"), NUMERIC_FIELDS, format_func=labels.field_label,
                                key=relabel(f"_fix_field_{d['id']}"), placeholder=placeholder())
        st.markdown(tr(f"当前值：**{_num(rows[key][field])}**", f"Current value: **{_num(rows[key][field])}**"))
        with st.form(f"_fix_{d['id']}", clear_on_submit=True):
            value = st.text_input(tr("正确数值", "Correct value"))
            reason = st.text_input(tr("更正理由（必填）", "Reason (required)"))
            if st.form_submit_button(tr("保存更正", "Save")):
                done = attempt(webapi.correct_figure, me, d["county_id"], year=d["year"], school=key[0],
                               stage=key[1], field=field, value=value, reason=reason)
                if done is not None:
                    st.session_state[FIXED] = True      # keep the form open to show the new value
                    what = f"{key[0]} {labels.field_label(field)}"
                    _flash(tr(f"已更正 {what}：{_num(done['before'])} → {_num(done['after'])}",
                              f"Corrected {what}: {_num(done['before'])} → {_num(done['after'])}"))


def _flash(message: str) -> None:
    """A confirmation shown at the top after the page is drawn again with the new figures."""
    st.session_state[FLASH] = message
    st.rerun()


def _submit(me, county, subs: list[dict]) -> None:
    """Open while the round has documents to submit; once submitted, the button stays, disabled, so
    a second press cannot reach the service."""
    summary = webapi.county_summary(me, county)
    submitted = summary["stage"] == "prefecture_evaluation"
    if not submitted and not any(s["status"] in ("ingested", "report", "evaluated") for s in subs):
        return
    with st.container(border=True):
        st.markdown(tr("**提交县级自评**：核对无误后提交，地区督导委员会将进行评估。提交后不能再修改数据。",
                       "**Submit the self-assessment** for the committee's evaluation; figures are then locked."))
        if submitted:
            st.caption(tr("已提交，正在等待地区督导委员会评估。", "Submitted; with the committee."))
        sure = st.checkbox(tr("我已核对上述材料和数据", "I have checked the documents and figures"), key="_submit_ok",
                           disabled=submitted)
        if st.button(tr("已提交" if submitted else "提交审核", "Submitted" if submitted else "Submit for review"),
                     type="primary", disabled=submitted or not sure, key="_submit"):
            done = attempt(webapi.submit_for_review, me, county)
            if done is not None:
                st.session_state["_submitted"] = done
                st.rerun()


run_page(render, "documents.view", ("上传与提交", "Upload and submit"))
