"""规则与暂定值 (everyone): the standard in force, indicator by indicator, and every value the sources
do not fix, marked 暂定，待委员会确认 (from the rule data: `verify`, `assumption`, schedule notes)."""

import pandas as pd
import streamlit as st

from inspection import webapi
from inspection.standard import AREA_ZH
from inspection.ui.state import run_page, tr


def render(me) -> None:
    rules = webapi.rules_in_force(me)
    std = rules["standard"]
    st.markdown(f"**{std['title']}**（{std['id']}，{std['document']}）")
    st.subheader(tr("暂定值（待委员会确认）", "Provisional values (to be confirmed)"))
    st.caption(tr("以下数值或措辞在方案和办法中没有明确规定，是系统暂定的工作规则；确认或修改后在规则文件中更新即可，无需改程序。",
                  "The sources do not fix these; they are working rules until the committee confirms them."))
    st.dataframe(pd.DataFrame([{tr("规则", "Rule"): a["where"], tr("暂定值", "Value"): a["value"],
                                tr("说明", "Why provisional"): a["why"]} for a in rules["assumptions"]]),
                 hide_index=True, width="stretch")
    st.subheader(tr("指标", "Indicators"))
    st.dataframe(pd.DataFrame([{tr("编号", "Id"): i["id"], tr("方面", "Area"): AREA_ZH[i["area"]],
                                tr("指标", "Indicator"): i["wording"], tr("标准", "Requirement"): i["requirement"],
                                tr("依据", "Source"): i["source"],
                                tr("暂定", "Provisional"): tr("暂定，待委员会确认", "provisional") if i["assumption"] else ""}
                               for i in rules["indicators"]]), hide_index=True, width="stretch")


run_page(render, "app.use", ("规则与暂定值", "Rules in force"))
