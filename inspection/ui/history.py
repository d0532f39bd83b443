"""历史记录 on the evaluation page: what changed between two of the county's school tables, and its
audit trail as a timeline (who did what, when, why)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from inspection import webapi
from inspection.ui import labels
from inspection.ui.chinese import placeholder
from inspection.ui.state import attempt, tr


def _num(v: float) -> str:
    return f"{v:,.2f}".rstrip("0").rstrip(".")


def history_panel(me, county_id: int) -> None:
    tables = webapi.history.school_tables(me, county_id)
    st.markdown(tr("**两次上报的差异**", "**What changed between two tables**"))
    if len(tables) < 2:
        st.caption(tr("该县市上报的学校数据表少于两份。", "Fewer than two tables submitted."))
    else:
        names = {t["id"]: f"#{t['id']} {t['filename']}（{t['uploaded_at']:%Y-%m-%d}）" for t in tables}
        ids = list(names)
        c1, c2 = st.columns(2)
        old = c1.selectbox(tr("较早的一份", "Earlier"), ids, index=1, format_func=names.get, key="_hist_old",
                           placeholder=placeholder())
        new = c2.selectbox(tr("较新的一份", "Later"), ids, index=0, format_func=names.get, key="_hist_new",
                           placeholder=placeholder())
        if st.button(tr("比较", "Compare"), key="_hist_go"):
            st.session_state["_hist"] = attempt(webapi.history.compare_submissions, me, county_id, old, new)
        _diff(st.session_state.get("_hist"))
    st.markdown(tr("**记录**（审计日志，最新在前）", "**Timeline** (audit log, newest first)"))
    events = webapi.history.county_timeline(me, county_id)
    st.dataframe(pd.DataFrame([{tr("时间", "When"): f"{e['at']:%Y-%m-%d %H:%M}", tr("操作人", "By"): e["actor"],
                                tr("事项", "What"): e["what"] if tr("zh", "en") == "zh" else e["action"],
                                tr("内容", "Detail"): e["detail"]} for e in events]), hide_index=True, width="stretch")


def _diff(d: dict | None) -> None:
    if not d:
        return
    def verdict(side: str) -> str:
        return d[side]["verdict"] or tr("无结论", "no verdict")

    st.markdown(tr(f"#{d['old']['id']}（{d['old']['rows']}行，{verdict('old')}）→ "
                   f"#{d['new']['id']}（{d['new']['rows']}行，{verdict('new')}）",
                   f"#{d['old']['id']} ({d['old']['rows']} rows) → #{d['new']['id']} ({d['new']['rows']} rows)"))

    def stage(code: str) -> str:
        return labels.word(labels.STAGE, code)

    if d["added"]:
        st.markdown(tr("新增学校：", "Added: ") + "、".join(f"{n}（{stage(s)}）" for n, s in d["added"]))
    if d["removed"]:
        st.markdown(tr("删除学校：", "Removed: ") + "、".join(f"{n}（{stage(s)}）" for n, s in d["removed"]))
    if d["changed"]:
        st.dataframe(pd.DataFrame([{tr("学校", "School"): n, tr("学段", "Stage"): stage(s),
                                    tr("数据项", "Figure"): labels.field_label(f), tr("原值", "Before"): _num(a),
                                    tr("新值", "After"): _num(b)} for n, s, f, a, b in d["changed"]]),
                     hide_index=True, width="stretch")
    if not (d["added"] or d["removed"] or d["changed"]):
        st.success(tr("两份表格的数据完全相同。", "The two tables hold the same figures."))
