"""报告与函件 (committee): the prefecture report (DOCX, PDF, XLSX) and every county's letter, written
as background jobs with progress; the register of issued documents (发文登记簿), exportable."""

import streamlit as st

from inspection import webapi
from inspection.ui.state import relabel, run_page, tr
from inspection.ui.widgets import download, job_result, run_job


def render(me) -> None:
    with st.container(border=True):
        st.subheader(tr("全地区监测报告", "Prefecture report"))
        fmt = st.radio(tr("格式", "Format"), ["pdf", "docx", "xlsx"], horizontal=True, key=relabel("_report_fmt"),
                       format_func=lambda f: {"pdf": "PDF", "docx": "Word（DOCX）", "xlsx": tr("台账 Excel（XLSX）", "Ledgers (XLSX)")}[f])
        official = st.checkbox(tr("正式发文（登记发文字号）", "Issue it (take a document number)"), key="_report_official",
                               disabled=fmt == "xlsx",
                               help=tr("首次生成时取下一个文号并登记；同一报告再次生成（PDF或Word）沿用原文号和成文日期。"
                                       "不勾选为无文号的草稿。",
                                       "The first time takes the next number; later renderings keep it. "
                                       "Unchecked: a draft without a number."))
        if st.button(tr("生成报告", "Generate"), key="_report_go"):
            run_job("_report_job", me, tr("生成全地区报告", "Writing the report"), webapi.prefecture_report, fmt,
                    official=official and fmt != "xlsx")
        job_result("_report_job", me, lambda r: download(r, key="_report_dl"))
    with st.container(border=True):
        st.subheader(tr("各县市督导评估意见书", "Letters to every county"))
        st.caption(tr("已有结论的县市为正式意见书，其余为草稿。", "Issued letters where a verdict exists, drafts elsewhere."))
        fmt = st.radio(tr("格式", "Format"), ["pdf", "docx"], horizontal=True, key="_letters_fmt",
                       format_func=lambda f: {"pdf": "PDF", "docx": "Word（DOCX）"}[f])
        if st.button(tr("生成全部意见书（ZIP）", "Write all letters (ZIP)"), key="_letters_go"):
            run_job("_letters_job", me, tr("生成全部意见书", "Writing all letters"), webapi.all_letters, fmt)
        job_result("_letters_job", me, lambda r: download(r, key="_letters_dl"))
    _register(me)


def _register(me) -> None:
    rows = webapi.document_register(me)
    with st.container(border=True):
        st.subheader(tr("发文登记簿", "Register of issued documents"))
        if not rows:
            st.caption(tr("尚未正式发文。", "Nothing issued yet."))
            return
        st.dataframe([{tr("发文字号", "Number"): r["number"], tr("成文日期", "Date"): r["date_zh"],
                       tr("种类", "Kind"): r["kind_zh"], tr("县市", "County"): r["county"],
                       tr("标题", "Title"): r["title"], tr("经办", "By"): r["issued_by"]} for r in rows],
                     hide_index=True, width="stretch")
        download(webapi.register_workbook(me), key="_register_dl", label=tr("⬇ 导出登记簿（XLSX）", "⬇ Register (XLSX)"))


run_page(render, "report.generate", ("报告与函件", "Reports and letters"))
