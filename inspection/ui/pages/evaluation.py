"""县市评估 (committee): the school table with failing cells marked; click a figure to see its source;
correct it with a reason; confirm or dismiss veto findings; record the verdict; the county's letter."""

import re

import pandas as pd
import streamlit as st

from inspection import webapi
from inspection.columns import NUMERIC_FIELDS
from inspection.ui import labels, ocr_cells
from inspection.ui.text import plain
from inspection.ui.history import history_panel
from inspection.ui.threads import committee_panel
from inspection.ui.chinese import placeholder
from inspection.ui.state import attempt, county_picker, relabel, run_page, tr
from inspection.ui.widgets import download

TABLE_KEY = "_school_table"


def render(me) -> None:
    county = county_picker(me, webapi.visible_counties(me))
    view = webapi.evaluation_view(me, county, st.session_state.get("eval_year"))
    if not view["years"]:
        st.info(tr(f"{view['county']}还没有学校数据。", f"{view['county']} has no school figures yet."))
        return
    year = st.selectbox(tr("年度", "Year"), view["years"], index=view["years"].index(view["year"]), key="_year_widget", placeholder=placeholder())
    st.session_state["eval_year"] = year
    if year != view["year"]:
        view = webapi.evaluation_view(me, county, year)
    _summary(view)
    # The open tab is in the address (?tab=…): a reload or a bookmark opens the same tab.
    table_tab, findings_tab, documents_tab, threads_tab, history_tab, verdict_tab = st.tabs(
        [tr("学校数据表", "School table"), tr("问题与否决事项", "Findings"), tr("上报材料", "Documents"),
         tr("问询与答复", "Questions"), tr("历史记录", "History"), tr("记录结论与函件", "Verdict and letter")],
        key="tab", bind="query-params")
    with table_tab:
        ocr_cells.render(me, view)      # a scan's OCR figures waiting for a person (待人工核对)
        target = _table(view)
        _source_and_fix(me, view, target)
    with findings_tab:
        _findings(me, view)
    with documents_tab:
        _documents(me, view)
    with threads_tab:
        committee_panel(me, view)
    with history_tab:
        history_panel(me, view["county_id"])
    with verdict_tab:
        _verdict(me, view)


def _documents(me, view: dict) -> None:
    """Every document the county sent (the self-assessment report too, not only its tables): status,
    and the original to download as sent."""
    subs = webapi.list_submissions(me, view["county_id"])
    if not subs:
        st.info(tr("该县市尚未上报材料。", "Nothing submitted yet."))
        return
    for s in subs:
        with st.container(border=True):
            left, right = st.columns([4, 1])
            left.markdown(f"**#{s['id']} {plain(s['filename'])}** · {labels.word(labels.STATUS, s['status'])} · "
                          f"{plain(s['uploaded_by'])} {s['uploaded_at']:%Y-%m-%d %H:%M} · {s['size'] / 1024:,.0f} KB")
            if s["error"]:
                left.caption(plain(labels.said(s["error"], s["error_en"])))
            for w in s["warnings"]:
                left.caption(f"⚠ {plain(w)}")
            # Read when pressed (a 50 MB scan is not read on every run of the page); checked against its hash then.
            right.download_button(tr("下载原件", "Download"), lambda sid=s["id"]: webapi.stored_file(me, sid)[1],
                                  file_name=s["filename"], key=f"_doc_{s['id']}")
            if s["filename"].lower().endswith(".pdf"):
                page = left.number_input(tr("页码", "Page"), min_value=1, value=1, step=1, key=f"_doc_page_{s['id']}")
                if left.button(tr("查看该页", "Show the page"), key=f"_doc_show_{s['id']}"):
                    _show_page(me, s["id"], int(page), s["filename"])


CITED = re.compile(r"（([^（）]+?\.pdf)第(\d+)页）", re.IGNORECASE)     # "（巴楚县自评报告.pdf第12页）"


def _show_page(me, submission_id: int, page: int, filename: str) -> None:
    png = attempt(webapi.document_page, me, submission_id, page)
    if png:
        st.image(png, caption=tr(f"《{filename}》第{page}页", f"{filename}, page {page}"))


def _cited_page(me, view: dict, message: str, key: str) -> None:
    """A finding that cites a page of a submitted PDF: open that page beside it."""
    found = CITED.search(message)
    if not found:
        return
    filename, page = found.group(1), int(found.group(2))
    subs = [s for s in webapi.list_submissions(me, view["county_id"]) if s["filename"] == filename]
    if subs and st.button(tr(f"查看原文第{page}页", f"Open page {page}"), key=f"_cite_{key}"):
        _show_page(me, subs[0]["id"], page, filename)


