"""Streamlit's own words in Chinese (界面中文化): the file uploader's button and limit line, and the
select boxes' placeholder, which Streamlit writes in English whatever the page's language.

The uploader takes no text of its own, so its two English texts are replaced by CSS `content` (the
element stays, with its role and label); select boxes take `PLACEHOLDER`.
"""

from __future__ import annotations

import streamlit as st

from inspection.ui.state import lang, tr

_BUTTON = '[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] p'
_LIMIT = '[data-testid="stFileUploaderDropzoneInstructions"] span'


def placeholder() -> str:
    return tr("请选择", "Choose an option")


def uploader_words(limit_mb: int, kinds: list[str]) -> None:
    """Say the uploader's button and limit in Chinese (nothing to do in English)."""
    if lang() == "en":
        return
    limit = f"单个文件不超过 {limit_mb} MB · {'、'.join(k.upper() for k in kinds)}"
    st.html(f"<style>{_BUTTON}, {_LIMIT} {{font-size: 0}} "
            f"{_BUTTON}::after {{content: '选择文件'; font-size: 0.875rem}} "
            f"{_LIMIT}::after {{content: '{limit}'; font-size: 0.875rem}}</style>")
