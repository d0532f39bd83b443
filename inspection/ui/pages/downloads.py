"""表格与函件下载: the blank forms for everyone; the letters addressed to a county for that county
(and for the committee, any county)."""

import pandas as pd
import streamlit as st

from inspection import webapi
from inspection.ui.state import attempt, county_picker, run_page, tr
from inspection.ui.widgets import download


def render(me) -> None:
    st.subheader(tr("空白表格", "Blank forms"))
    st.caption(tr("学校数据表：每个学校每个学段一行；九年一贯制学校分小学、初中两行。教学仪器设备值以万元填报。",
                  "School table: one row per school and stage; equipment value in 10,000 yuan."))
    for k, form in enumerate(webapi.blank_forms(me)):
        download(form, key=f"form_{k}", label=f"⬇ {form['label']}")
    if me.role == "observer":
        return
    st.subheader(tr("函件", "Letters"))
    county = county_picker(me, webapi.visible_counties(me))
    letters = webapi.letters_for(me, county)
    if not letters:
        st.info(tr("暂无发给该县市的函件。", "No letters issued to this county yet."))
        return
    st.dataframe(pd.DataFrame([{tr("文号", "Number"): x["document_number"], tr("结论", "Decision"): x["decision"],
                                tr("日期", "Date"): f"{x['date']}", tr("整改期限", "Deadline"): f"{x['deadline'] or '—'}"}
                               for x in letters]), hide_index=True, width="stretch")
    fmt = st.radio(tr("格式", "Format"), ["pdf", "docx"], horizontal=True, key="_letter_fmt",
                   format_func=lambda f: {"pdf": "PDF", "docx": "Word（DOCX）"}[f])
    if st.button(tr("准备最新一份意见书", "Prepare the latest letter"), key="_make_letter"):
        letter = attempt(webapi.county_letter, me, county, fmt)
        if letter is not None:
            st.session_state["_letter"] = {**letter, "county": county}
    letter = st.session_state.get("_letter")
    if letter and letter["county"] == county and letter["filename"].endswith(fmt):
        download(letter, key="_letter_download")


run_page(render, "forms.download", ("表格与函件下载", "Forms and letters"))
