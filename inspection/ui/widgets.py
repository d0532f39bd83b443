"""Small pieces several pages draw: a job's progress, a download button, a table of dicts."""

from __future__ import annotations

from typing import Any, Callable

import streamlit as st

from inspection.access import Principal
from inspection.ui import jobs
from inspection.ui.state import show_error, tr

QUICK_SECONDS = 1.5   # work that finishes this fast is shown in the same run


def run_job(key: str, me: Principal, label: str, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> None:
    """Start `fn` as a job remembered under `key`, waiting briefly so quick work shows at once."""
    st.session_state[key] = jobs.start(me.username, label, fn, me, *args, slot=key, **kwargs)
    jobs.wait(st.session_state[key], me.username, QUICK_SECONDS)


def job_result(key: str, me: Principal, render_done: Callable[[Any], None]) -> None:
    """Draw the job under `key`: a progress bar that updates itself while it runs, then its result or error."""
    job = jobs.get(st.session_state.get(key), me.username)
    if job is None:   # a reload: the user's job for this place, if it still runs or was never shown
        job = jobs.latest(me.username, key)
        if job is None:
            return
        st.session_state[key] = job.id
    if not job.done:
        _poll(key, me.username)
        return
    job.shown = True
    if job.error is not None:
        show_error(job.error)
    else:
        render_done(job.result)


@st.fragment(run_every=1.0)
def _poll(key: str, owner: str) -> None:
    job = jobs.get(st.session_state.get(key), owner)
    if job is None:
        return
    if job.done:
        st.rerun()
    st.progress(job.progress, text=f"{job.label}：{job.message or tr('处理中…', 'working…')}")
    st.caption(tr("可以离开本页，完成后回来查看结果。", "You may leave this page and come back for the result."))


def download(item: dict, key: str, label: str | None = None) -> None:
    """A download button for a service's {"filename", "mime", "data"}."""
    st.download_button(label or f"⬇ {item['filename']}", item["data"], file_name=item["filename"],
                       mime=item["mime"], key=key)