def _summary(view: dict) -> None:
    ev = view["evaluation"]
    failing = sum(1 for r in view["rows"] if not r["passed"])
    c1, c2, c3 = st.columns(3)
    c1.metric(tr("学校学段", "School stages"), len(view["rows"]))
    c2.metric(tr("未达标", "Failing"), failing)
    c3.metric(tr("评估结论（草稿）", "Outcome (draft)"), labels.word(labels.OUTCOME, ev["outcome"]) if ev else "—")
    for s in view["cv"]:
        st.warning(s)


def _columns(view: dict) -> tuple[list[str], dict[str, str]]:
    figure_cols = {labels.field_label(f): f for f in NUMERIC_FIELDS}
    return list(figure_cols), figure_cols


def _table(view: dict):
    """Draw the table (result and indicators first, then the figures); return the clicked figure's
    (row index in view["rows"], field), if a figure cell is selected."""
    names, by_label = _columns(view)
    ids = view["indicators"]
    only_failing = st.toggle(tr("只看未达标的学校", "Failing schools only"), key="_only_failing")
    shown = [i for i, r in enumerate(view["rows"]) if not (only_failing and r["passed"])]
    result_col = tr("结论", "Result")
    df = pd.DataFrame([{tr("学校名称", "School"): r["school"], tr("学段", "Stage"): labels.word(labels.STAGE, r["stage"]),
                        result_col: tr("达标", "pass") if r["passed"] else tr("未达标", "FAIL"),
                        **{k: r["values"][k] for k in ids},
                        **{labels.field_label(f): r["figures"][f] for f in NUMERIC_FIELDS}}
                       for r in (view["rows"][i] for i in shown)])

    def mark(row):
        r = view["rows"][shown[row.name]]
        unmet = set(r["unmet"])
        return ["background-color: #f8c4c4; color: #7a0000; font-weight: 600"
                if c in unmet or (c == result_col and not r["passed"]) else "" for c in row.index]

    st.caption(tr("红色为未达标；点击任一原始数据单元格（右侧各列）查看来源、更正或就此数据向县市提问。",
                  "Red cells fail; click a figure (right-hand columns) to see its source, correct it or ask the "
                  "county about it."))
    if not shown:
        st.success(tr("所有学校均达标。", "Every school passes."))
        return None
    styled = df.style.apply(mark, axis=1).format(precision=2, subset=ids).format(_num, subset=names)
    event = st.dataframe(styled, hide_index=True, width="stretch", key=TABLE_KEY, on_select="rerun",
                         selection_mode="single-cell",
                         height=420 if len(shown) > 10 else "auto",   # no empty rows under a short table
                         column_config={tr("学校名称", "School"): st.column_config.TextColumn(pinned=True)})
    cells = event.selection.get("cells", []) if event is not None else []
    if cells:
        i, col = cells[0]
        if col in by_label and 0 <= int(i) < len(shown):
            return shown[int(i)], by_label[col]
        st.caption(tr("指标是由原始数据计算的；请点击原始数据列查看来源。", "Indicators are computed; click a figure column."))
    return None


def _num(value) -> str:
    return f"{value:,.2f}".rstrip("0").rstrip(".") if isinstance(value, (int, float)) else str(value)


