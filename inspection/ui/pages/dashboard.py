"""全地区总览: stage board, recognition timeline, indicator heatmap, open cases (committee,
observers; observers see recorded verdicts only, never drafts)."""

import time
from html import escape

import streamlit as st

from inspection import webapi
from inspection.ui import grids, labels
from inspection.ui.state import run_page, tr


def render(me) -> None:
    started = time.perf_counter()
    data = webapi.dashboard(me)
    rows = data.rows
    failing = sum((r["latest_evaluation"] or {}).get("failing_schools") or 0 for r in rows)
    due = [r for r in rows if overdue(r)]
    st.html(grids.STYLE)
    c1, c2, c3, c4 = st.columns(4)
    c1.metric(tr("县市", "Counties"), len(rows))
    c2.metric(tr("有逾期事项的县市", "Counties with overdue items"), len(due))
    c3.metric(tr("未达标学校学段", "Failing school stages"), failing)
    c4.metric(tr("未结问责事项", "Open accountability cases"), data.open_cases)

    st.subheader(tr("阶段看板", "Stage board"))
    for r in rows:   # in the page's language
        r["stage_label"] = labels.stage_name(r["stage"])
    stages = list(dict.fromkeys(r["stage_label"] for r in rows))
    for col, stage in zip(st.columns(min(4, max(1, len(stages)))), stages):
        members = [r for r in rows if r["stage_label"] == stage]
        with col.container(border=True):
            st.markdown(f"**{stage}**（{len(members)}）")
            st.html("　".join(f"<span style='white-space:nowrap'>{escape(r['county'])}<sub>{r['target_year']}</sub></span>"
                              for r in members))

    left, right = st.columns([2, 3])
    with left:
        years = grids.years_span([r["target_year"] for r in rows])
        st.subheader(tr(f"创建时间表 {years[0]}–{years[-1]}", f"Recognition timeline {years[0]}–{years[-1]}"))
        st.html(grids.timeline(rows, labels.stage_order(), data.as_of.year))
        st.caption(tr(f"圆点为各县市的创建年份，颜色为所处阶段；阴影列为今年（{data.as_of.year}）。",
                      f"A dot marks each county's recognition year, coloured by its stage; the shaded column is "
                      f"this year ({data.as_of.year})."))
    with right:
        st.subheader(tr("资源配置指标达标率（按县市）", "Resource indicators met, by county"))
        if data.heatmap:
            st.html(grids.heatmap(data.heatmap, [r["county"] for r in rows]))
            st.caption(tr("数字为达标的学校学段百分比。R1 高于规定学历教师　R2 骨干教师　R3 体育艺术教师　"
                          "R4 教学及辅助用房　R5 体育运动场馆　R6 教学仪器设备　R7 网络多媒体教室",
                          "Share of school stages meeting each indicator: R1 qualified teachers, R2 backbone "
                          "teachers, R3 PE/art teachers, R4 teaching area, R5 sports area, R6 equipment, "
                          "R7 multimedia rooms"))
        else:
            st.info(tr("尚无评估数据。", "No evaluations yet."))

    st.subheader(tr("各县市情况", "Counties"))
    # Every county in view, no scroll inside it at 1440 px; short cells keep to one line ("年度监测",
    # not "年度监/测"), only the deadline wraps.
    with st.container(key="county_table"):
        st.html(grids.table([_row(r, data.show_drafts) for r in rows], wrap=tr("下一期限", "Next deadline")))
    notes = sorted({r["next_deadline"]["assumption"] for r in rows if (r.get("next_deadline") or {}).get("assumption")})
    if notes:
        st.caption(tr("*暂定，待委员会确认：", "*Provisional, for the committee to confirm: ") + "；".join(notes))
    st.caption(tr(f"数据截至 {data.as_of:%Y-%m-%d}；页面生成用时 {time.perf_counter() - started:.2f} 秒",
                  f"As of {data.as_of:%Y-%m-%d}; built in {time.perf_counter() - started:.2f} s"))


def missed_year(r: dict) -> bool:
    """Past its recognition year, not recognised and not awaiting the announcement (已逾期N年)."""
    return bool(r.get("missed_year"))


def overdue(r: dict) -> bool:
    """The one definition the headline and the table share: a missed year or an overdue deadline."""
    return missed_year(r) or bool((r.get("next_deadline") or {}).get("overdue"))


def _years_left(r: dict) -> str:
    if r.get("recognised"):
        return tr("已认定", "recognised")
    if missed_year(r):
        return tr(f"已逾期{-r['years_left']}年", f"{-r['years_left']} y overdue")
    return tr(f"{r['years_left']}年", f"{r['years_left']} y")


def _row(r: dict, drafts: bool) -> dict:
    ev = r["latest_evaluation"] or {}
    out = {tr("县市", "County"): r["county"], tr("创建年份", "Target year"): r["target_year"],
           tr("距创建年份", "Years left"): _years_left(r), tr("所处阶段", "Stage"): r["stage_label"],
           tr("未达标学段", "Failing"): f"{ev.get('failing_schools', '—')}/{ev.get('schools', '—')}",
           tr("下一期限", "Next deadline"): _deadline(r.get("next_deadline")),
           tr("问责", "Cases"): len(r.get("open_cases") or []),
           tr("地区督导结论", "Verdict"): labels.word(labels.DECISION, (r["recorded"] or {}).get("decision"))}
    if drafts:
        out[tr("评估草稿结论", "Draft outcome")] = labels.word(labels.OUTCOME, r["draft_outcome"])
        out[tr("待处理问题", "Open findings")] = r["open_findings"]
    return out


def _deadline(due: dict | None) -> str:
    if not due:
        return "—"
    return f"{due['date']} {due['what'] if tr('zh', 'en') == 'zh' else due['what_en']}" + (
        tr("（已逾期）", " (overdue)") if due["overdue"] else "") + (
        tr(" 暂定*", " provisional*") if due.get("assumption") else "")   # "*" is the note under the table


run_page(render, "dashboard.view", ("全地区总览", "Prefecture dashboard"))
