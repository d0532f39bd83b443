"""报告与函件 (committee): the prefecture report (DOCX, PDF, XLSX) and every county's letter, written
as background jobs with progress."""

import streamlit as st

from inspection import webapi
from inspection.ui.state import run_page, tr
from inspection.ui.widgets import download, job_result, run_job


def render(me) -> None:
    with st.container(border=True):
        st.subheader(tr("全地区监测报告", "Prefecture report"))
        st.caption(tr("草稿（无文号）；正式发文请用 inspection report --prefecture 取号。",
                      "A draft without a document number; issue it with `inspection report --prefecture`."))
        fmt = st.radio(tr("格式", "Format"), ["pdf", "docx", "xlsx"], horizontal=True, key="_report_fmt",
                       format_func=lambda f: {"pdf": "PDF", "docx": "Word（DOCX）", "xlsx": tr("台账 Excel（XLSX）", "Ledgers (XLSX)")}[f])
        if st.button(tr("生成报告", "Generate"), key="_report_go"):
            run_job("_report_job", me, tr("生成全地区报告", "Writing the report"), webapi.prefecture_report, fmt)
        job_result("_report_job", me, lambda r: download(r, key="_report_dl"))
    with st.container(border=True):
        st.subheader(tr("各县市督导评估意见书", "Letters to every county"))
        st.caption(tr("已有结论的县市为正式意见书，其余为草稿。", "Issued letters where a verdict exists, drafts elsewhere."))
        fmt = st.radio(tr("格式", "Format"), ["pdf", "docx"], horizontal=True, key="_letters_fmt",
                       format_func=lambda f: {"pdf": "PDF", "docx": "Word（DOCX）"}[f])
        if st.button(tr("生成全部意见书（ZIP）", "Write all letters (ZIP)"), key="_letters_go"):
            run_job("_letters_job", me, tr("生成全部意见书", "Writing all letters"), webapi.all_letters, fmt)
        job_result("_letters_job", me, lambda r: download(r, key="_letters_dl"))


run_page(render, "report.generate", ("报告与函件", "Reports and letters"))