def _source_and_fix(me, view: dict, target) -> None:
    rows = view["rows"]
    keys = list(range(len(rows)))
    row_i, field = target if target else (None, None)
    with st.container(border=True):
        st.markdown(tr("**数据来源与更正**", "**Source and correction**"))
        c1, c2 = st.columns(2)
        i = c1.selectbox(tr("学校", "School"), keys, index=row_i or 0, key=relabel(f"_fix_school_{row_i}"),
                         format_func=lambda k: f"{rows[k]['school']}（{labels.word(labels.STAGE, rows[k]['stage'])}）", placeholder=placeholder())
        f = c2.selectbox(tr("数据项", "Figure"), NUMERIC_FIELDS, index=NUMERIC_FIELDS.index(field) if field else 0,
                         key=relabel(f"_fix_field_{row_i}_{field}"), format_func=labels.field_label,
                         placeholder=placeholder())
        src = attempt(webapi.figure_source, me, view["county_id"], year=view["year"], school=rows[i]["school"],
                      stage=rows[i]["stage"], field=f)
        if src:
            st.markdown(_where(src))
            if me.role == "committee":
                _ask_about(me, view, rows[i], src)
            for c in src["corrections"]:
                st.caption(tr(f"{c['at']:%Y-%m-%d %H:%M} {plain(c['by'])} 将 {c['before']} 更正为 {c['after']}："
                              f"{plain(c['reason'])}", f"{c['at']:%Y-%m-%d %H:%M} {plain(c['by'])} changed {c['before']} "
                              f"to {c['after']}: {plain(c['reason'])}"))
        with st.form(f"_fix_form_{i}_{f}"):
            value = st.text_input(tr("更正后的数值", "Corrected value"), key="_fix_value")
            reason = st.text_input(tr("更正理由（必填，如“据现场核查”）", "Reason (required)"), key="_fix_reason")
            if st.form_submit_button(tr("保存更正并重新评估", "Save and re-evaluate")):
                done = attempt(webapi.correct_figure, me, view["county_id"], year=view["year"],
                               school=rows[i]["school"], stage=rows[i]["stage"], field=f, value=value, reason=reason)
                if done:
                    st.session_state["_flash"] = tr(f"已更正：{done['before']:g} → {done['after']:g}，已重新评估。",
                                                    f"Corrected {done['before']:g} → {done['after']:g}; re-evaluated.")
                    st.rerun()
        if st.session_state.get("_flash"):
            st.success(st.session_state.pop("_flash"))


def _ask_about(me, view: dict, row: dict, src: dict) -> None:
    """问询 straight from the figure shown: the question names the school, the column, the value and its
    source (prefilled, in Chinese for the county, editable); the county answers on its page as for any
    question. Questions already asked about this figure are listed under it."""
    ref = f"{row['school']}|{row['stage']}|{src['field']}"       # the thread's machine reference to the cell
    asked = [t for t in webapi.threads.county_threads(me, view["county_id"]) if t["subject_ref"] == ref]
    for t in asked:
        st.caption(tr(f"已就此数据问询 #{t['id']}：{t['status_zh']}", f"Asked about this figure: #{t['id']} ({t['status']})"))
    value = _num(src["value"])
    figure = f"{row['school']}（{labels.STAGE[row['stage']][0]}）“{src['header']}”"
    subject = f"{figure}{value}"
    with st.expander(tr("就此数据向县市提问", "Ask the county about this figure")):
        with st.form(f"_ask_figure_{ref}", clear_on_submit=True):
            body = st.text_area(tr("问询内容（已填入该数据，可修改）", "Question (prefilled, in Chinese for the county)"),
                                value=f"{figure}为{value}（{_where_zh(src)}），请核实并说明。", key=f"_ask_figure_body_{ref}")
            if st.form_submit_button(tr("就此数据发出问询", "Ask about this figure")):
                if attempt(webapi.threads.ask, me, view["county_id"], subject_kind="figure", subject=subject,
                           body=body, subject_ref=ref) is not None:
                    st.session_state["_flash"] = tr("已发出问询，县市将收到通知。", "Asked; the county is notified.")
                    st.rerun()


def _where_zh(src: dict) -> str:
    """The figure's source in Chinese, as plain text for a question to the county."""
    if not src.get("file"):
        return "系统导入数据，无来源文件"
    parts = [f"《{src['file']}》"] + [f"{label}{src[k]}{unit}" for k, label, unit in
                                      (("page", "第", "页"), ("table", "表", ""), ("row", "第", "行")) if src.get(k)]
    return "来源：" + "，".join(parts + ([f"“{src['column']}”列"] if src.get("column") else []))


def _where(src: dict) -> str:
    """Where a figure came from, in the page's language (the file's own column header and cell as they are)."""
    value = f"{src['value']:,.2f}".rstrip("0").rstrip(".")
    header = tr(src["header"], labels.field_label(src["field"]))
    if not src.get("file"):
        return tr(f"**{header}**：{value}。此数据为系统导入（演示数据），无来源文件。",
                  f"**{header}**: {value}. Imported (demo data); no source file.")
    parts = [f"《{plain(src['file'])}》"]
    if src.get("page"):
        parts.append(tr(f"第{src['page']}页", f"page {src['page']}"))
    if src.get("table"):
        parts.append(tr(f"表{src['table']}", f"table {src['table']}"))
    if src.get("row"):
        parts.append(tr(f"第{src['row']}行", f"row {src['row']}"))
    if src.get("column"):
        parts.append(f"“{plain(src['column'])}”")
    raw = tr(f"，原值“{plain(src.get('raw', ''))}”", f", raw “{plain(src.get('raw', ''))}”") if "raw" in src else ""
    if src.get("source_error"):
        raw += tr("。", ". ") + "⚠ " + plain(labels.said(src["source_error"], src.get("source_error_en")))
    return f"**{header}**{tr('：', ': ')}{value} — " + tr("来源：", "source: ") + tr("，", ", ").join(parts) + raw


