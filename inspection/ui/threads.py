"""问询与答复 on a page: the committee asks about a figure, an indicator or a finding and closes the
thread with a decision; the county answers, with a corrected file if it has one. Both see the same
thread, in the same order, with who wrote what and when."""

from __future__ import annotations

import streamlit as st

from inspection import webapi
from inspection.ui import labels
from inspection.ui.chinese import placeholder
from inspection.ui.state import attempt, relabel, tr
from inspection.ui.text import plain

STATUS = {"open": ("待县市答复", "awaiting the county"), "answered": ("县市已答复", "answered"),
          "closed": ("已处理", "closed")}
WHO = {"committee": ("地区督导委员会", "Committee"), "county": ("县市", "County")}


def _word(pair: tuple[str, str]) -> str:
    return tr(*pair)


def show(thread: dict) -> None:
    st.markdown(f"**#{thread['id']} {plain(thread['subject'])}** · {_word(STATUS[thread['status']])}")
    for m in thread["messages"]:
        st.markdown(f"{_word(WHO[m['role']])} {plain(m['author'])}（{m['at']:%Y-%m-%d %H:%M}）："
                    f"{plain(m['body'])}" + (tr(f"　〔附更正文件 #{m['submission_id']}〕", f" [file #{m['submission_id']}]")
                                             if m["submission_id"] else ""))
    if thread["status"] == "closed":
        st.markdown(tr(f"处理意见（{plain(thread['closed_by'])}，{thread['closed_at']:%Y-%m-%d}）：",
                       f"Decision ({plain(thread['closed_by'])}): ") + plain(thread["decision"]))


def committee_panel(me, view: dict) -> None:
    """Ask the county about something on this page, and close answered threads with a decision."""
    subjects = {"general": ["其他（总体）"]}
    subjects["figure"] = [f"{r['school']}（{labels.STAGE[r['stage']][0]}）" for r in view["rows"]]
    subjects["indicator"] = list(view["indicators"])
    subjects["finding"] = [f"#{f['id']} {f['message'][:40]}" for f in view["findings"]]
    # The subject is kept in Chinese (the county reads it); a finding is shown in the page's language.
    shown = {f"#{f['id']} {f['message'][:40]}": f"#{f['id']} {labels.said(f['message'], f['message_en'])[:40]}"
             for f in view["findings"]}
    shown |= {f"{r['school']}（{labels.STAGE[r['stage']][0]}）": f"{r['school']}（{labels.word(labels.STAGE, r['stage'])}）"
              for r in view["rows"]} | {"其他（总体）": tr("其他（总体）", "General")}
    kinds = {"figure": tr("学校数据", "A school's figures"), "indicator": tr("指标", "An indicator"),
             "finding": tr("问题或否决事项", "A finding"), "general": tr("其他", "General")}
    with st.container(border=True):
        st.markdown(tr("**向县市提出问询**：县市将在“本县进展”页看到并答复。", "**Ask the county** (it answers on its page)."))
        left, right = st.columns([1, 2])
        kind = left.selectbox(tr("问询对象", "About"), list(kinds), format_func=kinds.get, key=relabel("_ask_kind"),
                              placeholder=placeholder())
        subject = right.selectbox(tr("具体内容", "Which"), subjects[kind] or ["—"],
                                  key=relabel(f"_ask_subject_{kind}"), format_func=lambda s: shown.get(s, s),
                                  placeholder=placeholder())
        with st.form("_ask", clear_on_submit=True):
            body = st.text_area(tr("问询内容", "Question"), key="_ask_body")
            if st.form_submit_button(tr("发出问询", "Ask")):
                if attempt(webapi.threads.ask, me, view["county_id"], subject_kind=kind, subject=subject,
                           body=body) is not None:
                    st.session_state["_asked"] = subject
                    st.rerun()
    if st.session_state.pop("_asked", None):
        st.success(tr("已发出问询，县市将收到通知。", "Asked; the county is notified."))
    for thread in webapi.threads.county_threads(me, view["county_id"]):
        with st.container(border=True):
            show(thread)
            if thread["status"] != "closed":
                with st.form(f"_close_{thread['id']}"):
                    decision = st.text_input(tr("处理意见（必填）", "Decision (required)"), key=f"_decision_{thread['id']}")
                    if st.form_submit_button(tr("处理完毕，关闭问询", "Close with this decision")):
                        if attempt(webapi.threads.close, me, thread["id"], decision=decision) is not None:
                            st.rerun()


def county_panel(me, county) -> None:
    """The committee's questions to this county, to answer (a corrected file may go with the answer)."""
    items = webapi.threads.county_threads(me, county)
    st.subheader(tr("问询与答复", "Questions from the committee"))
    if not items:
        st.caption(tr("地区督导委员会没有提出问询。", "No questions."))
        return
    if st.session_state.pop("_answered", None):
        st.success(tr("已答复，地区督导委员会将收到通知。", "Answered; the committee is notified."))
    for thread in items:
        with st.container(border=True):
            show(thread)
            if thread["status"] == "closed":
                continue
            with st.form(f"_answer_{thread['id']}", clear_on_submit=True):
                body = st.text_area(tr("答复内容", "Answer"), key=f"_answer_body_{thread['id']}")
                file = st.file_uploader(tr("更正后的文件（可选）", "Corrected file (optional)"),
                                        type=[s[1:] for s in webapi.ACCEPTED], key=f"_answer_file_{thread['id']}")
                if st.form_submit_button(tr("提交答复", "Answer")):
                    done = attempt(webapi.threads.answer, me, thread["id"], body=body,
                                   filename=file.name if file else None, data=file.getvalue() if file else None)
                    if done is not None:
                        st.session_state["_answered"] = True
                        st.rerun()
