"""达标测算 (committee, county): what passing takes, by year to the recognition year and by school (two
charts), size and class relief, and what-if plans (补充、调整学生) evaluated at once and saved as versions."""

import pandas as pd
import streamlit as st

from inspection import webapi
from inspection.columns import canonical_columns
from inspection.ui import state
from inspection.ui.state import county_picker, run_page, tr

FIELDS = {c.header: c.field for c in canonical_columns() if c.kind in ("count", "amount") and c.field != "students"}
EDIT_COLUMNS = ["学校名称", "学段", "项目", "数量"]


def _charts(view) -> None:
    c1, c2 = st.columns(2)
    c1.markdown(tr("**按年度：达标所需费用（万元）**", "**Cost to pass by year (万元)**"))
    c1.bar_chart(pd.DataFrame(view["by_year"]).set_index("year")["cost_wan"])
    c2.markdown(tr(f"**按学校：{view['assumptions']['year']}年所需费用（万元，前20所）**", "**By school (top 20)**"))
    if view["by_school"]:
        frame = pd.DataFrame(view["by_school"][:20])
        c2.bar_chart(frame.assign(school=frame["school"] + "（" + frame["stage"] + "）").set_index("school")["cost_wan"],
                     horizontal=True)
    else:
        c2.info(tr("无需补充。", "Nothing to add."))


def _plan_from(frame: pd.DataFrame, title: str) -> dict:
    edits = [{"kind": "add", "school": r["学校名称"], "stage": r["学段"], "field": FIELDS[r["项目"]], "amount": float(r["数量"])}
             for _, r in frame.dropna().iterrows() if r["项目"] in FIELDS]
    return {"title": title, "edits": edits}


def _what_if(me, county) -> None:
    st.subheader(tr("方案推演", "What-if"))
    frame = st.data_editor(pd.DataFrame(columns=EDIT_COLUMNS), num_rows="dynamic", key="plan-edits", width="stretch",
                           column_config={"项目": st.column_config.SelectboxColumn(options=list(FIELDS)),
                                          "学段": st.column_config.SelectboxColumn(options=["小学", "初中"]),
                                          "数量": st.column_config.NumberColumn(min_value=0.0)})
    title = st.text_input(tr("方案名称", "Plan name"), value="", key="plan-title")
    plan = _plan_from(frame, title)
    if plan["edits"] and (result := state.attempt(webapi.what_if_view, me, county, plan=plan)) is not None:
        before, after = result["before"], result["after"]
        c1, c2, c3 = st.columns(3)
        c1.metric(tr("资源配置", "Resources"), tr("达标", "pass") if after["resource_passed"] else tr("未达标", "fail"))
        c2.metric(tr("未达标学校", "Failing schools"), after["failing_schools"],
                  after["failing_schools"] - before["failing_schools"], delta_color="inverse")
        c3.metric(tr("尚需（万元）", "Still needed (万元)"), f"{after['remaining_cost_wan']:,.2f}",
                  f"{after['remaining_cost_wan'] - before['remaining_cost_wan']:,.2f}", delta_color="inverse")
        st.caption(tr(f"方案本身约{result['edits_cost_wan']:,.2f}万元", f"The plan itself: {result['edits_cost_wan']:,.2f} 万元"))
        attach = st.selectbox(tr("附于", "Attach to"), ["", "annual_plan", "rectification"],
                              key=state.relabel("plan-attach"),
                              format_func=lambda v: {"": tr("不附", "none"), "annual_plan": tr("年度计划", "annual plan"),
                                                     "rectification": tr("整改", "rectification")}[v])
        if title and st.button(tr("保存为新版本", "Save as a new version"), key="plan-save"):
            saved = state.attempt(webapi.save_what_if_plan, me, county, name=title, plan=plan, attached_to=attach or None)
            if saved is not None:
                st.success(tr(f"已保存第{saved['version']}版。", f"Saved version {saved['version']}.") + saved["citation"])
                st.dataframe(pd.DataFrame(saved["versions"]), hide_index=True, width="stretch")


def render(me) -> None:
    county = county_picker(me, webapi.visible_counties(me))
    growth = st.number_input(tr("一年级入学人数年增长率（留空按历年数据拟合或暂定值）", "Yearly intake growth"),
                             value=None, step=0.01, format="%.3f", key="plan-growth")
    view = webapi.planning_view(me, county, intake_growth=growth)
    a = view["assumptions"]
    st.subheader(f"{view['county']}：{view['table_year']}—{a['year']}年")
    st.caption(tr(f"入学人数年增长{a['intake_growth']:+.1%}，小升初{a['transition']:.0%}（{a['source']}）；单价为暂定值，待委员会确认。",
                  f"Intake growth {a['intake_growth']:+.1%}, transition {a['transition']:.0%} ({a['source']}); unit costs provisional."))
    _charts(view)
    st.subheader(tr(f"{a['year']}年需补充", f"Additions for {a['year']}"))
    st.dataframe(pd.DataFrame(view["additions"]), hide_index=True, width="stretch")
    limits = view["size_limits"]
    if limits["classes"] or limits["schools"]:
        st.subheader(tr("校额、班额", "School and class sizes"))
        st.dataframe(pd.DataFrame(limits["classes"] + limits["schools"]), hide_index=True, width="stretch")
        st.caption(tr(f"增班、分流约{limits['cost_wan']:,.2f}万元，单独列示，不计入资源配置补充（{limits['assumption']}）。",
                      f"Classes and places: about {limits['cost_wan']:,.2f} 万元, apart from the additions (provisional)."))
    _what_if(me, county)


run_page(render, "county.figures", ("达标测算", "Planning"))