def _findings(me, view: dict) -> None:
    vetoes = [f for f in view["findings"] if f["kind"] == "veto"]
    st.markdown(tr(f"**否决事项（{len(vetoes)}）**：每项须确认或排除，确认任何一项即不予认定。",
                   f"**Veto findings ({len(vetoes)})**: confirm or dismiss each; any confirmed one blocks recognition."))
    if not vetoes:
        st.caption(tr("未发现否决事项。", "No veto findings."))
    _bulk(me, view, [v for v in vetoes if v["status"] == "open"], ("confirmed", "dismissed"), "veto")
    for v in vetoes:   # no default: a veto is decided on purpose, never by a preset
        _decision(me, v, ("confirmed", "dismissed"), "veto", tr("请选择“确认”或“排除”。", "Choose confirmed or dismissed."))
        _cited_page(me, view, v["message"], str(v["id"]))
    _judgements(me, view, [f for f in view["findings"] if f["kind"] == "judgement"])
    others = [f for f in view["findings"] if f["kind"] not in ("veto", "judgement")]
    st.markdown(tr(f"**其他问题（{len(others)}）**", f"**Other findings ({len(others)})**"))
    if others:
        st.dataframe(pd.DataFrame([{tr("类别", "Kind"): labels.word(labels.KIND, f["kind"]),
                                    tr("学校", "School"): f["school"] or "—",
                                    tr("说明", "Detail"): labels.said(f["message"], f["message_en"])}
                                   for f in others]), hide_index=True, width="stretch")


def _bulk(me, view: dict, items: list[dict], choices: tuple[str, str], key: str) -> None:
    """Several open findings decided alike, with one reason (批量认定); each is still audited."""
    if len(items) < 2:
        return
    with st.expander(tr(f"批量认定（{len(items)}项待认定）", f"Decide several ({len(items)} open)")):
        with st.form(f"_bulk_{key}"):
            picked = st.multiselect(tr("选择问题", "Findings"), [f["id"] for f in items], placeholder=placeholder(),
                                    format_func=lambda i: next(f"#{i} {labels.said(f['message'], f['message_en'])[:60]}"
                                                              for f in items if f["id"] == i))
            decision = st.radio(tr("认定", "Decision"), list(choices), horizontal=True, index=None,
                                format_func=lambda d: labels.word(labels.FINDING, d))
            reason = st.text_input(tr("理由（必填，适用于所选各项）", "Reason (required; for each chosen)"))
            if st.form_submit_button(tr("批量保存", "Save all")):
                if decision is None:
                    st.warning(tr("请选择认定结果。", "Choose a decision."))
                elif attempt(webapi.decide_findings, me, view["county_id"], picked, decision=decision,
                             reason=reason) is not None:
                    st.rerun()


def _judgements(me, view: dict, items: list[dict]) -> None:
    """Judged indicators (定性指标): the committee decides each met or not met, with a reason."""
    if not items:
        return
    open_ = sum(f["status"] == "open" for f in items)
    st.markdown(tr(f"**定性指标认定（{len(items)}项，{open_}项待认定）**：依据佐证材料逐项认定达标或未达标。",
                   f"**Judged indicators ({len(items)}, {open_} to decide)**: decide each met or not met."))
    _bulk(me, view, [f for f in items if f["status"] == "open"], ("met", "not_met"), "judge")
    for f in items:
        _decision(me, f, ("met", "not_met"), "judge", tr("请选择“达标”或“未达标”。", "Choose met or not met."))


def _decision(me, f: dict, choices: tuple[str, str], key: str, choose: str) -> None:
    """One finding the committee decides (a veto, a judged indicator): its text, a choice with no
    preset, a reason, and save."""
    with st.container(border=True):
        st.markdown(f"{plain(labels.said(f['message'], f['message_en']))}  \n**{labels.word(labels.FINDING, f['status'])}**"
                    + (f" · {plain(f['decided_by'])}：{plain(f['reason'])}" if f["decided_by"] else ""))
        c1, c2, c3 = st.columns([2, 4, 1])
        decision = c1.radio(tr("认定", "Decision"), list(choices), horizontal=True, index=None,
                            format_func=lambda d: labels.word(labels.FINDING, d), key=f"_{key}_d_{f['id']}")
        reason = c2.text_input(tr("理由（必填）", "Reason (required)"), key=f"_{key}_r_{f['id']}")
        if c3.button(tr("保存", "Save"), key=f"_{key}_s_{f['id']}"):
            if decision is None:
                st.warning(choose)
            elif attempt(webapi.decide_finding, me, f["id"], decision=decision, reason=reason):
                st.rerun()


