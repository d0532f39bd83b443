"""待人工核对 on the review page: each OCR figure of a scan still waiting, its scanned cell beside what
the machine read, and a form to confirm or correct it (with a reason). Confirming a figure is the
ordinary correction (`webapi.correct_figure`, the same value confirms it); a name or a stage has its
own (`correct_school_name`, `correct_school_stage`). The verdict is refused until none waits."""

from __future__ import annotations

import streamlit as st

from inspection import webapi
from inspection.ingest.ocr_review import REASONS_ZH
from inspection.ui import labels
from inspection.ui.state import attempt, tr
from inspection.ui.text import plain

SHOWN = 20      # cells drawn at a time: each picture is rendered in the sandbox


def render(me, view: dict) -> None:
    """The county's waiting OCR cells (nothing when there are none)."""
    waiting = attempt(webapi.ocr_to_confirm, me, view["county_id"]) or []
    if not waiting:
        return
    with st.expander(tr(f"扫描件识别数据待人工核对（{len(waiting)}项，核对前不能作出结论）",
                        f"OCR figures to confirm ({len(waiting)}; no verdict before)"), expanded=True):
        for k, w in enumerate(waiting[:SHOWN]):
            _cell(me, view, w, k)
        if len(waiting) > SHOWN:
            st.caption(tr(f"另有{len(waiting) - SHOWN}项，核对以上各项后显示。",
                          f"{len(waiting) - SHOWN} more, shown once these are done."))


def _cell(me, view: dict, w: dict, k: int) -> None:
    what = labels.field_label(w["field"]) if w["field"] not in ("name", "stage") else \
        tr("学校名称", "School name") if w["field"] == "name" else tr("学段", "Stage")
    left, right = st.columns([2, 3])
    if w.get("box") and w.get("page"):
        png = attempt(webapi.ocr_cell_image, me, w["submission_id"], page=w["page"], box=w["box"])
        if png:
            left.image(png, caption=tr(f"第{w['page']}页扫描原件", f"scan, page {w['page']}"))
    right.markdown(f"**{plain(w['school'])}**（{labels.word(labels.STAGE, w['stage'])}）{what}："
                   f"识别为 `{plain(w['raw'])}`，置信度 {w['confidence']:.0f}；"
                   f"{'、'.join(REASONS_ZH.get(r, r) for r in w['reasons'])}")
    with right.form(f"_ocr_{k}_{w['school']}_{w['stage']}_{w['field']}"):
        value = st.text_input(tr("核对后的值（与识别相同即为确认）", "Value (the same confirms it)"), value=w["raw"])
        reason = st.text_input(tr("核对说明（必填）", "Reason (required)"), value=tr("已对照扫描件核对", "checked against the scan"))
        if st.form_submit_button(tr("确认", "Confirm")):
            done = _confirm(me, view, w, value, reason)
            if done:
                st.rerun()


def _confirm(me, view: dict, w: dict, value: str, reason: str):
    where = {"year": view["year"], "school": w["school"], "stage": w["stage"], "reason": reason}
    if w["field"] == "name":
        return attempt(webapi.correct_school_name, me, view["county_id"], name=value, **where)
    if w["field"] == "stage":
        stage = {"小学": "primary", "初中": "junior"}.get(value.strip(), value.strip())
        return attempt(webapi.correct_school_stage, me, view["county_id"], new_stage=stage, **where)
    return attempt(webapi.correct_figure, me, view["county_id"], field=w["field"], value=value, **where)
