"""Junheng's web front end (Streamlit). Until the full workspaces land (issue 6) it shows the
committee's read-only board of the twelve counties from the database `make demo` seeds."""

from __future__ import annotations

from datetime import date

import streamlit as st

from inspection.db import init_database, session_scope
from inspection.services import Context, county_status
from inspection.standard import load_schedule, load_standard

st.set_page_config(page_title="均衡督导", layout="wide")
st.title("均衡督导 · 县域义务教育优质均衡发展督导评估")

init_database()
schedule = load_schedule()
ctx = Context(actor="web", standard=load_standard(schedule.prefecture.standard), schedule=schedule,
              as_of=date.today())
with session_scope() as session:
    rows = county_status(session, ctx)

OUTCOME = {"met": "达标", "not_met": "未达标", "pending": "待补充材料", "vetoed": "不予认定"}
st.caption(f"{schedule.prefecture.committee} · 标准：{ctx.standard.standard.title}")
st.dataframe(
    [{"县市": r["county"], "创建年份": r["target_year"], "距创建年份": r["years_left"],
      "最近评估": (r["latest_evaluation"] or {}).get("year"),
      "结论": OUTCOME.get((r["latest_evaluation"] or {}).get("outcome"), "—"),
      "未达标学校学段": (r["latest_evaluation"] or {}).get("failing_schools"),
      "学校学段总数": (r["latest_evaluation"] or {}).get("schools"),
      "待处理问题": r["open_findings"]} for r in rows],
    hide_index=True, use_container_width=True)