def _recorded(v: dict | None) -> None:
    """The committee's recorded verdict stays on the page (not only as the message after saving)."""
    if v is None:
        return
    shown = st.success if st.session_state.pop("_verdict_done", None) else st.info
    shown(tr(f"已记录结论：{v['label']}（{v['document_number'] or '无文号'}，{plain(v['by'])}，{v['at']:%Y-%m-%d}）"
             + (f"。理由：{plain(v['reason'])}" if v["reason"] else "")
             + (f"。整改期限：{v['deadline']}" if v["deadline"] else ""),
             f"Recorded verdict: {labels.word(labels.DECISION, v['decision'])} ({v['document_number'] or '—'}, "
             f"{plain(v['by'])}, {v['at']:%Y-%m-%d})" + (f". Reason: {plain(v['reason'])}" if v["reason"] else "")),
          icon="✅")


def _verdict(me, view: dict) -> None:
    ev = view["evaluation"]
    if ev is None:
        st.info(tr("尚无评估结果。", "No evaluation yet."))
        return
    st.markdown(tr(f"当前评估（{ev['created_by']}，{ev['created_at']:%Y-%m-%d %H:%M}）：**{ev['label']}**",
                   f"Current evaluation ({ev['created_by']}): **{labels.word(labels.OUTCOME, ev['outcome'])}**"))
    for reason, english in list(zip(ev["reasons"], ev["reasons_en"]))[:8]:
        st.markdown(f"- {plain(labels.said(reason, english))}")
    if len(ev["reasons"]) > 8:
        st.caption(tr(f"……共{len(ev['reasons'])}条", f"… {len(ev['reasons'])} in all"))
    _recorded(view["recorded"])
    stage = labels.stage_name(view["stage"])
    if view["stage"] != "prefecture_evaluation":
        st.info(tr(f"{view['county']}目前处于“{stage}”阶段，没有待作出结论的自评材料。",
                   f"{view['county']} is at '{stage}': no self-assessment awaits a verdict."))
    else:
        with st.form("_verdict"):
            decision = st.radio(tr("地区督导评估结论", "Verdict"), list(labels.DECISION), horizontal=True, index=None,
                                format_func=lambda d: labels.word(labels.DECISION, d), key=relabel("_verdict_decision"))
            reason = st.text_area(tr("理由（退回整改、不予认定时必填）", "Reason (required to return or veto)"),
                                  key="_verdict_reason")
            deadline = st.date_input(tr("整改期限（可选，默认按周期规定）", "Deadline (optional)"), value=None,
                                     key="_verdict_deadline")
            sure = st.checkbox(tr("我已核对数据与否决事项", "I have checked the figures and vetoes"), key="_verdict_ok")
            go = st.form_submit_button(tr("记录评估结论", "Record the verdict"), type="primary")
        if go:
            if decision is None:
                st.warning(tr("请选择地区督导评估结论。", "Choose a verdict."))
            elif not sure:
                st.warning(tr("请先勾选“我已核对数据与否决事项”。", "Tick the confirmation first."))
            else:
                done = attempt(webapi.record_verdict, me, view["county_id"], decision=decision, reason=reason,
                               deadline=deadline)
                if done:
                    st.session_state["_verdict_done"] = done
                    st.rerun()
    st.divider()
    st.markdown(tr("**督导评估意见书**（有结论时为正式文号的意见书，否则为草稿）",
                   "**Evaluation letter** (the issued letter once a verdict exists, else a draft)"))
    fmt = st.radio(tr("格式", "Format"), ["pdf", "docx"], horizontal=True, key="_eval_letter_fmt",
                   format_func=lambda f: {"pdf": "PDF", "docx": "Word（DOCX）"}[f])
    if st.button(tr("生成意见书", "Prepare the letter"), key="_eval_letter"):
        letter = attempt(webapi.county_letter, me, view["county_id"], fmt)
        if letter:
            st.session_state["_eval_letter_file"] = {**letter, "county": view["county_id"]}
    letter = st.session_state.get("_eval_letter_file")
    if letter and letter["county"] == view["county_id"]:
        download(letter, key="_eval_letter_download")


run_page(render, "review.queue", ("县市评估", "County evaluation"))
