"""通知 (everyone): what happened that concerns the user — uploads, verdicts, questions, answers —
newest first; opening the page marks them read."""

import streamlit as st

from inspection import webapi
from inspection.ui.state import run_page, tr
from inspection.ui.text import plain

KIND = {"upload": ("材料", "Upload"), "verdict": ("结论", "Verdict"), "question": ("问询", "Question"),
        "answer": ("答复", "Answer"), "closed": ("处理", "Closed"), "deadline": ("期限", "Deadline"),
        "escalation": ("问责升级", "Escalation")}


def render(me) -> None:
    data = webapi.threads.my_notifications(me)
    if not data["items"]:
        st.info(tr("暂无通知。", "No notifications."))
        return
    for n in data["items"]:
        mark = "" if n["read"] else "🔵 "
        st.markdown(f"{mark}**{tr(*KIND.get(n['kind'], (n['kind'], n['kind'])))}** · {n['at']:%Y-%m-%d %H:%M} · "
                    f"{plain(n['text'])}")
    if data["unread"]:
        webapi.threads.read_all(me)     # seen now: the badge clears on the next page


run_page(render, "notifications.view", ("通知", "Notifications"))
