"""县级指标 (county, committee): the county-level indicators as in the workbook's 县级指标 sheet — each
with its requirement, the current figure and its source, and a form to save a new one."""

import streamlit as st

from inspection import webapi
from inspection.ui import labels, state
from inspection.ui.chinese import placeholder
from inspection.ui.state import county_picker, run_page, tr

RESULT = {True: ("达标", "met"), False: ("未达标", "not met"), None: ("待核实", "pending")}


def _yes_no(value: str) -> str:
    return {"是": tr("是", "Yes"), "否": tr("否", "No")}.get(value, value)


def _save(me, county, year, item) -> None:
    key = f"ci-{item['id']}"
    with st.form(key):
        if item["years"]:
            cols = st.columns(len(item["years"]))
            current = item["value"] or {}
            value = {y: col.text_input(f"{y}年", value=f"{current.get(str(y), '')}", key=f"{key}-{y}")
                     for y, col in zip(item["years"], cols)}
        elif item["judged"]:
            options = ["", "是", "否"]   # the values saved (as in the workbook); shown in the page's language
            value = st.selectbox(tr("本县数值（是/否）", "Value (yes/no)"), options, format_func=_yes_no,
                                 index=options.index(item["text"]) if item["text"] in options else 0,
                                 key=state.relabel(f"{key}-v"), placeholder=placeholder())
        elif item["scale"]:
            options = ["", *item["scale"]]
            value = st.selectbox(tr("本县等级", "Grade"), options,
                                 index=options.index(item["text"]) if item["text"] in options else 0, key=f"{key}-v", placeholder=placeholder())
        else:
            value = st.text_input(tr("本县数值", "Value") + (f"（{item['unit']}）" if item["unit"] else ""),
                                  value=item["text"], key=f"{key}-v")
        evidence = st.text_input(tr("佐证材料（名称及页码）", "Evidence (document and page)"), value=item["evidence"],
                                 key=f"{key}-e")
        if st.form_submit_button(tr("保存", "Save")):
            saved = state.attempt(webapi.save_county_indicator, me, county, year=year, indicator_id=item["id"],
                                  value=value, evidence=evidence)
            if saved is not None:   # shown above the form after the rerun that redraws every current value
                result = tr(*RESULT[saved["met"]])
                st.session_state["_ci_flash"] = tr(f"已保存 {item['id']}：{saved['text'] or saved['after']}（{result}）",
                                                   f"Saved {item['id']}: {saved['text'] or saved['after']} ({result})")
                st.rerun()


def render(me) -> None:
    county = county_picker(me, webapi.visible_counties(me))
    form = webapi.county_indicator_form(me, county, st.session_state.get("ci_year"))
    st.subheader(f"{form['county']} {form['year']}年")
    if st.session_state.get("_ci_flash"):
        st.success(st.session_state.pop("_ci_flash"))
    if form["years"]:
        st.selectbox(tr("数据年度", "Year"), form["years"], key="ci_year", placeholder=placeholder())
    st.caption(tr("与学校数据表工作簿中的“县级指标”表相同：定性指标填“是”或“否”，由督导委员会认定；"
                  "注明“由学校数据表计算”的指标可不填。",
                  "The same as the workbook's 县级指标 sheet: judged items take yes/no and are decided by "
                  "the committee; items computed from the school table may be left blank."))
    if not form["may_edit"]:
        st.info(tr("本轮材料已提交地区督导评估，县级指标只能查看。", "The round is under review: view only."))
    for area in dict.fromkeys(i["area_zh"] for i in form["indicators"]):
        st.markdown(f"#### {area}")
        for item in [i for i in form["indicators"] if i["area_zh"] == area]:
            zh, en = RESULT[item["met"]]
            shown = item["text"] or ("；".join(f"{y}年{v:g}" for y, v in (item["value"] or {}).items())
                                     if item["years"] else "") or tr("未填写", "blank")
            with st.expander(f"{item['id']} {item['wording']} — {shown}（{tr(zh, en)}）"):
                st.text(tr("标准：", "Requirement: ") + item["requirement"])
                if item["assumption"]:
                    st.warning(tr(f"暂定，待委员会确认：{item['assumption']}",
                                  f"Provisional, to be confirmed by the committee: {item['assumption']}"))
                if item["source"]:
                    st.text(tr("来源：", "Source: ") + labels.said(item["source"], item["source_en"]))
                if item["sentence"]:
                    st.text(item["sentence"])
                if form["may_edit"] and not item["computed"]:
                    _save(me, county, form["year"], item)


run_page(render, "county.figures", ("县级指标", "County indicators"))
