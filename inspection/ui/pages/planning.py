"""达标测算 (committee, county): what passing takes, by year to the recognition year and by school (two
charts), size and class relief, what-if plans (补充、调整学生) evaluated at once and saved as versions,
and the versions of a saved plan side by side."""

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
        c2.bar_chart(frame.assign(school=frame["school"] + "（" + frame["stage"] + "）"), x="school", y="cost_wan",
                     x_label="", y_label="", horizontal=True, sort="-cost_wan")      # dearest first
    else:
        c2.info(tr("无需补充。", "Nothing to add."))


MOVE_COLUMNS = ["调出学校", "调出学段", "调入学校", "调入学段", "人数"]
STAGES = ["小学", "初中"]
VERSION_ROWS = {"title": "方案名称", "year": "年度", "edits": "调整项数", "edits_cost_wan": "方案费用（万元）",
                "resource_passed": "实施后资源配置", "remaining_cost_wan": "尚需（万元）", "attached_to": "附于",
                "created_by": "保存人"}
ATTACH = {"": ("不附", "none"), "annual_plan": ("年度计划", "annual plan"), "rectification": ("整改", "rectification")}


def _plan_from(adds: pd.DataFrame, moves: pd.DataFrame, title: str) -> dict:
    """The editors' rows as a what-if plan (inspection/planning_whatif.py); incomplete rows are left out."""
    edits = [{"kind": "add", "school": r["学校名称"], "stage": r["学段"], "field": FIELDS[r["项目"]], "amount": float(r["数量"])}
             for _, r in adds.dropna().iterrows() if r["项目"] in FIELDS]
    edits += [{"kind": "move", "school": r["调出学校"], "stage": r["调出学段"], "to_school": r["调入学校"],
               "to_stage": r["调入学段"], "students": int(r["人数"])} for _, r in moves.dropna().iterrows()]
    return {"title": title, "edits": edits}


def _editors(schools: list[str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    school = st.column_config.SelectboxColumn(options=schools)
    stage = st.column_config.SelectboxColumn(options=STAGES)
    st.markdown(tr("**补充**（教师、校舍、场馆、设备、教室）", "**Additions**"))
    adds = st.data_editor(pd.DataFrame(columns=EDIT_COLUMNS), num_rows="dynamic", key="plan-edits", width="stretch",
                          column_config={"学校名称": school, "学段": stage,
                                         "项目": st.column_config.SelectboxColumn(options=list(FIELDS)),
                                         "数量": st.column_config.NumberColumn(min_value=0.0)})
    st.markdown(tr("**调整学生**（学区调整、分流）", "**Students moved**"))
    moves = st.data_editor(pd.DataFrame(columns=MOVE_COLUMNS), num_rows="dynamic", key="plan-moves", width="stretch",
                           column_config={"调出学校": school, "调出学段": stage, "调入学校": school, "调入学段": stage,
                                          "人数": st.column_config.NumberColumn(min_value=1, step=1)})
    return adds, moves


def _outcome(result: dict) -> None:
    before, after = result["before"], result["after"]
    c1, c2, c3 = st.columns(3)
    c1.metric(tr("资源配置", "Resources"), tr("达标", "pass") if after["resource_passed"] else tr("未达标", "fail"))
    c2.metric(tr("未达标学校", "Failing schools"), after["failing_schools"],
              after["failing_schools"] - before["failing_schools"], delta_color="inverse")
    c3.metric(tr("尚需（万元）", "Still needed (万元)"), f"{after['remaining_cost_wan']:,.2f}",
              f"{after['remaining_cost_wan'] - before['remaining_cost_wan']:,.2f}", delta_color="inverse")
    st.caption(tr(f"方案本身约{result['edits_cost_wan']:,.2f}万元", f"The plan itself: {result['edits_cost_wan']:,.2f} 万元"))
    if result["cv_rows"]:
        st.markdown(tr("**校际差异系数：推演前后**", "**Coefficients of variation, before and after**"))
        st.dataframe(pd.DataFrame(result["cv_rows"]), hide_index=True, width="stretch",
                     column_config={k: st.column_config.NumberColumn(format="%.3f") for k in ("推演前", "推演后", "限值")})


def _what_if(me, county, schools: list[str]) -> str | None:
    """The editors and the outcome; the name of the plan saved in this run, if one was."""
    st.subheader(tr("方案推演", "What-if"))
    adds, moves = _editors(schools)
    title = st.text_input(tr("方案名称", "Plan name"), value="", key="plan-title")
    plan = _plan_from(adds, moves, title)
    if plan["edits"] and (result := state.attempt(webapi.what_if_view, me, county, plan=plan)) is not None:
        _outcome(result)
        attach = st.selectbox(tr("附于", "Attach to"), list(ATTACH), key=state.relabel("plan-attach"),
                              format_func=lambda v: tr(*ATTACH[v]))
        if title and st.button(tr("保存为新版本", "Save as a new version"), key="plan-save"):
            saved = state.attempt(webapi.save_what_if_plan, me, county, name=title, plan=plan, attached_to=attach or None)
            if saved is not None:
                st.success(tr(f"已保存第{saved['version']}版。", f"Saved version {saved['version']}.") + saved["citation"])
                return title
    return None


def _versions(me, county, saved: list[dict], just_saved: str | None) -> None:
    """The versions of one saved plan side by side, a column each (版本比较); the one saved in this
    run is among them (the page's view was read before it was saved)."""
    names = sorted({p["name"] for p in saved} | ({just_saved} if just_saved else set()))
    if not names:
        return
    st.subheader(tr("已保存方案：版本比较", "Saved plans: versions side by side"))
    name = st.selectbox(tr("方案", "Plan"), names, key="plan-compare")
    versions = state.attempt(webapi.plan_versions, me, county, name=name) or []
    frame = pd.DataFrame({f"第{v['version']}版": [_shown(k, v[k]) for k in VERSION_ROWS] for v in versions},
                         index=list(VERSION_ROWS.values()))
    st.dataframe(frame, width="stretch")


def _shown(key: str, value) -> str:
    if key == "resource_passed":
        return "达标" if value else "未达标"
    if key == "attached_to":
        return ATTACH.get(value or "", ATTACH[""])[0]
    return f"{value:,.2f}" if isinstance(value, float) else str(value)


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
        for rows, caption in ((limits["classes"], tr("班额：需增加的班级", "Classes over the limit")),
                              (limits["schools"], tr("校额：超规模学校需分流或新建", "Schools over their size"))):
            if rows:
                st.markdown(f"**{caption}**")
                st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch",
                             column_config={"费用（万元）": st.column_config.NumberColumn(format="%.2f")})
        st.caption(tr(f"增班、分流约{limits['cost_wan']:,.2f}万元，单独列示，不计入资源配置补充（{limits['assumption']}）。",
                      f"Classes and places: about {limits['cost_wan']:,.2f} 万元, apart from the additions (provisional)."))
    just_saved = _what_if(me, county, view["schools"])
    _versions(me, county, view["saved"], just_saved)


run_page(render, "county.figures", ("达标测算", "Planning"))
